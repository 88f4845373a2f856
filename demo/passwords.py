"""The demo logins' password hashes, worked out once instead of on every `load_demo`.

Django's password hasher is slow on purpose (a second of CPU time for the demo's eight logins). The
passwords are public (printed by `load_demo`), so their hashes may be too. A hash is used only while
it is what the site's first hasher would make (algorithm and work factor); otherwise, and for any
other password, the password is hashed as usual. tests/test_demo_speed.py checks they match.
"""

from django.contrib.auth.hashers import get_hasher, make_password

# The hashes' common start: algorithm, work factor and salt. Each is `make_password(password, salt=SALT)`;
# regenerate them the same way when Django raises its work factor.
SALT = "LindenauDemoLogins2030Z"
PREFIX = f"pbkdf2_sha256$1000000${SALT}$"
DIGESTS = {
    "zukunft-lindenau": "WQTMwrWtBPu45oAMMZ5QiXYkeT+KRr1oZs8xLekFB9o=",
    "koordination-lindenau": "AL4LlteZeAt4+w/sdgsvT4TIbgtRi3uZfpU0Mvl+cOk=",
    "pruefung-lindenau": "V2gi1vsrLIr3xB7GvQ9I+iuMijTpzT5c+rBB0vLQP3s=",
    "pressestelle-lindenau": "yX+EXK3evV3e8jrIAQZr7Jj0YcEwlro+V7wovXF5rT8=",
    "umwelt-lindenau": "hLA9tGDtBAglJxFVBw+xoQ017bHgkaYcRlHw/1rxkzE=",
    "mobilitaet-lindenau": "dSPO+I3p4f7if11ojlyHxJhHazUjFpdaqTbBkEYR4H0=",
    "lesen-lindenau": "BqmtmnqhVEDmrRuQPfv330FbM0IwchitrHKefvnovYM=",
    "datenschutz-lindenau": "q7GEiOF4VUSnFx4z3QzptM3ABJN9ioFj1N/aWXHU8aE=",
}


def password_hash(password: str) -> str:
    """The hash to store for a demo login's password."""
    digest = DIGESTS.get(password)
    if digest is not None:
        known, hasher = PREFIX + digest, get_hasher()
        if known.startswith(f"{hasher.algorithm}$") and not hasher.must_update(known):
            return known
    return make_password(password)
