"""Demo content of the participation: Zukunftsdialoge (upcoming and past), ideas in every state, subscriptions.

Texts live in `demo/data/participation.yaml` (German with English). Dialogue dates are relative
to the day the demo is loaded. Everything is looked up before it is created, so running the
demo twice changes nothing.
"""

import datetime
import re
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from wagtail.blocks import StreamValue
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from catalogue.models import Goal, Project, Theme
from catalogue.permissions import COORDINATOR_GROUP
from demo.data import parse_yaml
from demo.passwords import password_hash
from demo.translation import translate
from home.models import ChapterPage, HomePage, StrategyPage
from participation.following import Scope, locale_for
from participation.forms import FOLLOW_CONSENT, IDEA_EMAIL_CONSENT, IDEA_PUBLISH_CONSENT
from participation.models import (
    ConsentRecord,
    DialogueIndexPage,
    DialoguePage,
    Idea,
    IdeaIndexPage,
    Purpose,
    Subscriber,
    Subscription,
)
from participation.roles import setup_roles
from participation.selection import normalise_query

DATA = Path(__file__).resolve().parent.parent / "data" / "participation.yaml"
BLOCK_TEXT = re.compile(r"<(p|li)>(.*?)</\1>", re.DOTALL)


def load() -> dict[str, Any]:
    return parse_yaml(DATA.read_text(encoding="utf-8"))


def _rich_text_strings(german: str, english: str) -> dict[str, str]:
    """Source text -> translation for a rich text, whole and per paragraph or list item.

    wagtail-localize offers a rich text to translators block by block; the demo's translations
    pair the blocks of both languages in order.
    """
    pairs = {german: english}
    for (_tag, source), (_tag_en, target) in zip(BLOCK_TEXT.findall(german), BLOCK_TEXT.findall(english), strict=False):
        pairs[source.strip()] = target.strip()
    return pairs


def _strings(spec: dict[str, Any], english: dict[str, Any], fields: list[str]) -> dict[str, str]:
    strings = {}
    for name in fields:
        if spec.get(name) and english.get(name):
            if name in ("programme", "documentation", "notes"):
                strings.update(_rich_text_strings(spec[name], english[name]))
            else:
                strings[spec[name]] = english[name]
    return strings


def _translate_page(page: Page, english: Locale | None, strings: dict[str, str]) -> None:
    if english is not None and not page.has_translation(english):
        translate(page, english, strings)


def ensure_index_pages(
    home: HomePage, data: dict[str, Any], english: Locale | None
) -> tuple[DialogueIndexPage, IdeaIndexPage]:
    spec = data["dialogue_index"]
    dialogues = DialogueIndexPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if dialogues is None:
        dialogues = DialogueIndexPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"], show_in_menus=True)
        home.add_child(instance=dialogues)
        dialogues.save_revision().publish()
    _translate_page(dialogues, english, _strings(spec, spec["en"], ["title", "intro"]))

    spec = data["idea_index"]
    ideas = IdeaIndexPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if ideas is None:
        ideas = IdeaIndexPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec["intro"],
            body=[("paragraph", RichText(spec["notes"]))],
            show_in_menus=True,
        )
        home.add_child(instance=ideas)
        ideas.save_revision().publish()
    _translate_page(ideas, english, _strings(spec, spec["en"], ["title", "intro", "notes"]))
    return DialogueIndexPage.objects.get(pk=dialogues.pk), IdeaIndexPage.objects.get(pk=ideas.pk)


def _when(days: int, start: str, hours: float) -> tuple[datetime.datetime, datetime.datetime]:
    day = timezone.localdate() + datetime.timedelta(days=days)
    hour, minute = (int(part) for part in start.split(":"))
    begins = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return begins, begins + datetime.timedelta(hours=hours)


def _document(title: str, text: str):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = text.encode("utf-8")
    document = Document(title=title, file=ContentFile(data, name="ergebnisprotokoll.txt"))
    document.file_size = len(data)
    document.save()
    return document


def _documentation(spec: dict[str, Any]) -> list[tuple[str, Any]]:
    blocks: list[tuple[str, Any]] = []
    if spec.get("documentation"):
        blocks.append(("paragraph", RichText(spec["documentation"])))
    if spec.get("document"):
        text = re.sub(r"<[^>]+>", "", spec.get("documentation", "")).strip()
        document = _document(spec["document"], f"{spec['document']}\n\n{text}\n")
        blocks.append(("downloads", {"documents": [{"document": document, "title": "", "description": ""}]}))
    return blocks


