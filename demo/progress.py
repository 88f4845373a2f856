"""Progress shown while the demo loads: a bar that redraws in place on a terminal, a line per step elsewhere."""

from typing import TextIO

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30


class Progress:
    """`advance(count, label)` moves the bar: redrawn in place on a terminal, one line per step in a log."""

    def __init__(self, total: int, stream: TextIO | OutputWrapper, title: str = "") -> None:
        self.total, self.stream, self.title, self.done = total, stream, title, 0
        self.redraw = bool(getattr(stream, "isatty", lambda: False)())

    def advance(self, count: int = 1, label: str = "") -> None:
        self.done = min(self.done + count, self.total)
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        line = f"{self.title}[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} {label}".rstrip()
        if self.redraw:
            # Pad to wipe a longer previous label; end the line once the bar is full.
            self._write(f"\r{line:<79}" + ("\n" if self.done >= self.total else ""))
        else:
            self._write(line + "\n")
        self.stream.flush()

    def _write(self, text: str) -> None:
        # A management command's OutputWrapper would end every write with a newline.
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)


def login_box(lines: list[str]) -> str:
    """The logins as a framed block, printed last so they are what one sees when the server is up."""
    width = max(len(line) for line in lines)
    border = "+" + "-" * (width + 2) + "+"
    return "\n".join([border, *(f"| {line:<{width}} |" for line in lines), border])
