"""The strategy and its chapters: page tree rules, admin creation, contents, navigation, workflow, budgets."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from catalogue.permissions import PRESS_GROUP
from catalogue.permissions import SUBJECT_REVIEW_GROUP as REVIEW_GROUP
from demo.builders.home import STRATEGY_SLUG
from home.models import ChapterPage, HomePage, StandardPage, StrategyPage

pytestmark = pytest.mark.django_db

# The demo's chapter pages in order. Area chapters (catalogue.AreaPage) may stand among them
# once the catalogue's demo adds them; tests that walk the whole strategy read the tree.
CHAPTER_SLUGS = [
    "auftrag-und-vorgehen",
    "ausgangslage",
    "staerken-und-schwaechen",
    "leitbild",
    "umsetzung",
    "fortschreibung",
    "evaluation",
]


def chapter_slugs(language="de"):
    return list(strategy(language).get_children().live().values_list("slug", flat=True))


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def strategy(language="de"):
    return StrategyPage.objects.get(slug=STRATEGY_SLUG, locale__language_code=language)


def admin_user():
    return get_user_model().objects.get(username="admin")


# --- Tree rules -------------------------------------------------------------------------------


def test_page_tree_rules(site):
    assert StrategyPage.allowed_parent_page_models() == [HomePage]
    assert ChapterPage.allowed_parent_page_models() == [StrategyPage]
    assert ChapterPage.allowed_subpage_models() == []
    assert ChapterPage in StrategyPage.allowed_subpage_models()
    assert {StrategyPage, StandardPage} <= set(HomePage.allowed_subpage_models())
    assert not StrategyPage.can_create_at(Page.get_first_root_node())
    assert not ChapterPage.can_create_at(HomePage.objects.first() or Page.get_first_root_node())


def test_admin_creates_strategy_and_chapter(client, demo):
    client.force_login(admin_user())
    home = HomePage.objects.get(locale__language_code="de")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("home", "strategypage", home.pk)),
        nested_form_data(
            {
                "title": "Kreisentwicklungskonzept 2040",
                "slug": "kek-2040",
                "subtitle": "Entwurf",
                "period": "2031–2040",
                "intro": "Der nächste Schritt.",
                "summary": rich_text("<p>Kurz gesagt.</p>"),
                "body": streamfield([]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new_strategy = StrategyPage.objects.get(slug="kek-2040")
    assert new_strategy.live and new_strategy.get_parent().pk == home.pk

    response = client.post(
        reverse("wagtailadmin_pages:add", args=("home", "chapterpage", new_strategy.pk)),
        nested_form_data(
            {
                "title": "Ausgangslage",
                "slug": "ausgangslage",
                "number": "1",
                "intro": "Wo wir stehen.",
                "body": streamfield(
                    [
                        ("heading", {"text": "Zahlen", "anchor": ""}),
                        ("paragraph", rich_text("<p>Viele Zahlen.</p>")),
                        ("quote", {"text": "Gut so.", "attribution": "Jemand"}),
                    ]
                ),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    chapter = ChapterPage.objects.get(slug="ausgangslage", path__startswith=new_strategy.path)
    assert chapter.live and chapter.table_of_contents == [("zahlen", "Zahlen")]
    page = soup(client.get(chapter.url))
    assert page.find(id="zahlen").get_text() == "Zahlen"


def test_admin_rejects_duplicate_anchors(client, demo):
    client.force_login(admin_user())
    parent = strategy()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("home", "chapterpage", parent.pk)),
        nested_form_data(
            {
                "title": "Doppelt",
                "slug": "doppelt",
                "number": "",
                "intro": "",
                "body": streamfield(
                    [("heading", {"text": "Ziele", "anchor": ""}), ("heading", {"text": "Ziele!", "anchor": ""})]
                ),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 200
    assert not ChapterPage.objects.filter(slug="doppelt").exists()


def test_admin_editor_offers_every_block_and_the_accessibility_checker(client, demo):
    client.force_login(admin_user())
    chapter = ChapterPage.objects.get(slug="ausgangslage", locale__language_code="de")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(chapter.pk,)))
    assert edit.status_code == 200
    html = edit.content.decode()
    for label in ["Kennzahlen", "Projektverlauf", "SWOT-Analyse", "Downloads", "Aufklappbereiche", "Tabelle"]:
        assert label in html
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(chapter.pk,))
    form = nested_form_data(
        {
            "title": chapter.title,
            "slug": chapter.slug,
            "number": chapter.number,
            "intro": chapter.intro,
            "body": streamfield([("paragraph", rich_text("<p>Vorschau</p>"))]),
        }
    )
    assert client.post(preview_url, form).json()["is_valid"]
    preview = client.get(preview_url, {"in_preview_panel": "true"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Vorschau" in html
    # Wagtail's content checker (axe-core) runs inside the preview panel through the userbar.
    assert 'id="checker-axe-configuration"' in html


# --- Strategy page ----------------------------------------------------------------------------


def test_strategy_page_lists_chapters_in_order_and_links_versions(client, demo):
    page = soup(client.get("/zukunftsprofil/"))
    assert len(page.find_all("h1")) == 1
    assert page.h1.get_text() == "Zukunftsprofil Lindenau 2030"
    links = [a["href"] for a in page.select(".chapter-list a")]
    assert links == [f"/zukunftsprofil/{slug}/" for slug in chapter_slugs()]
    assert [slug for slug in chapter_slugs() if slug in CHAPTER_SLUGS] == CHAPTER_SLUGS
    assert page.select_one('a[href="/zukunftsprofil/kompaktfassung.pdf"]').get_text() == "Kompaktfassung als PDF"
    assert page.select_one('a[href="/zukunftsprofil/gesamt/"]')
    assert "2021–2030" in page.select_one(".strategy-facts").get_text()
    assert "22. März 2023" in page.select_one(".strategy-facts").get_text()
    english_facts = soup(client.get("/en/zukunftsprofil/")).select_one(".strategy-facts").get_text()
    assert "22 March 2023" in english_facts
    nav = [a.get_text() for a in page.select("#main-nav a")]
    assert "Zukunftsprofil Lindenau 2030" in nav


def test_draft_and_private_chapters_are_not_listed(client, demo):
    parent = strategy()
    draft = ChapterPage(title="Entwurf", slug="entwurf", live=False)
    parent.add_child(instance=draft)
    private = ChapterPage(title="Intern", slug="intern")
    parent.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="geheim")
    page = soup(client.get("/zukunftsprofil/"))
    titles = [a.get_text() for a in page.select(".chapter-list a")]
    assert not any("Entwurf" in t or "Intern" in t for t in titles)
    # The chapter before the new ones links forward to nothing: both are skipped.
    public = [slug for slug in chapter_slugs() if slug not in ("entwurf", "intern")]
    chapter = soup(client.get(f"/zukunftsprofil/{public[-1]}/"))
    assert chapter.select_one(".chapter-nav__next a") is None
    before = soup(client.get(f"/zukunftsprofil/{public[-2]}/"))
    assert before.select_one(".chapter-nav__next a")["href"] == f"/zukunftsprofil/{public[-1]}/"
    # The restriction itself still holds on the chapter (one-query check of view restrictions).
    assert client.get("/zukunftsprofil/intern/").status_code == 200
    assert "password" in client.get("/zukunftsprofil/intern/").content.decode()


# --- Chapters: table of contents and navigation -----------------------------------------------


def test_chapter_table_of_contents_anchors_exist(client, demo):
    with_contents = 0
    for slug in CHAPTER_SLUGS:
        page = soup(client.get(f"/zukunftsprofil/{slug}/"))
        assert len(page.find_all("h1")) == 1
        targets = [a["href"] for a in page.select(".toc a")]
        chapter = ChapterPage.objects.get(slug=slug, locale__language_code="de")
        sections = [f"#{anchor}" for anchor, _ in chapter.table_of_contents]
        # A table of contents needs two sections to be worth showing.
        assert targets == (sections if len(sections) > 1 else [])
        with_contents += len(targets) > 1
        for target in targets:
            heading = page.find(id=target[1:])
            assert heading is not None and heading.name == "h2"
        ids = [tag["id"] for tag in page.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"duplicate ids on {slug}"
    assert with_contents >= 3, "most demo chapters have sections to jump to"


def test_first_chapter_toc(client, demo):
    page = soup(client.get("/zukunftsprofil/auftrag-und-vorgehen/"))
    assert [(a["href"], a.get_text()) for a in page.select(".toc a")] == [
        ("#auftrag", "Der Auftrag"),
        ("#projektverlauf", "Projektverlauf"),
        ("#wer-mitgewirkt-hat", "Wer mitgewirkt hat"),
    ]


def test_chapter_previous_and_next(client, demo):
    first = soup(client.get("/zukunftsprofil/auftrag-und-vorgehen/"))
    assert first.select_one(".chapter-nav__previous") is None
    assert first.select_one(".chapter-nav__next a")["href"] == "/zukunftsprofil/ausgangslage/"
    middle = soup(client.get("/zukunftsprofil/leitbild/"))
    assert middle.select_one(".chapter-nav__previous a")["href"] == "/zukunftsprofil/staerken-und-schwaechen/"
    following = chapter_slugs()[chapter_slugs().index("leitbild") + 1]
    assert middle.select_one(".chapter-nav__next a")["href"] == f"/zukunftsprofil/{following}/"
    last = soup(client.get("/zukunftsprofil/evaluation/"))
    assert last.select_one(".chapter-nav__next") is None
    assert last.select_one(".chapter-header__kicker a")["href"] == "/zukunftsprofil/"


def test_english_tree_skips_untranslated_chapters(client, demo):
    english = strategy("en")
    assert ChapterPage.objects.child_of(english).live().count() >= 3
    translated = chapter_slugs("en")
    assert "staerken-und-schwaechen" not in translated
    overview = soup(client.get("/en/zukunftsprofil/"))
    assert overview.h1.get_text() == "Lindenau Future Profile 2030"
    assert overview.html["lang"] == "en"
    assert [a["href"] for a in overview.select(".chapter-list a")] == [f"/en/zukunftsprofil/{s}/" for s in translated]
    # "ausgangslage" is followed in German by the untranslated SWOT chapter; in English by "leitbild".
    page = soup(client.get("/en/zukunftsprofil/ausgangslage/"))
    assert page.h1.get_text() == "Starting position"
    assert page.select_one(".chapter-nav__next a")["href"] == "/en/zukunftsprofil/leitbild/"
    assert page.select_one(".chapter-nav__previous a")["href"] == "/en/zukunftsprofil/auftrag-und-vorgehen/"
    assert "Inhabitants" in page.get_text()
    # An untranslated chapter: no English page, and the switcher falls back to the English home.
    assert client.get("/en/zukunftsprofil/staerken-und-schwaechen/").status_code == 404
    swot = soup(client.get("/zukunftsprofil/staerken-und-schwaechen/"))
    assert swot.select_one(".language-switcher a")["href"] == "/en/"


# --- One-page view ----------------------------------------------------------------------------


def test_one_page_view_holds_all_chapters_in_order(client, demo):
    page = soup(client.get("/zukunftsprofil/gesamt/"))
    assert len(page.find_all("h1")) == 1
    chapter_ids = [section["id"] for section in page.select("section.chapter")]
    assert chapter_ids == [f"kapitel-{slug}" for slug in chapter_slugs()]
    assert [a["href"] for a in page.select(".toc a")] == [f"#kapitel-{slug}" for slug in chapter_slugs()]
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))
    # Block headings sit one level below the chapter titles.
    assert page.find(id="auftrag-und-vorgehen-auftrag").name == "h3"
    assert page.select_one(".timeline__title").name == "h4"
    levels = [int(h.name[1]) for h in page.select("main h1, main h2, main h3, main h4")]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


# --- Workflow ---------------------------------------------------------------------------------


def test_demo_installs_two_step_workflow(demo):
    workflow = strategy().get_workflow()
    assert workflow.name == "Freigabe Zukunftsprofil"
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == ["Fachliche Prüfung", "Freigabe Pressestelle"]
    assert [[g.name for g in task.groups.all()] for task in tasks] == [[REVIEW_GROUP], [PRESS_GROUP]]
    chapter = ChapterPage.objects.get(slug="leitbild", locale__language_code="de")
    assert chapter.get_workflow() == workflow
    assert strategy("en").get_workflow() == workflow
    assert Workflow.objects.filter(name="Freigabe Zukunftsprofil").count() == 1


def _user(username, group_name):
    user = get_user_model().objects.create_user(username=username, password="x", email=f"{username}@example.org")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_approval_workflow_end_to_end(client, demo):
    editor = _user("redakteurin", "Editors")
    reviewer = _user("fachamt", REVIEW_GROUP)
    press = _user("presse", PRESS_GROUP)
    chapter = ChapterPage.objects.get(slug="leitbild", locale__language_code="de")
    edit_url = reverse("wagtailadmin_pages:edit", args=(chapter.pk,))

    client.force_login(editor)
    response = client.post(
        edit_url,
        nested_form_data(
            {
                "title": "Leitbild 2030 (neu)",
                "slug": chapter.slug,
                "number": chapter.number,
                "intro": chapter.intro,
                "body": streamfield([("paragraph", rich_text("<p>Neues Leitbild.</p>"))]),
                "action-submit": "submit",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    chapter.refresh_from_db()
    state = chapter.current_workflow_state
    assert state is not None and state.current_task_state.task.name == "Fachliche Prüfung"
    assert chapter.title == "Leitbild 2030"  # still the old live version

    def approve(user):
        client.force_login(user)
        task_state = ChapterPage.objects.get(pk=chapter.pk).current_workflow_state.current_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(chapter.pk, "approve", task_state.pk))
        response = client.post(url, {"comment": "passt"})
        assert response.status_code in (200, 302), response.content.decode()[:2000]
        return task_state

    # The press office cannot act on the first step.
    client.force_login(press)
    first = ChapterPage.objects.get(pk=chapter.pk).current_workflow_state.current_task_state
    client.post(reverse("wagtailadmin_pages:workflow_action", args=(chapter.pk, "approve", first.pk)), {})
    first.refresh_from_db()
    assert first.status == "in_progress"

    approve(reviewer)
    chapter.refresh_from_db()
    assert chapter.current_workflow_state.current_task_state.task.name == "Freigabe Pressestelle"
    assert chapter.title == "Leitbild 2030"

    approve(press)
    chapter.refresh_from_db()
    assert chapter.current_workflow_state is None
    assert chapter.live and chapter.title == "Leitbild 2030 (neu)"
    page = soup(client.get("/zukunftsprofil/leitbild/"))
    assert page.h1.get_text() == "Leitbild 2030 (neu)"
    assert "Neues Leitbild." in page.get_text()


# --- Query budgets ----------------------------------------------------------------------------


def _queries(client, url):
    client.get(url)  # warm per-process caches (content types, site root paths, renditions)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_chapters(count):
    parent = strategy()
    for i in range(count):
        chapter = ChapterPage(
            title=f"Zusatzkapitel {i}",
            slug=f"zusatz-{i}",
            number=str(20 + i),
            intro="Mehr.",
            body=[("heading", {"text": "Abschnitt", "anchor": ""}), ("paragraph", "<p>Text</p>")],
        )
        parent.add_child(instance=chapter)
        chapter.save_revision().publish()


@pytest.mark.parametrize("url", ["/zukunftsprofil/", "/en/zukunftsprofil/"])
def test_strategy_page_query_budget(client, demo, url):
    before = _queries(client, url)
    assert before <= 12
    _add_chapters(5)
    assert _queries(client, url) == before


def _chapter_urls(language):
    """Every live chapter page of the strategy; area chapters are the catalogue's pages."""
    return [chapter.url for chapter in ChapterPage.objects.child_of(strategy(language)).live()]