def ensure_dialogue(index: DialogueIndexPage, spec: dict[str, Any], english: Locale | None) -> DialoguePage:
    dialogue = DialoguePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if dialogue is None:
        default = Locale.get_default()
        start, end = _when(spec["days"], spec["start"], spec["hours"])
        access = set(spec.get("access", []))
        dialogue = DialoguePage(
            title=spec["title"],
            slug=spec["slug"],
            start=start,
            end=end,
            topic=spec["topic"],
            intro=spec.get("intro", ""),
            format=spec["format"],
            venue=spec.get("venue", ""),
            address=spec.get("address", ""),
            online_url=spec.get("online_url", ""),
            step_free="step_free" in access,
            accessible_toilet="accessible_toilet" in access,
            hearing_loop="hearing_loop" in access,
            sign_language="sign_language" in access,
            accessibility_notes=spec.get("accessibility_notes", ""),
            registration=spec.get("registration", "none"),
            registration_url=spec.get("registration_url", ""),
            capacity=spec.get("capacity"),
            cancelled=spec.get("cancelled", False),
            body=[("paragraph", RichText(spec["programme"]))] if spec.get("programme") else [],
            documentation=_documentation(spec),
        )
        dialogue.goals = list(Goal.objects.filter(locale=default, code__in=spec.get("goals", [])))
        dialogue.themes = list(Theme.objects.filter(locale=default, slug__in=spec.get("themes", [])))
        index.add_child(instance=dialogue)
        dialogue.save_revision().publish()
    fields = ["title", "topic", "intro", "venue", "accessibility_notes", "programme", "documentation"]
    _translate_page(dialogue, english, _strings(spec, spec.get("en", {}), fields))
    return DialoguePage.objects.get(pk=dialogue.pk)


