"""`python -m demo.wait URL`: wait up to 30 s for URL to answer, so `make run` prints the logins after the banner."""

import sys
import time
import urllib.error
import urllib.request


def wait(url: str, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - a local http URL from the Makefile
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.2)
    return False


if __name__ == "__main__":
    sys.exit(0 if wait(sys.argv[1]) else 1)
