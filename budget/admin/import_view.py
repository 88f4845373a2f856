"""Admin view for the coordination: upload the budget system's export, see what would change, then confirm."""

import io
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue.imports import MAX_FILE_SIZE, MAX_ROWS

from ..imports import FIELDS, BudgetPlan, apply_budget_import, plan_budget_import, read_header
from ..models import BudgetImport

PERMISSION = "budget.import_budget"
PREVIEW_ITEMS = 200


class BudgetImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Datei"),
        help_text=gettext_lazy(
            "Export des Haushaltssystems als Excel-Arbeitsmappe (.xlsx) oder CSV, höchstens %(size)s MB und %(rows)s "
            "Zeilen."
        )
        % {"size": MAX_FILE_SIZE // 2**20, "rows": f"{MAX_ROWS:,}".replace(",", ".")},
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("Die Datei ist größer als %(size)s MB. Bitte teilen Sie sie auf.") % {"size": MAX_FILE_SIZE // 2**20}
            )
        if Path(upload.name).suffix.casefold() not in (".xlsx", ".csv", ".txt"):
            raise forms.ValidationError(_("Erlaubt sind .xlsx- und .csv-Dateien; .xlsm mit Makros wird abgelehnt."))
        return upload


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: the field it fills, or none. Named by position, as headers may repeat."""

    def __init__(self, header: list[str], *args: Any, mapping: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        choices = [("", gettext_lazy("– nicht übernehmen –")), *((item.key, item.label) for item in FIELDS)]
        for position, text in enumerate(header):
            self.fields[f"column-{position}"] = forms.ChoiceField(
                label=text, choices=choices, required=False, initial=(mapping or {}).get(text, "")
            )

    def mapping(self) -> dict[str, str]:
        return {text: self.cleaned_data[f"column-{position}"] for position, text in enumerate(self.header)}

    @staticmethod
    def is_sent(data: Any) -> bool:
        return any(key.startswith("column-") for key in data)


class ImportPermissionMixin(View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(PERMISSION):
            # A real 403: Wagtail turns a raised PermissionDenied into a redirect to the dashboard.
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


def _read(run: BudgetImport) -> io.BytesIO:
    with run.file.open("rb") as handle:
        return io.BytesIO(handle.read())


def _plan(run: BudgetImport, mapping: dict[str, str] | None = None) -> BudgetPlan:
    return plan_budget_import(_read(run), run.file_name, mapping)


def _chosen_mapping(request: HttpRequest, run: BudgetImport) -> dict[str, str] | None:
    """The mapping sent with the form, None where none was sent; ValueError for a field that does not exist."""
    if not ColumnMappingForm.is_sent(request.POST):
        return None
    form = ColumnMappingForm(read_header(_read(run), run.file_name), request.POST)
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    return form.mapping()


def _record(run: BudgetImport, plan: BudgetPlan) -> None:
    """Store the preview's figures on the run; keep a readable file, whose columns may still be mapped anew."""
    counts = plan.counts
    run.rows = plan.rows
    run.created, run.changed, run.unchanged = counts["create"], counts["change"], counts["unchanged"]
    run.errors = len(plan.errors)
    run.state = BudgetImport.State.PREVIEWED if plan.ok else BudgetImport.State.FAILED
    run.save()
    if not plan.header:
        run.file.delete(save=True)


def _preview_context(run: BudgetImport, plan: BudgetPlan) -> dict[str, Any]:
    changed = [item for item in plan.items.values() if item.action != "unchanged"]
    return {
        "run": run,
        "plan": plan,
        "counts": plan.counts,
        "changed_items": changed[:PREVIEW_ITEMS],
        "more_items": max(0, len(changed) - PREVIEW_ITEMS),
        "mapping_form": ColumnMappingForm(plan.header, mapping=plan.mapping) if plan.header else None,
        "remap_url": reverse("budget_import_remap", args=[run.pk]),
        "confirm_url": reverse("budget_import_confirm", args=[run.pk]),
    }


class BudgetImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the form. POST: keep the file on the server, check it, and show the preview."""

    template_name = "budget/admin/import.html"
    page_title = gettext_lazy("Haushalt importieren")
    header_icon = "upload"
    _show_breadcrumbs = True
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Start")},
        {"url": "", "label": gettext_lazy("Haushalt importieren")},
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", BudgetImportForm())
        context["fields"] = FIELDS
        context["recent_runs"] = BudgetImport.objects.select_related("user")[:5]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BudgetImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        run = BudgetImport(file_name=Path(upload.name).name[:255], user_id=request.user.pk)
        run.file.save(Path(upload.name).name, File(upload), save=False)
        run.save()
        plan = _plan(run)
        _record(run, plan)
        return self.render_to_response(self.get_context_data(form=form, **_preview_context(run, plan)))


class RemapBudgetImportView(BudgetImportView):
    """Check the stored file again with the columns mapped by hand, and show the new preview."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = get_object_or_404(
            BudgetImport.objects.exclude(file=""),
            pk=kwargs["pk"],
            state__in=(BudgetImport.State.PREVIEWED, BudgetImport.State.FAILED),
            user=request.user,
        )
        try:
            mapping = _chosen_mapping(request, run)
        except ValueError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        plan = _plan(run, mapping)
        _record(run, plan)
        return self.render_to_response(self.get_context_data(**_preview_context(run, plan)))


class ConfirmBudgetImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Apply the previewed file as stored on the server, checked again against today's data."""

    template_name = "budget/admin/import_result.html"
    page_title = gettext_lazy("Haushalt importieren")
    header_icon = "upload"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(BudgetImport, pk=pk, state=BudgetImport.State.PREVIEWED, user=request.user)
        try:
            mapping = _chosen_mapping(request, run)
        except ValueError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        plan = _plan(run, mapping)
        if not plan.ok:
            run.state = BudgetImport.State.FAILED
            run.errors = len(plan.errors)
            run.save(update_fields=["state", "errors"])
            return self.render_to_response(self.get_context_data(run=run, plan=plan, errors=plan.errors))
        apply_budget_import(plan, user=request.user, run=run)
        run.file.delete(save=True)
        return self.render_to_response(self.get_context_data(run=run, plan=plan, errors=[]))


def import_urls() -> list[URLPattern]:
    return [
        path("budget/import/", BudgetImportView.as_view(), name="budget_import"),
        path("budget/import/<int:pk>/columns/", RemapBudgetImportView.as_view(), name="budget_import_remap"),
        path("budget/import/<int:pk>/confirm/", ConfirmBudgetImportView.as_view(), name="budget_import_confirm"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)


def import_menu_item() -> MenuItem:
    return ImportMenuItem(gettext_lazy("Haushalt importieren"), reverse("budget_import"), icon_name="upload", order=910)
