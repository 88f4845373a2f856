"""Admin import for coordinators: upload, map the columns, check in the background, fix, apply, see the result.

Each step is a page of its own that reads the import run from the database, so a reload or a
second tab shows the same state. Checking and writing run as background tasks
(`catalogue.imports.tasks`); their pages show a progress bar that follows the run (with
JavaScript, by polling `status/`; without, by reloading). The uploaded file stays in private
storage until the import is applied or abandoned, and only its uploader can continue it.
"""

import csv
import io
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from catalogue.imports import COLUMNS, ImportFileError, template_rows, write_xlsx
from catalogue.imports.problems import groups_from_dicts
from catalogue.imports.runs import STEPS, abandon, abandon_stale, mapping_for, open_table
from catalogue.imports.tasks import notice_broken, start_apply, start_check, task_state
from catalogue.imports.vocabulary import word_maps_from_json, word_maps_to_json
from catalogue.imports.writers import format_csv_value
from catalogue.models import ImportMapping, ImportRun

from .import_forms import MappingForm, OptionsForm, UploadForm

PERMISSION = "catalogue.import_projects"
SHOWN_ERRORS = 200
# The mapping shows first values and guesses from the first rows; the whole file is read by the check.
HEAD_ROWS = 200


class ImportPermissionMixin(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            # A real 403: Wagtail turns a raised PermissionDenied into a redirect to the dashboard.
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class ImportPage(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Katalog importieren")
    header_icon = "upload"
    _show_breadcrumbs = True

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Start")},
            {"url": reverse("catalogue_import"), "label": gettext_lazy("Katalog importieren")},
        ]


def own_run(request, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.select_related("locale", "saved_mapping"), pk=pk, user=request.user)


class ImportView(ImportPage):
    """GET: the upload form, the format, saved mappings and recent runs. POST: store the file, then map it."""

    template_name = "catalogue/admin/import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm(initial={"locale": Locale.get_default()}))
        context["columns"] = COLUMNS
        context["template_url"] = reverse("catalogue_import_template")
        context["recent_runs"] = ImportRun.objects.select_related("user")[:8]
        context["saved_mappings"] = ImportMapping.objects.select_related("created_by")
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        abandon_stale()
        upload = form.cleaned_data["file"]
        run = ImportRun(
            file_name=Path(upload.name).name[:255],
            user=request.user,
            locale=form.cleaned_data["locale"],
            saved_mapping=form.cleaned_data["saved_mapping"],
        )
        run.file.save(Path(upload.name).name, File(upload), save=False)
        run.save()
        try:
            open_table(run, HEAD_ROWS)
        except ImportFileError as error:
            abandon(run)
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("catalogue_import_mapping", pk=run.pk)


class MappingView(ImportPage):
    """Each column of the file with its first values and the field it maps to; the coordinator decides."""

    template_name = "catalogue/admin/import_mapping.html"

    def setup_run(self, request, pk):
        self.run = own_run(request, pk)
        if self.run.state not in (ImportRun.State.UPLOADED, ImportRun.State.PREVIEWED):
            return redirect("catalogue_import_run", pk=pk)
        try:
            self.table = open_table(self.run, HEAD_ROWS)
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect("catalogue_import")
        return None

    def get(self, request, pk):
        if response := self.setup_run(request, pk):
            return response
        form = MappingForm(mapping=mapping_for(self.run, self.table), initial={"save_as": self._saved_name()})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, pk):
        if response := self.setup_run(request, pk):
            return response
        form = MappingForm(request.POST, mapping=mapping_for(self.run, self.table))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        mapping = form.chosen()
        self.run.mapping = mapping.to_run()
        name = form.cleaned_data["save_as"].strip()
        if name:
            self.run.saved_mapping = save_mapping(request, name, mapping.to_saved(), mapping.words)
        self.run.save(update_fields=["mapping", "saved_mapping"])
        start_check(self.run)
        return redirect("catalogue_import_run", pk=pk)

    def _saved_name(self):
        return self.run.saved_mapping.name if self.run.saved_mapping else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["run"] = self.run
        context["table"] = self.table
        return context


def save_mapping(request, name: str, columns: dict, words: dict) -> ImportMapping:
    saved, _created = ImportMapping.objects.update_or_create(
        name=name,
        defaults={"columns": columns, "values": word_maps_to_json(words), "created_by": request.user},
    )
    messages.success(request, _("Die Zuordnung wurde als „%(name)s“ gespeichert.") % {"name": name})
    return saved


