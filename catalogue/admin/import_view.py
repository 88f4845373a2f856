"""Admin view for coordinators: upload a spreadsheet, see what would change, then confirm."""

import io
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from catalogue.imports import COLUMNS, MAX_FILE_SIZE, MAX_ROWS, apply_import, plan_import, template_rows, write_xlsx
from catalogue.models import ImportRun

PERMISSION = "catalogue.import_projects"
PREVIEW_ROWS = 200


class ImportForm(forms.Form):
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
    create_missing = forms.BooleanField(
        label=gettext_lazy("Fehlende Stichwörter anlegen"),
        required=False,
        help_text=gettext_lazy(
            "Unbekannte Stellen, Gemeinden, Querschnittsthemen, Ziele, Status und Förderprogramme anlegen, "
            "statt sie als Fehler zu melden."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("Die Datei ist größer als %(size)s MB. Bitte teilen Sie sie auf.") % {"size": MAX_FILE_SIZE // 2**20}
            )
        if Path(upload.name).suffix.casefold() not in (".xlsx", ".csv", ".txt"):
            raise forms.ValidationError(_("Erlaubt sind .xlsx- und .csv-Dateien; .xlsm mit Makros wird abgelehnt."))
        return upload


class ImportPermissionMixin(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            # A real 403: Wagtail turns a raised PermissionDenied into a redirect to the dashboard.
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class ImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the form. POST: keep the file on the server, check it, and show the preview."""

    template_name = "catalogue/admin/import.html"
    page_title = gettext_lazy("Katalog importieren")
    header_icon = "upload"
    _show_breadcrumbs = True
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Start")},
        {"url": "", "label": gettext_lazy("Katalog importieren")},
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm(initial={"locale": Locale.get_default()}))
        context["columns"] = COLUMNS
        context["template_url"] = reverse("catalogue_import_template")
        context["recent_runs"] = ImportRun.objects.select_related("user")[:5]
        return context

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        # A new upload abandons this user's earlier previews: their files go at once.
        for earlier in ImportRun.objects.filter(user=request.user, state=ImportRun.State.PREVIEWED):
            earlier.close(ImportRun.State.ABANDONED)
        run = ImportRun(
            file_name=Path(upload.name).name[:255],
            user=request.user,
            locale=form.cleaned_data["locale"],
            create_missing=form.cleaned_data["create_missing"],
        )
        run.file.save(Path(upload.name).name, File(upload), save=False)
        run.save()
        plan = _plan(run)
        run.rows = len(plan.rows)
        counts = plan.counts
        run.created, run.changed, run.unchanged = counts["create"], counts["change"], counts["unchanged"]
        run.errors = len(plan.errors)
        run.save()
        if not plan.ok:
            run.close(ImportRun.State.FAILED)
        elif not (counts["create"] or counts["change"]):
            run.close(ImportRun.State.ABANDONED)
        return self.render_to_response(self.get_context_data(form=form, **_plan_context(run, plan)))


def _plan(run):
    with run.file.open("rb") as handle:
        return plan_import(
            io.BytesIO(handle.read()), run.file_name, locale=run.locale, create_missing=run.create_missing
        )


def _plan_context(run, plan):
    changed = [row for row in plan.rows if row.action == "change"]
    created = [row for row in plan.rows if row.action == "create"]
    return {
        "run": run,
        "plan": plan,
        "counts": plan.counts,
        "created_rows": created[:PREVIEW_ROWS],
        "changed_rows": changed[:PREVIEW_ROWS],
        "more_created": max(0, len(created) - PREVIEW_ROWS),
        "more_changed": max(0, len(changed) - PREVIEW_ROWS),
        "errors": plan.errors,
        "warnings": plan.warnings,
        "confirm_url": reverse("catalogue_import_confirm", args=[run.pk]),
        "discard_url": reverse("catalogue_import_discard", args=[run.pk]),
    }


class ConfirmImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Apply the previewed file as stored on the server, checked again against today's data."""

    template_name = "catalogue/admin/import_result.html"
    page_title = gettext_lazy("Katalog importieren")
    header_icon = "upload"
    http_method_names = ["post"]

    def post(self, request, pk):
        run = get_object_or_404(ImportRun, pk=pk, state=ImportRun.State.PREVIEWED, user=request.user)
        plan = _plan(run)
        if not plan.ok:
            run.errors = len(plan.errors)
            run.close(ImportRun.State.FAILED)
            return self.render_to_response(self.get_context_data(run=run, plan=plan, errors=plan.errors))
        apply_import(plan, user=request.user, run=run)
        run.close(ImportRun.State.APPLIED)
        return self.render_to_response(self.get_context_data(run=run, plan=plan, errors=[]))


class DiscardImportView(ImportPermissionMixin, View):
    """Abandon a preview: its uploaded file is deleted and it can no longer be applied."""

    http_method_names = ["post"]

    def post(self, request, pk):
        run = get_object_or_404(ImportRun, pk=pk, state=ImportRun.State.PREVIEWED, user=request.user)
        run.close(ImportRun.State.ABANDONED)
        return redirect("catalogue_import")


class TemplateDownloadView(ImportPermissionMixin, View):
    def get(self, request):
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="katalog-vorlage.xlsx"'
        write_xlsx(template_rows(), response)
        return response


def import_urls():
    return [
        path("catalogue/import/", ImportView.as_view(), name="catalogue_import"),
        path("catalogue/import/<int:pk>/confirm/", ConfirmImportView.as_view(), name="catalogue_import_confirm"),
        path("catalogue/import/<int:pk>/discard/", DiscardImportView.as_view(), name="catalogue_import_discard"),
        path("catalogue/import/template.xlsx", TemplateDownloadView.as_view(), name="catalogue_import_template"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("catalogue.import_projects")


def import_menu_item():
    return ImportMenuItem(
        gettext_lazy("Katalog importieren"), reverse("catalogue_import"), icon_name="upload", order=900
    )


def register_import_log_action(actions):
    actions.register_action(
        "catalogue.import",
        gettext_lazy("Import aus Tabelle"),
        gettext_lazy("Aus einer Tabelle importiert und veröffentlicht"),
    )
