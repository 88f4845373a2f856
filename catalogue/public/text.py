"""Matching catalogue entries to the words a visitor types: the catalogue's `q` and the site search.

German readers expect a word part to find its compounds ("Klima" -> "Klimaschutz", "Rad" ->
"Radweg"), so every word of the query is matched as a part of the title, the summary or the
entry's number; all words must match. A compound typed whole also finds titles that hold its
parts ("Radweg" -> "Radschnellweg"). Typed input is reduced to its words first, so nothing
a visitor types reaches a database's query syntax.

On PostgreSQL the substring match runs as `ILIKE`, which `pg_trgm` GIN indexes serve, and a
word may also match a title word that is merely similar (`%>`, pg_trgm's word similarity:
"Radwege" finds "Radweg", "Klimaschtz" finds "Klimaschutz"). On SQLite, good enough for the
demo, the words match as case-insensitive parts (SQLite folds ASCII only, so a capitalised
variant of each word is tried as well).
"""

import difflib
import re
import unicodedata

from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from wagtail.models import Locale

from catalogue.models import Project
from cms import cache

MAX_WORDS = 8
MAX_WORD_LENGTH = 60
# Below this length a similar word is mostly noise ("Rad" is similar to far too much).
SIMILAR_FROM_LENGTH = 4
PART_LENGTH = 3
MAX_COMPOUND_CUTS = 12
# An entry number ("2.1.03") is one word; anything else is letters and digits.
WORD = re.compile(r"\d+(?:\.\d+)+|\w+")


def words(query: str) -> list[str]:
    """The words of a query: letters and digits only, at most `MAX_WORDS`, each once."""
    # Control characters (a NUL byte among them) join what they separate: "x\x00y" is "xy".
    text = "".join(char for char in unicodedata.normalize("NFC", query or "") if unicodedata.category(char)[0] != "C")
    found: list[str] = []
    for word in WORD.findall(text):
        word = word.strip("_")[:MAX_WORD_LENGTH]
        if word and word.casefold() not in (known.casefold() for known in found):
            found.append(word)
    return found[:MAX_WORDS]


def _is_postgresql(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _variants(word: str, postgresql: bool) -> list[str]:
    if postgresql:
        return [word]
    return list(dict.fromkeys([word.lower(), word[:1].upper() + word[1:].lower()]))


def compound_parts(word: str) -> list[tuple[str, str]]:
    """The ways to read `word` as a compound of two parts of at least `PART_LENGTH` letters.

    "Radweg" is ("Rad", "weg"): a title with both parts ("Radschnellweg") matches it.
    """
    if word.isdigit() or len(word) < 2 * PART_LENGTH:
        return []
    cuts = range(PART_LENGTH, len(word) - PART_LENGTH + 1)
    return [(word[:cut], word[cut:]) for cut in cuts][:MAX_COMPOUND_CUTS]


def _word_condition(word: str, postgresql: bool) -> Q:
    condition = Q()
    for variant in _variants(word, postgresql):
        condition |= Q(title__icontains=variant) | Q(summary__icontains=variant) | Q(code__istartswith=variant)
        for head, tail in compound_parts(variant):
            condition |= Q(title__icontains=head) & Q(title__icontains=tail)
    if postgresql and len(word) >= SIMILAR_FROM_LENGTH:
        condition |= Q(title__trigram_word_similar=word)
    return condition


def _title_condition(word: str, postgresql: bool) -> Q:
    condition = Q()
    for variant in _variants(word, postgresql):
        condition |= Q(title__icontains=variant)
    return condition


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """The entries of `queryset` that every word of `query` matches; all of them for no words."""
    found = words(query)
    postgresql = _is_postgresql(queryset)
    for word in found:
        queryset = queryset.filter(_word_condition(word, postgresql))
    return queryset


def ranked(queryset: QuerySet, query: str) -> QuerySet:
    """The matching entries, those whose title holds every word first, then by number."""
    found = words(query)
    postgresql = _is_postgresql(queryset)
    in_title = Q()
    for word in found:
        in_title &= _title_condition(word, postgresql)
    rank = Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField())
    return matching(queryset, query).annotate(title_rank=rank).order_by("title_rank", "code")


def vocabulary(locale: Locale) -> list[str]:
    """The words of the live entries' titles and summaries in `locale`, for spelling suggestions."""

    def build() -> list[str]:
        rows = Project.objects.filter(live=True, locale=locale).values_list("title", "summary")
        seen: dict[str, str] = {}
        for title, summary in rows.iterator():
            for word in WORD.findall(f"{title} {summary}"):
                if len(word) >= SIMILAR_FROM_LENGTH and not word.isdigit():
                    seen.setdefault(word.casefold(), word)
        return sorted(seen.values())

    return cache.versioned("catalogue:vocabulary", locale.language_code, build=build)


def suggestion(query: str, known_words: list[str]) -> str:
    """The query with each unknown word replaced by the closest known word, or "" if none is close."""
    found = words(query)
    if not found:
        return ""
    folded = {word.casefold(): word for word in known_words}
    replaced, changed = [], False
    for word in found:
        key = word.casefold()
        if key in folded or any(candidate.startswith(key) for candidate in folded):
            replaced.append(word)
            continue
        close = difflib.get_close_matches(key, folded.keys(), n=1, cutoff=0.75)
        if close:
            replaced.append(folded[close[0]])
            changed = True
        else:
            replaced.append(word)
    return " ".join(replaced) if changed else ""