class RunView(ImportPage):
    """One import run as it stands: progress while it works, the preview once checked, the result once applied."""

    template_name = "catalogue/admin/import_run.html"

    def get(self, request, pk):
        self.run = own_run(request, pk)
        notice_broken(self.run)
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        self.run = run = own_run(request, pk)
        action = request.POST.get("action")
        if action == "abandon" and run.state not in ImportRun.FINISHED and not run.is_running:
            abandon(run)
            messages.success(request, _("Der Import wurde verworfen und die Datei gelöscht."))
            return redirect("catalogue_import")
        if run.state != ImportRun.State.PREVIEWED:
            return redirect("catalogue_import_run", pk=pk)
        form = self.options_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        words = form.words(word_maps_from_json(run.mapping.get("words")))
        changed = (
            form.cleaned_data["create_missing"] != run.create_missing
            or form.cleaned_data["skip_invalid"] != run.skip_invalid
            or words != word_maps_from_json(run.mapping.get("words"))
        )
        run.create_missing = form.cleaned_data["create_missing"]
        run.skip_invalid = form.cleaned_data["skip_invalid"]
        run.mapping = {**run.mapping, "words": word_maps_to_json(words)}
        if name := form.cleaned_data["save_as"].strip():
            table = open_table(run, HEAD_ROWS)
            mapping = mapping_for(run, table)
            run.saved_mapping = save_mapping(request, name, mapping.to_saved(), words)
        run.save(update_fields=["create_missing", "skip_invalid", "mapping", "saved_mapping"])
        if action == "apply" and not changed and run.report.get("ok"):
            start_apply(run)
        else:
            if action == "apply":
                messages.warning(
                    request, _("Die Einstellungen haben sich geändert; bitte prüfen Sie die neue Vorschau.")
                )
            start_check(run)
        return redirect("catalogue_import_run", pk=pk)

    def options_form(self, data=None):
        run = self.run
        return OptionsForm(
            data,
            unknown=run.report.get("unknown", {}),
            words=word_maps_from_json(run.mapping.get("words")),
            initial={
                "create_missing": run.create_missing,
                "skip_invalid": run.skip_invalid,
                "save_as": run.saved_mapping.name if run.saved_mapping else "",
            },
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        report = run.report or {}
        context.update(
            run=run,
            report=report,
            counts=report.get("counts", {}),
            step=STEPS.get(run.progress_step, ""),
            status_url=reverse("catalogue_import_status", args=[run.pk]),
            mapping_url=reverse("catalogue_import_mapping", args=[run.pk]),
            errors_url=reverse("catalogue_import_errors", args=[run.pk]),
            errors=report.get("errors", [])[:SHOWN_ERRORS],
            more_errors=max(0, report.get("error_count", 0) - SHOWN_ERRORS),
            warning_groups=groups_from_dicts(report.get("warnings", [])),
        )
        if run.state == ImportRun.State.PREVIEWED:
            context.setdefault("form", self.options_form())
        return context


class StatusView(ImportPermissionMixin, View):
    """The run's state and progress as JSON, for the progress bar."""

    def get(self, request, pk):
        run = own_run(request, pk)
        notice_broken(run)
        queued = run.is_running and task_state(run) == "READY"
        step = "queued" if queued else run.progress_step
        return JsonResponse(
            {
                "state": run.state,
                "running": run.is_running,
                "step": str(STEPS.get(step, "")),
                "done": run.progress_done,
                "total": run.progress_total,
                "percent": run.percent,
            }
        )


class ErrorListView(ImportPermissionMixin, View):
    """Every error and every skipped row of the run as a CSV file, to fix the spreadsheet with."""

    def get(self, request, pk):
        run = own_run(request, pk)
        report = run.report or {}
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([_("Zeile"), _("Spalte"), _("Fehler")])
        for message in report.get("file_errors", []):
            writer.writerow(["", "", format_csv_value(message)])
        for error in report.get("errors", []):
            # Column names and messages quote the uploaded file: defused like every CSV export.
            writer.writerow([error["row"] or "", format_csv_value(error["column"]), format_csv_value(error["message"])])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-fehler.csv"'
        return response


class DeleteMappingView(ImportPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        mapping = get_object_or_404(ImportMapping, pk=pk)
        mapping.delete()
        messages.success(request, _("Die Zuordnung „%(name)s“ wurde gelöscht.") % {"name": mapping.name})
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
        path("catalogue/import/<int:pk>/", RunView.as_view(), name="catalogue_import_run"),
        path("catalogue/import/<int:pk>/columns/", MappingView.as_view(), name="catalogue_import_mapping"),
        path("catalogue/import/<int:pk>/status/", StatusView.as_view(), name="catalogue_import_status"),
        path("catalogue/import/<int:pk>/errors.csv", ErrorListView.as_view(), name="catalogue_import_errors"),
        path(
            "catalogue/import/mappings/<int:pk>/delete/",
            DeleteMappingView.as_view(),
            name="catalogue_import_mapping_delete",
        ),
        path("catalogue/import/template.xlsx", TemplateDownloadView.as_view(), name="catalogue_import_template"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


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