@pytest.mark.parametrize("language", ["de", "en"])
def test_chapter_page_query_budget(client, demo, language):
    urls = _chapter_urls(language)
    assert len(urls) >= 3
    before = {url: _queries(client, url) for url in urls}
    assert {url: count for url, count in before.items() if count > 12} == {}
    _add_chapters(5)
    assert {url: _queries(client, url) for url in urls} == before


def test_chapter_with_live_blocks_does_not_grow_with_the_catalogue(client, demo):
    from catalogue.models import Goal
    from tests.factories import GoalFactory, ProjectFactory

    url = "/zukunftsprofil/evaluation/"
    before = _queries(client, url)
    assert before <= 12
    chapter = ChapterPage.objects.get(slug="evaluation", locale__language_code="de")
    area = next(block for block in chapter.body if block.block_type == "goal_overview").value["area"]
    status = next(block for block in chapter.body if block.block_type == "project_list").value["status"]
    goals = list(Goal.objects.filter(area=area.pk, locale=area.locale_id))
    for i, parent in enumerate(goals):
        subgoal = GoalFactory(area=area, parent=parent, code=f"{parent.code}.{90 + i}", title=f"Neues Ziel {i}")
        for _ in range(3):
            ProjectFactory(goals=[subgoal, parent], status=status)
    page = soup(client.get(url))
    assert "Neues Ziel 0" in page.select_one(".goal-overview").get_text()
    assert _queries(client, url) == before
