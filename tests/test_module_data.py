"""`module_data` (tests/conftest.py): data built once per module, and still each test's own.

Each test finds the data as it was built and then changes it, in the database and on the objects it
got; whichever runs first (pytest-randomly shuffles them), the other must not see those changes.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import module_data

BUILT = []


def two_users(site):
    BUILT.append(site.pk)
    users = get_user_model().objects
    return {
        "home": site,
        "first": users.create_user("erste", "erste@lk.example", "geheim-genug-123"),
        "second": users.create_user("zweite", "zweite@lk.example", "geheim-genug-123"),
    }


_module_data, world = module_data(two_users)


def assert_as_built(world):
    users = get_user_model().objects
    assert [world["home"].pk] == BUILT, "built once per module"
    assert sorted(users.filter(username__in=["erste", "zweite"]).values_list("username", flat=True)) == [
        "erste",
        "zweite",
    ]
    assert world["first"].email == "erste@lk.example"
    assert users.get(pk=world["first"].pk).email == "erste@lk.example"
    assert not users.filter(username="dritte").exists()


@pytest.mark.parametrize("run", range(3))
def test_a_test_changes_the_objects_and_rows_it_got(world, run):
    assert_as_built(world)
    world["first"].email = f"geaendert-{run}@lk.example"
    world["first"].save()
    world["second"].delete()
    get_user_model().objects.create_user("dritte", "dritte@lk.example", "geheim-genug-123")


def test_the_next_test_finds_them_as_built(world):
    assert_as_built(world)
    world["first"].email = "auch-geaendert@lk.example"
    world["first"].save()


def test_without_the_data_a_test_runs_first_and_sees_none_of_it(db):
    # Tests of a module that do not ask for its data run before the first one that does.
    assert BUILT == []
    assert not get_user_model().objects.filter(username__in=["erste", "zweite"]).exists()
