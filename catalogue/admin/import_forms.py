"""The forms of the admin import: the upload, the column mapping, and the preview's options and words."""

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from catalogue.imports import MAX_FILE_SIZE, MAX_ROWS, TARGETS, ColumnMapping
from catalogue.imports.vocabulary import CREATE, KINDS, term_key
from catalogue.imports.words import LIGHT_CHOICES
from catalogue.models import Goal, ImportMapping

ALLOWED_SUFFIXES = (".xlsx", ".csv", ".txt")
WORD_KINDS = {
    "statuses": gettext_lazy("Status"),
    "traffic_lights": gettext_lazy("Ampel"),
    "departments": gettext_lazy("Stellen"),
    "municipalities": gettext_lazy("Gemeinden"),
    "goals": gettext_lazy("Ziele"),
    "themes": gettext_lazy("Querschnittsthemen"),
    "funding_programmes": gettext_lazy("Förderprogramme"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Datei"),
        help_text=gettext_lazy("Excel-Arbeitsmappe (.xlsx) oder CSV-Datei, höchstens %(size)s MB und %(rows)s Zeilen.")
        % {"size": MAX_FILE_SIZE // 2**20, "rows": f"{MAX_ROWS:,}".replace(",", ".")},
    )
    locale = forms.ModelChoiceField(
        label=gettext_lazy("Sprache der Einträge"),
        queryset=Locale.objects.all(),
        required=True,
        help_text=gettext_lazy("Einträge werden innerhalb dieser Sprache über ihre Nummer zugeordnet."),
    )
    saved_mapping = forms.ModelChoiceField(
        label=gettext_lazy("Gespeicherte Zuordnung"),
        queryset=ImportMapping.objects.all(),
        required=False,
        empty_label=gettext_lazy("– Spalten automatisch erkennen –"),
        help_text=gettext_lazy("Für eine Datei, deren Spalten schon einmal zugeordnet und gespeichert wurden."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("Die Datei ist größer als %(size)s MB. Bitte teilen Sie sie auf.") % {"size": MAX_FILE_SIZE // 2**20}
            )
        if Path(upload.name).suffix.casefold() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Erlaubt sind .xlsx- und .csv-Dateien; .xlsm mit Makros wird abgelehnt."))
        return upload


class SaveAsMixin(forms.Form):
    save_as = forms.CharField(
        label=gettext_lazy("Zuordnung speichern als"),
        required=False,
        max_length=120,
        help_text=gettext_lazy(
            "Optional: unter diesem Namen wird die Zuordnung beim nächsten Import angeboten; ein vorhandener "
            "Name wird überschrieben."
        ),
    )


class MappingForm(SaveAsMixin):
    """One choice per column of the file: the field it fills, or „nicht übernehmen“."""

    def __init__(self, *args: Any, mapping: ColumnMapping, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mapping = mapping
        choices = [("", _("– nicht übernehmen –"))] + [(target.key, target.label) for target in TARGETS]
        self.rows = []
        for choice in mapping.columns:
            name = f"column_{choice.position}"
            self.fields[name] = forms.ChoiceField(
                label=_("Feld für die Spalte „%(header)s“") % {"header": choice.header},
                choices=choices,
                required=False,
                initial=choice.field,
            )
            self.rows.append((choice, name))
        self.order_fields([name for _choice, name in self.rows] + ["save_as"])

    def bound_rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(choice, self[name]) for choice, name in self.rows]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        claimed: dict[str, list[str]] = {}
        for _choice, name in self.rows:
            if data.get(name):
                claimed.setdefault(data[name], []).append(name)
        labels = {target.key: target.label for target in TARGETS}
        headers = {name: choice.header for choice, name in self.rows}
        for key, names in claimed.items():
            if len(names) > 1:
                message = _(
                    "Die Spalten %(columns)s sind alle „%(field)s“ zugeordnet. Bitte nur eine davon wählen, die "
                    "anderen auf „nicht übernehmen“ setzen."
                ) % {"columns": ", ".join(f"„{headers[name]}“" for name in names), "field": labels[key]}
                for name in names:
                    self.add_error(name, message)
        if "code" not in claimed:
            raise forms.ValidationError(
                _(
                    "Eine Spalte muss die Nummer der Einträge sein (z. B. „Nr.“); sonst kann keine Zeile "
                    "zugeordnet werden."
                )
            )
        return data

    def chosen(self) -> ColumnMapping:
        for choice, name in self.rows:
            choice.field = self.cleaned_data.get(name) or ""
        return self.mapping


class OptionsForm(SaveAsMixin):
    """The preview's options, and a target for each word of the file that the catalogue does not know."""

    create_missing = forms.BooleanField(
        label=gettext_lazy("Fehlende Stichwörter anlegen"),
        required=False,
        help_text=gettext_lazy(
            "Unbekannte Stellen, Gemeinden, Querschnittsthemen, Ziele und Förderprogramme anlegen, statt sie als "
            "Fehler zu melden. Ein Status wird nur angelegt, wenn Sie es unten für das Wort wählen."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Nur fehlerfreie Zeilen übernehmen"),
        required=False,
        help_text=gettext_lazy(
            "Zeilen mit Fehlern werden übersprungen und im Ergebnis einzeln genannt; ohne diese Wahl wird nichts "
            "gespeichert, solange ein Fehler bleibt."
        ),
    )

    def __init__(
        self, *args: Any, unknown: dict[str, list[dict[str, Any]]], words: dict[str, dict[str, str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.word_rows: list[tuple[str, str, dict[str, Any], str]] = []
        for kind, items in unknown.items():
            if kind not in WORD_KINDS:
                continue
            choices = _targets(kind)
            for index, item in enumerate(items):
                name = f"word_{kind}_{index}"
                self.fields[name] = forms.ChoiceField(
                    label=_("%(kind)s „%(word)s“") % {"kind": WORD_KINDS[kind], "word": item["word"]},
                    choices=[("", _("– als Fehler melden –")), *choices(item["word"])],
                    required=False,
                    initial=words.get(kind, {}).get(term_key(item["word"]), ""),
                )
                self.word_rows.append((kind, name, item, str(WORD_KINDS[kind])))

    def word_fields(self) -> list[tuple[str, forms.BoundField, dict[str, Any]]]:
        return [(label, self[name], item) for _kind, name, item, label in self.word_rows]

    def words(self, current: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        """The run's word maps with this form's choices applied (an empty choice removes a word)."""
        maps = {kind: dict(words) for kind, words in current.items()}
        for kind, name, item, _label in self.word_rows:
            target = self.cleaned_data.get(name)
            words = maps.setdefault(kind, {})
            if target:
                words[term_key(item["word"])] = target
            else:
                words.pop(term_key(item["word"]), None)
        return {kind: words for kind, words in maps.items() if words}


def _targets(kind: str) -> Any:
    if kind == "traffic_lights":
        return lambda word: LIGHT_CHOICES
    model, _attributes = KINDS[kind]
    queryset = model._default_manager.all()
    if kind != "municipalities":
        queryset = queryset.filter(locale=Locale.get_default())
    if kind == "goals":
        goals = Goal.objects.filter(locale=Locale.get_default()).order_by("code")
        existing = [(goal.code, f"{goal.code} {goal.title}") for goal in goals]
    else:
        existing = [(str(item), str(item)) for item in queryset]

    def choices(word: str) -> list[tuple[str, str]]:
        create = [(CREATE, _("„%(word)s“ neu anlegen") % {"word": word})]
        return [*existing, *create]

    return choices
