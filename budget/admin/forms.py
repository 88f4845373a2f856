"""Admin forms of the budget: a key-figure report offers only the user's products and their key figures."""

from functools import cache
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..permissions import key_figures_of, products_of


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.key} {obj.name}"


class KeyFigureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.product.key} – {obj.name} ({obj.unit})"


@cache
def _limited_value_form(base: Any) -> Any:
    """The inline value form of `base`, offering the key figures of the user's products only."""

    class ReportValueForm(base):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            field = self.fields.get("key_figure")
            if field is None or self.for_user is None:
                return
            self.fields["key_figure"] = KeyFigureChoiceField(
                queryset=key_figures_of(self.for_user).select_related("product").order_by("product__key", "order"),
                label=field.label,
                help_text=field.help_text,
                required=field.required,
                error_messages={"invalid_choice": _("Diese Kennzahl gehört nicht zu Ihren Produkten.")},
            )

    return ReportValueForm


class KeyFigureReportForm(WagtailAdminModelForm):
    """A department reports only for products it is responsible for; any other id fails as an invalid choice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        field = self.fields.get("product")
        if field is not None:
            self.fields["product"] = ProductChoiceField(
                queryset=products_of(self.for_user).order_by("key"),
                label=field.label,
                help_text=field.help_text,
                required=field.required,
                error_messages={
                    "invalid_choice": _(
                        "Sie können nur für Produkte berichten, für die Ihre Stelle verantwortlich ist."
                    )
                },
            )
        values = self.formsets.get("values")
        if values is not None:
            values.form = _limited_value_form(values.form)
            values.form_kwargs = {**values.form_kwargs, "for_user": self.for_user}

    def save(self, commit: bool = True) -> Any:
        # The reporting person is whoever first saves the report; nobody picks themselves.
        if self.instance.author_id is None and self.for_user is not None and self.for_user.is_authenticated:
            self.instance.author = self.for_user
        return super().save(commit=commit)
