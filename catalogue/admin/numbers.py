"""Numbers as people type them in the admin: German or English separators, ambiguity asked back."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_NUMBER = re.compile(r"[+-]?\d[\d.,]*")
_GROUPED = re.compile(r"\d{1,3}(?:X\d{3})+")


class AmbiguousNumber(ValueError):
    """A number whose one separator could be either a decimal or a thousands separator."""

    def __init__(self, readings: tuple[Decimal, Decimal]):
        super().__init__(readings)
        self.readings = readings


def _grouped(digits: str, separator: str) -> bool:
    return bool(_GROUPED.fullmatch(digits.replace(separator, "X")))


def parse_decimal(text: str, language: str) -> Decimal:
    """Read a number as people type it in `language` ("de": 1.250,5; otherwise 1,250.5).

    Both separators: the last one is the decimal separator, the other must group by threes.
    One separator used once: the language's decimal separator is one; the other language's
    one is read as a decimal separator too ("12.5" in German is 12,5), unless exactly three
    digits follow ("1.250"), which is ambiguous and raises `AmbiguousNumber`. One separator
    used several times groups thousands. Anything else raises `ValueError`.
    """
    text = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if not _NUMBER.fullmatch(text) or text[-1] in ".,":
        raise ValueError(text)
    sign, body = ("-", text[1:]) if text[0] in "+-" else ("", text)
    sign = "" if text[0] == "+" else sign
    decimal_separator = "," if (language or "de").startswith("de") else "."
    used = [separator for separator in ".," if separator in body]
    if len(used) == 2:
        decimal = "," if body.rindex(",") > body.rindex(".") else "."
        whole, _, fraction = body.rpartition(decimal)
        group = "." if decimal == "," else ","
        if decimal in whole or not _grouped(whole, group):
            raise ValueError(text)
        return Decimal(f"{sign}{whole.replace(group, '')}.{fraction}")
    if not used:
        return Decimal(f"{sign}{body}")
    separator = used[0]
    if body.count(separator) > 1:
        if not _grouped(body, separator):
            raise ValueError(text)
        return Decimal(f"{sign}{body.replace(separator, '')}")
    whole, _, fraction = body.partition(separator)
    as_decimal = Decimal(f"{sign}{whole}.{fraction}")
    if separator != decimal_separator and len(fraction) == 3:
        raise AmbiguousNumber((as_decimal, Decimal(f"{sign}{whole}{fraction}")))
    return as_decimal


class DecimalTextField(forms.DecimalField):
    """A decimal typed into a text field and read on the server in the user's language.

    A browser's number field reads "12,5" by the browser's locale, not the page's, and may
    drop it or read 125; here the server decides, and asks back when the input is ambiguous.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_decimal(str(value), get_language())
        except AmbiguousNumber as ambiguous:
            first, second = (number_format(reading, use_l10n=True) for reading in ambiguous.readings)
            raise forms.ValidationError(
                _("„%(value)s“ ist nicht eindeutig: %(first)s oder %(second)s? Bitte ohne Tausenderpunkt schreiben."),
                code="ambiguous",
                params={"value": value, "first": first, "second": second},
            ) from None
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number

    def validate(self, value):
        super().validate(value)
        if value is not None and not value.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
