"""The SDG taxonomy: shipped data in two languages, the facet against the database, icons, exports, import."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from catalogue.imports import COLUMN_KEYS, apply_import, headers, plan_import
from catalogue.models import Goal, Project, SdgGoal, SdgTarget
from catalogue.public.query import entry_url
from tests.catalogue_public_data import build, catalogue_page
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.test_permissions import edit_data

pytestmark = pytest.mark.django_db

ICONS = Path(settings.BASE_DIR) / "static" / "img" / "sdg"


def test_all_goals_and_targets_are_shipped_in_german_and_english(site):
    assert SdgGoal.objects.count() == 17 and SdgTarget.objects.count() == 169
    for goal in SdgGoal.objects.prefetch_related("targets"):
        assert set(goal.names) == set(goal.titles) == {"de", "en"}, goal.number
        assert re.fullmatch(r"#[0-9A-F]{6}", goal.colour)
        assert (ICONS / f"sdg-{goal.number:02d}.svg").is_file()
        for target in goal.targets.all():
            assert target.code.startswith(f"{goal.number}.") and set(target.texts) == {"de", "en"}, target.code
    assert SdgTarget.objects.get(code="17.10").goal.number == 17
    assert [goal.targets.count() for goal in SdgGoal.objects.order_by("number")] == [
        7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19,
    ]  # fmt: skip


def test_load_command_is_safe_to_run_again_and_restores_the_texts(db):
    SdgTarget.objects.filter(code="7.2").update(texts={"de": "verändert"})
    out = io.StringIO()
    call_command("load_sdgs", stdout=out)
    call_command("load_sdgs", stdout=out)
    assert "169" in out.getvalue()
    assert SdgTarget.objects.count() == 169
    assert SdgTarget.objects.get(code="7.2").texts["en"].startswith("By 2030, increase substantially")


@pytest.fixture
def data(site):
    result = build(18)
    targets = {code: SdgTarget.objects.get(code=code) for code in ("7.2", "7.3", "13.2", "4.1")}
    for index, entry in enumerate(result["entries"]):
        chosen = [[targets["7.2"]], [targets["13.2"], targets["7.3"]], [targets["7.2"], targets["7.3"]], []][index % 4]
        entry.sdg_targets.set(chosen)
        entry.save()
    result["page"] = catalogue_page()
    return result


def option_counts(html, facet):
    pattern = re.compile(
        rf'name="{facet}" value="([^"]+)"[^>]*>\s*<label[^>]*>[^<]*<span class="facet__count">\((\d+)\)</span>'
    )
    return {key: int(number) for key, number in pattern.findall(html)}


def codes(html):
    return re.findall(r'<span class="entry-card__code">([^<]+)</span>', html)


def test_sdg_facet_counts_are_what_the_database_says(client, data):
    html = client.get("/projektkatalog/?kind=project").content.decode()
    counts = option_counts(html, "sdg")
    expected = {}
    for goal in SdgGoal.objects.all():
        number = Project.objects.filter(live=True, kind="project", sdg_targets__goal=goal).distinct().count()
        if number:
            expected[str(goal.number)] = number
    # Only measures carry SDG 13 here, so with „Projekt“ chosen it has nothing to offer.
    assert counts == expected and "7" in counts and "13" not in counts
    assert "7 Bezahlbare und saubere Energie" in html


def test_sdg_filter_combines_with_the_others(client, data):
    html = client.get("/projektkatalog/?sdg=13&sdg=4").content.decode()
    expected = Project.objects.filter(live=True, sdg_targets__goal__number__in=[13, 4]).distinct()
    assert sorted(codes(html)) == sorted(entry.code for entry in expected)
    html = client.get("/projektkatalog/?sdg=7&kind=measure").content.decode()
    expected = Project.objects.filter(live=True, kind="measure", sdg_targets__goal__number=7).distinct()
    assert sorted(codes(html)) == sorted(entry.code for entry in expected)
    assert "Nachhaltigkeitsziel (SDG): 7 Bezahlbare und saubere Energie" in html


def test_entry_page_shows_icons_with_text_alternatives(client, data):
    entry = data["entries"][1]
    html = client.get(entry_url("/projektkatalog/", entry)).content.decode()
    assert '<img class="sdg-list__icon" src="/static/img/sdg/sdg-07.svg"' in html
    assert 'alt="Nachhaltigkeitsziel 7: Bezahlbare und saubere Energie"' in html
    assert 'alt="Nachhaltigkeitsziel 13: Maßnahmen zum Klimaschutz"' in html
    assert "13.2 Klimaschutzmaßnahmen in die nationalen Politiken" in html
    assert "sdg-list" not in client.get(entry_url("/projektkatalog/", data["entries"][3])).content.decode()


def test_goals_link_to_targets_in_the_api(client, data):
    goal = data["goals"][0]
    goal.sdg_targets.set(SdgTarget.objects.filter(code__in=["9.1", "8.3"]))
    items = client.get("/api/v3/catalogue/goals/").json()["items"]
    assert next(item for item in items if item["code"] == goal.code)["sdg_targets"] == ["8.3", "9.1"]
    assert Goal.objects.get(pk=goal.pk).sdg_targets.count() == 2


def exported(client, query=""):
    response = client.get(f"/projektkatalog/export/csv/{query}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return text, list(csv.reader(io.StringIO(text), delimiter=";"))


def test_exports_carry_the_codes_in_the_last_column_and_the_import_reads_them_back(client, data):
    text, rows = exported(client)
    # The export as downloaded, with its closing source note, imports as „nothing changed“.
    unchanged = plan_import(io.BytesIO(text.encode("utf-8")), "export.csv")
    assert unchanged.ok and unchanged.counts == {"create": 0, "change": 0, "unchanged": 18, "skipped": 0}
    assert rows[0] == headers() and rows[0][-1] == "SDG-Unterziele" and COLUMN_KEYS[-1] == "sdg_targets"
    by_code = {row[0]: row[-1] for row in rows[1:-1]}
    assert by_code[data["entries"][1].code] == "7.3; 13.2"
    json_entries = client.get("/projektkatalog/export/json/")
    document = b"".join(json_entries.streaming_content).decode()
    assert '"sdg_targets": "7.3; 13.2"' in document

    edited = []
    for row in rows[1:-1]:
        if row[0] == data["entries"][1].code:
            row[-1] = "SDG 4.1, 13.A"
        if row[0] == data["entries"][3].code:
            row[-1] = "7.2"
        edited.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([rows[0], *edited])
    plan = plan_import(io.BytesIO(buffer.getvalue().encode("utf-8")), "sdg.csv")
    assert plan.ok, [str(error) for error in plan.errors]
    assert plan.counts["change"] == 2
    apply_import(plan)
    assert sorted(Project.objects.get(pk=data["entries"][1].pk).sdg_targets.values_list("code", flat=True)) == [
        "13.a",
        "4.1",
    ]
    assert list(Project.objects.get(pk=data["entries"][3].pk).sdg_targets.values_list("code", flat=True)) == ["7.2"]


def test_unknown_sdg_targets_are_reported_by_row_and_column(client, data):
    _text, rows = exported(client)
    rows = rows[:-1]
    rows[1][-1] = "18.1; 7.2"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    plan = plan_import(io.BytesIO(buffer.getvalue().encode()), "falsch.csv")
    assert not plan.ok
    assert any("SDG-Unterziele" in str(error) and "18.1" in str(error) for error in plan.errors)


def test_editors_link_entries_and_goals_to_targets_grouped_by_goal(client, site):
    world = build_world()
    client.force_login(world.coordinator)
    edit = reverse(f"{PROJECT_URLS}:edit", args=[world.entry_a.pk])
    html = client.get(edit).content.decode()
    assert "SDG 7: Bezahlbare und saubere Energie" in html and "7.2 Bis 2030 den Anteil erneuerbarer" in html
    targets = [str(SdgTarget.objects.get(code=code).pk) for code in ("11.2", "3.6")]
    data = edit_data(world.entry_a, sdg_targets=targets, **{"action-publish": "publish"})
    assert client.post(edit, data).status_code == 302
    assert sorted(Project.objects.get(pk=world.entry_a.pk).sdg_targets.values_list("code", flat=True)) == [
        "11.2",
        "3.6",
    ]

    goal = world.goal
    goal_edit = reverse("wagtailsnippets_catalogue_goal:edit", args=[goal.pk])
    assert "SDG 13: Maßnahmen zum Klimaschutz" in client.get(goal_edit).content.decode()
    response = client.post(
        goal_edit,
        {
            "area": goal.area_id,
            "code": goal.code,
            "order": "0",
            "title": goal.title,
            "sdg_targets": [str(SdgTarget.objects.get(code="13.2").pk)],
        },
    )
    assert response.status_code == 302
    assert list(Goal.objects.get(pk=goal.pk).sdg_targets.values_list("code", flat=True)) == ["13.2"]
