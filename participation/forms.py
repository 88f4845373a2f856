"""The public forms: follow by e-mail, request the manage link, submit an idea, register for a dialogue.

Each carries the honeypot; the consent texts are stored word for word in the consent log.
"""

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import Frequency
from .spam import HoneypotMixin

FOLLOW_CONSENT = _(
    "Ich möchte per E-Mail erfahren, was sich hier ändert, und willige ein, dass der Landkreis dafür meine "
    "E-Mail-Adresse speichert. Ich kann die Einwilligung jederzeit widerrufen, mit dem Abmeldelink in jeder E-Mail."
)
IDEA_PUBLISH_CONSENT = _(
    "Ich bin einverstanden, dass meine Idee mit Titel und Beschreibung veröffentlicht und öffentlich beantwortet "
    "wird. Name und E-Mail-Adresse werden nicht veröffentlicht."
)
IDEA_EMAIL_CONSENT = _(
    "Ich willige ein, dass der Landkreis meine E-Mail-Adresse speichert, um mir die Antwort auf meine Idee "
    "mitzuteilen. Ich kann die Einwilligung jederzeit widerrufen."
)
REGISTRATION_CONSENT = _(
    "Ich willige ein, dass der Landkreis meinen Namen, meine E-Mail-Adresse und meine Angaben zur Unterstützung "
    "speichert, um den Termin vorzubereiten. Die Angaben werden 30 Tage nach dem Termin gelöscht."
)


class FollowForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wie oft Sie eine E-Mail erhalten möchten.")},
    )
    consent = forms.BooleanField(
        label=FOLLOW_CONSENT,
        error_messages={"required": _("Ohne Ihre Einwilligung können wir Ihnen keine E-Mails schicken.")},
    )
    entry = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class ManageRequestForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
        },
    )


class IdeaForm(HoneypotMixin, forms.Form):
    title = forms.CharField(
        label=_("Ihre Idee in wenigen Worten"),
        max_length=160,
        error_messages={"required": _("Bitte geben Sie Ihrer Idee einen Titel.")},
    )
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Was fehlt oder kommt zu kurz? Was schlagen Sie vor? Höchstens 5.000 Zeichen."),
        error_messages={"required": _("Bitte beschreiben Sie Ihre Idee.")},
    )
    topic = forms.ChoiceField(
        label=_("Zu welchem Ziel oder Thema?"),
        required=False,
        help_text=_("Freiwillig; hilft uns, die Idee der richtigen Stelle zu geben."),
    )
    name = forms.CharField(
        label=_("Name (freiwillig)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Wird nicht veröffentlicht."),
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse (freiwillig)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Wenn Sie erfahren möchten, wie wir Ihre Idee beantworten. Wird nicht veröffentlicht."),
        error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.")},
    )
    consent_publish = forms.BooleanField(
        label=IDEA_PUBLISH_CONSENT,
        error_messages={"required": _("Wir veröffentlichen alle Ideen mit Antwort; bitte stimmen Sie dem zu.")},
    )
    consent_email = forms.BooleanField(label=IDEA_EMAIL_CONSENT, required=False)

    def __init__(self, *args, topics: list[tuple[str, list[tuple[str, str]]]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", _("– keine Angabe –")), *topics]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email") and not data.get("consent_email"):
            self.add_error(
                "consent_email",
                _("Um Ihnen die Antwort zu schicken, brauchen wir Ihre Einwilligung; sonst lassen Sie das Feld leer."),
            )
        return data


class RegistrationForm(HoneypotMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Bitte geben Sie Ihren Namen an.")},
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
        },
    )
    persons = forms.IntegerField(
        label=_("Anzahl der Personen"),
        initial=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Sie selbst und bis zu vier Begleitpersonen."),
        error_messages={"required": _("Bitte geben Sie an, mit wie vielen Personen Sie kommen.")},
    )
    needs = forms.CharField(
        label=_("Unterstützungsbedarf (freiwillig)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. Gebärdensprache, Rollstuhlplatz, Begleitperson."),
    )
    consent = forms.BooleanField(
        label=REGISTRATION_CONSENT,
        error_messages={"required": _("Ohne Ihre Einwilligung können wir Sie nicht anmelden.")},
    )
