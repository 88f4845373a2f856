"""The demo's texts and figures, kept in the YAML files of this folder, and the reader the builders use.

A text is German, or `{de: ..., en: ...}` where the English site carries a translation; `german`
picks the German side and `english` collects the German -> English pairs that `translate` needs.
A tag marks an object the builders make or find (`!image`, `!document`, `!page`, `!area`,
`!status`); `german` hands each one to the function the builder names for its tag.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

FOLDER = Path(__file__).resolve().parent
LANGUAGES = {"de", "en"}


@dataclass(frozen=True)
class Ref:
    """A tagged value in a data file: `!image {...}` becomes Ref("image", {...})."""

    kind: str
    spec: Any


class _Loader(SafeLoader):
    """The safe loader (libyaml's when installed), plus the demo's tags."""


def _construct_ref(loader: yaml.SafeLoader, kind: str, node: yaml.Node) -> Ref:
    if isinstance(node, yaml.MappingNode):
        return Ref(kind, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.ScalarNode):
        return Ref(kind, loader.construct_scalar(node))
    raise yaml.constructor.ConstructorError(None, None, f"!{kind} takes a name or a mapping", node.start_mark)


_Loader.add_multi_constructor("!", _construct_ref)


def parse_yaml(stream: Any) -> Any:
    """A YAML document read by the safe loader, libyaml's when installed (pure Python is several times slower)."""
    return yaml.load(stream, Loader=SafeLoader)


@cache
def load(name: str) -> Any:
    """The parsed file `demo/data/<name>.yaml`, read once per process: treat it as read-only."""
    with (FOLDER / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.load(file, Loader=_Loader)  # noqa: S506 - a subclass of the safe loader


def is_text(value: Any) -> bool:
    return isinstance(value, dict) and "de" in value and value.keys() <= LANGUAGES


def german(value: Any, refs: Mapping[str, Callable[[Any], Any]] | None = None) -> Any:
    """`value` with every text in German and every tagged value replaced by `refs[tag](its german spec)`."""
    if is_text(value):
        return value["de"]
    if isinstance(value, Ref):
        if refs is None or value.kind not in refs:
            raise KeyError(f"Nothing resolves !{value.kind} {value.spec!r} here.")
        return refs[value.kind](german(value.spec, refs))
    if isinstance(value, dict):
        return {key: german(item, refs) for key, item in value.items()}
    if isinstance(value, list):
        return [german(item, refs) for item in value]
    return value


def english(value: Any) -> dict[str, str]:
    """{German: English} for every translated text in `value`; tagged values are not looked into."""
    found: dict[str, str] = {}

    def collect(item: Any) -> None:
        if is_text(item):
            if "en" in item and found.setdefault(item["de"], item["en"]) != item["en"]:
                raise ValueError(f"Two English texts for {item['de']!r}: {found[item['de']]!r}, {item['en']!r}")
        elif isinstance(item, dict):
            for nested in item.values():
                collect(nested)
        elif isinstance(item, list):
            for nested in item:
                collect(nested)

    collect(value)
    return found


def stream(blocks: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """A StreamField value from the data files' form, a list of one-key mappings `- block_type: value`."""
    return [(name, value) for block in blocks for name, value in block.items()]
