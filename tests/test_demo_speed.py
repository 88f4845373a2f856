"""What keeps `load_demo` fast stays correct: the demo logins' stored password hashes are the
passwords' hashes under Django's default hasher, and a changed password is hashed as usual."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher
from django.test import override_settings

from demo import data
from demo.builders.home import ADMIN_PASSWORD
from demo.passwords import DIGESTS, PREFIX, password_hash

DEFAULT_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def demo_passwords() -> list[str]:
    roles = [user["password"] for user in data.load("roles")["users"]]
    return [ADMIN_PASSWORD, *roles, data.load("participation")["privacy_user"]["password"]]


def test_every_demo_login_has_a_stored_hash_that_checks_under_the_default_hasher():
    hasher = PBKDF2PasswordHasher()
    assert set(demo_passwords()) == set(DIGESTS)
    for password, digest in DIGESTS.items():
        stored = PREFIX + digest
        assert hasher.verify(password, stored), password
        assert not hasher.must_update(stored), "Django raised its work factor: regenerate demo/passwords.py"


@override_settings(PASSWORD_HASHERS=DEFAULT_HASHERS)
@pytest.mark.django_db
def test_a_demo_login_stored_with_its_known_hash_can_sign_in():
    stored = password_hash("umwelt-lindenau")
    assert stored == PREFIX + DIGESTS["umwelt-lindenau"]
    get_user_model().objects.create(username="uwe", password=stored)
    assert authenticate(username="uwe", password="umwelt-lindenau") is not None
    assert authenticate(username="uwe", password="umwelt-lindenau ") is None


@override_settings(PASSWORD_HASHERS=DEFAULT_HASHERS)
def test_a_password_without_a_stored_hash_is_hashed_with_its_own_salt():
    first, second = password_hash("anders-lindenau"), password_hash("anders-lindenau")
    assert first != second
    assert check_password("anders-lindenau", first)
    assert not first.startswith(PREFIX)


def test_under_another_hasher_the_stored_hash_is_not_used():
    # The tests' settings hash with MD5: a stored PBKDF2 hash there could never be checked.
    stored = password_hash("umwelt-lindenau")
    assert identify_hasher(stored).algorithm == "md5"
    assert check_password("umwelt-lindenau", stored)


def test_the_readme_search_examples_find_demo_content_right_after_load_demo(client, demo):
    # The demo indexes search once at the end instead of on every save: it must not miss anything.
    def results(url: str, query: str) -> list[str]:
        page = BeautifulSoup(client.get(url, {"q": query}).content, "html.parser")
        return [link["href"] for link in page.select(".search-results a")]

    german = results("/suche/", "Klima")
    assert "/zukunftsprofil/handlungsfeld-klima/" in german
    assert any(href.startswith("/projektkatalog/eintrag/") for href in german), german
    # Word parts find compounds: "Rad" finds the Radweg entries.
    assert any("radwanderweg" in href for href in results("/suche/", "Rad"))
    assert "/en/zukunftsprofil/handlungsfeld-klima/" in results("/en/suche/", "climate")
