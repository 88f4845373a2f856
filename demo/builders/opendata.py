"""Open data of the demo county: SDG links, open-data settings, API tokens for two roles.

Texts and links come from demo/data/opendata.yaml. Safe to run again: links are set only where
they differ, tokens are created only once (their plaintext is in the data file on purpose, so the
API documentation can show working calls against the demo).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from wagtail.models import APIToken, Locale, Site
from wagtail.models.api import DISPLAY_PREFIX_LENGTH

from catalogue.models import Goal, OpenDataSettings, Project, SdgTarget
from catalogue.models.sdg import load_sdgs
from demo.data import parse_yaml

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "opendata.yaml"


def _data() -> dict:
    with DATA_FILE.open(encoding="utf-8") as stream:
        return parse_yaml(stream)


def _targets(codes: list[str]) -> list[SdgTarget]:
    return list(SdgTarget.objects.filter(code__in=codes))


def link_sdgs(data: dict) -> int:
    """SDG targets on goals and on live entries of every language; returns the entries changed."""
    default = Locale.get_default()
    for code, targets in data["goal_sdgs"].items():
        goal = Goal.objects.filter(code=code, locale=default).first()
        if goal is not None:
            goal.sdg_targets.set(_targets(targets))
    changed = 0
    for code, targets in data["entry_sdgs"].items():
        wanted = _targets(targets)
        for entry in Project.objects.filter(code=code, live=True):
            # An entry with a change waiting (e.g. a report in the approval queue) keeps its draft.
            if entry.has_unpublished_changes or set(entry.sdg_targets.all()) == set(wanted):
                continue
            entry.sdg_targets.set(wanted)
            entry.save_revision().publish()
            changed += 1
    return changed


def configure(data: dict) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    values = data["settings"]
    settings = OpenDataSettings.for_site(site)
    settings.contributor_id = values["contributor_id"]
    settings.political_geocoding_uri = values["political_geocoding_uri"]
    settings.political_geocoding_level = values["political_geocoding_level"]
    settings.embed_origins = "\n".join(values["embed_origins"])
    settings.save()


def ensure_tokens(data: dict) -> list[tuple[str, str]]:
    """The documented demo tokens, as (username, token)."""
    User = get_user_model()
    created = []
    for item in data["tokens"]:
        user = User.objects.filter(username=item["user"]).first()
        if user is None:
            continue
        token = item["token"]
        key_hash = APIToken.hash_token(token)
        APIToken.objects.get_or_create(
            key_hash=key_hash,
            defaults={"user": user, "name": item["name"]["de"], "prefix": token[:DISPLAY_PREFIX_LENGTH]},
        )
        created.append((user.username, token))
    return created


def build_open_data(stdout=None) -> None:
    data = _data()
    load_sdgs()
    link_sdgs(data)
    configure(data)
    for username, token in ensure_tokens(data):
        if stdout is not None:
            stdout.write(f"Demo API token ({username}): {token}")