def _milestones(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The milestone values of every timeline block in a body's raw data, in order (the dicts themselves)."""
    values = []
    for block in raw:
        if block["type"] == "timeline":
            for item in block["value"]["milestones"]:
                values.append(item["value"] if "type" in item and "value" in item else item)
    return values


def _point_milestones(chapter: Page, positions: list[int], page: Page) -> None:
    raw = [dict(block) for block in chapter.body.raw_data]
    milestones = _milestones(raw)
    changed = False
    for position in positions:
        if position < len(milestones) and milestones[position].get("page") != page.pk:
            milestones[position]["page"] = page.pk
            changed = True
    if changed:
        chapter.body = StreamValue(chapter.body.stream_block, raw, is_lazy=True)
        chapter.save_revision().publish()


def link_timeline(strategy: StrategyPage | None, title: str, dialogue: DialoguePage, english: Locale | None) -> None:
    """The strategy's process timeline points its milestone `title` to the dialogue, in both languages.

    The English chapter names the milestone in English; it sits at the same place as the German one.
    """
    if strategy is None:
        return
    for chapter in ChapterPage.objects.child_of(strategy):
        milestones = _milestones(list(chapter.body.raw_data))
        positions = [index for index, milestone in enumerate(milestones) if milestone.get("title") == title]
        if not positions:
            continue
        _point_milestones(chapter, positions, dialogue)
        translated = chapter.get_translation_or_none(english) if english else None
        if translated is not None:
            _point_milestones(translated, positions, dialogue.get_translation_or_none(english) or dialogue)


def _project(code: str | None, goal_code: str | None) -> Project | None:
    entries = Project.objects.filter(locale=Locale.get_default(), live=True)
    found = entries.filter(code=code).first() if code else None
    if found is None and goal_code:
        found = entries.filter(goals__code=goal_code).order_by("code").first()
    return found


def ensure_ideas(data: dict[str, Any]) -> int:
    default = Locale.get_default()
    now = timezone.now()
    created = 0
    for spec in data["ideas"]:
        if Idea.objects.filter(title=spec["title"]).exists():
            continue
        submitted = now - datetime.timedelta(days=spec["days"])
        email = spec.get("email", "")
        language = spec.get("language", "de")
        project = _project(spec.get("project"), spec.get("goal")) if spec["state"] == Idea.State.ADOPTED else None
        idea = Idea(
            title=spec["title"],
            text=spec["text"],
            goal=Goal.objects.filter(locale=default, code=spec.get("goal")).first() if spec.get("goal") else None,
            theme=Theme.objects.filter(locale=default, slug=spec.get("theme")).first() if spec.get("theme") else None,
            name=spec.get("name", ""),
            email=email,
            email_confirmed_at=submitted + datetime.timedelta(minutes=5) if email else None,
            language=language,
            submitted_at=submitted,
            moderation=spec.get("moderation", Idea.Moderation.PUBLISHED),
            state=spec["state"] if project or spec["state"] != Idea.State.ADOPTED else Idea.State.IN_REVIEW,
            answer=spec.get("answer", "").strip(),
            project=project,
        )
        idea.full_clean()
        idea.save()
        if idea.answered_at:
            # Answered some days after it came in, and the submitter was told then.
            answered = min(submitted + datetime.timedelta(days=10), now)
            Idea.objects.filter(pk=idea.pk).update(answered_at=answered, notified_at=answered if email else None)
        if email:
            for event in (ConsentRecord.Event.GIVEN, ConsentRecord.Event.CONFIRMED):
                with translation.override(language):
                    text = f"{IDEA_PUBLISH_CONSENT}\n{IDEA_EMAIL_CONSENT}"
                ConsentRecord.objects.create(
                    email=email, purpose=Purpose.IDEA, event=event, subject=idea.title, text=text, language=language
                )
        created += 1
    return created


def _scope(item: dict[str, Any]) -> Scope:
    if item.get("entry"):
        return Scope(kind=Subscription.Kind.ENTRY, entry_code=item["entry"])
    for name in ("area", "goal"):
        if item.get(name):
            return Scope.selection(normalise_query(f"{name}={item[name]}"))
    return Scope.selection(normalise_query(item.get("query", "")))


def ensure_subscriptions(data: dict[str, Any]) -> int:
    count = 0
    for spec in data["subscriptions"]:
        language = spec["language"]
        subscriber, _ = Subscriber.objects.get_or_create(email=spec["email"], defaults={"language": language})
        confirmed = spec.get("confirmed", True)
        for item in spec["items"]:
            scope = _scope(item)
            subscription, created = Subscription.objects.get_or_create(
                subscriber=subscriber,
                kind=scope.kind,
                entry_code=scope.entry_code,
                query=scope.query,
                defaults={"frequency": item["frequency"]},
            )
            if not created:
                continue
            count += 1
            with translation.override(language):
                label = scope.label(locale_for(language))
                text = str(FOLLOW_CONSENT)
            events = [ConsentRecord.Event.GIVEN] + ([ConsentRecord.Event.CONFIRMED] if confirmed else [])
            for event in events:
                ConsentRecord.objects.create(
                    email=subscriber.email,
                    purpose=Purpose.SUBSCRIPTION,
                    event=event,
                    subject=label,
                    text=text,
                    language=language,
                )
            if confirmed:
                subscription.confirm()
    return count


def ensure_users(data: dict[str, Any]) -> None:
    moderation, privacy = setup_roles()
    User = get_user_model()
    for user in User.objects.filter(groups__name=COORDINATOR_GROUP):
        user.groups.add(moderation)
    spec = data["privacy_user"]
    user, created = User.objects.get_or_create(
        username=spec["username"],
        defaults={
            "email": f"{spec['username']}@lk-lindenau.example",
            "first_name": spec["first_name"],
            "last_name": spec["last_name"],
        },
    )
    if created:
        user.password = password_hash(spec["password"])
        user.save()
    user.groups.add(privacy)


@transaction.atomic
def build_participation(home: HomePage, strategy: StrategyPage | None = None, stdout=None) -> None:
    data = load()
    english = Locale.objects.filter(language_code="en").first()
    ensure_users(data)
    index, _ideas_page = ensure_index_pages(home, data, english)
    dialogues = []
    for spec in data["dialogues"]:
        dialogue = ensure_dialogue(index, spec, english)
        dialogues.append(dialogue)
        if spec.get("milestone"):
            link_timeline(strategy, spec["milestone"], dialogue, english)
    ideas = ensure_ideas(data)
    subscriptions = ensure_subscriptions(data)
    # The state the first digests compare with: changes from now on are news.
    if stdout is not None:
        stdout.write(
            f"Participation: {len(dialogues)} Zukunftsdialoge, {ideas} new ideas, {subscriptions} new subscriptions."
        )
        spec = data["privacy_user"]
        stdout.write(f"Demo login (Datenschutz): user: {spec['username']}  password: {spec['password']}")
