"""The entry views that differ from Wagtail's: listing, editor, usage, and the per-entry permission checks."""

from collections.abc import Callable
from typing import NamedTuple

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.templatetags.wagtailadmin_tags import user_display_name
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, LocaleColumn
from wagtail.admin.widgets.button import BaseButton, Button, ButtonWithDropdown, HeaderButton
from wagtail.models import ReferenceIndex
from wagtail.snippets.views import snippets
from wagtail_localize.models import TranslationSource
from wagtail_localize.wagtail_hooks import register_snippet_listing_buttons as localize_listing_buttons

from catalogue.imports import csv_lines, project_rows, write_xlsx
from catalogue.models import Project
from catalogue.permissions import (
    ProjectObjectPermissionMixin,
    acts_for_all_departments,
    department_ids,
    may_see_entry,
    visible_entries,
)
from cms.locales import default_locale, locales_by_code

from .editing import QuickEditMixin
from .filters import MINE
from .quick_report import ReportWarningsMixin, quick_report_url, user_can_report


class TranslationState(NamedTuple):
    """Translations of the listed entries: locales in use, locales per entry, sources with translations."""

    locales: int
    translated: dict
    sources: dict


def nowrap(name: str, label, **kwargs) -> Column:
    return Column(name, label=label, sort_key=name, classname="w-whitespace-nowrap", **kwargs)


def german_date(field: str) -> Callable[[Project], str]:
    """A column accessor: the date as 31.12.2025 (Wagtail's date column says „5 Jahre“)."""

    def value(entry: Project) -> str:
        date = getattr(entry, field)
        return date.strftime("%d.%m.%Y") if date else "–"

    return value


class ProjectIndexView(snippets.IndexView):
    """Entries in the user's language by default, for a department its own by default; links only where allowed.

    A department sees the published entries of the others (as the public does) and all of its
    own; edit, copy, delete and the quick report are offered only where the policy allows.
    """

    def _in_scope(self, instance):
        return acts_for_all_departments(self.request.user) or instance.lead_department_id in department_ids(
            self.request.user
        )

    @cached_property
    def columns(self):
        columns = super().columns
        if self.filters and self.filters.is_valid() and self.filters.form.cleaned_data.get("locale"):
            # One language listed: its column would say the same in every row.
            columns = [column for column in columns if not isinstance(column, LocaleColumn)]
        return columns

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("status", "lead_department")
        return visible_entries(queryset, self.request.user)

    @cached_property
    def default_locale_code(self) -> str:
        """The admin's language if it is a content locale, else the default locale's."""
        # From the cached list of locales: no query.
        language = (get_language() or "").split("-")[0]
        return language if language in locales_by_code() else default_locale().language_code

    def get_locale(self):
        # Wagtail's asks the database for the chosen (or default) locale; the cached list answers.
        chosen = self.request.GET.get("locale")
        if not self.i18n_enabled or not chosen:
            return default_locale() if self.i18n_enabled else None
        locale = locales_by_code().get(chosen)
        if locale is None:
            raise Http404
        return locale

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        data = kwargs["data"].copy()
        # Without a choice the listing shows one language, and a department its own entries.
        data.setdefault("locale", self.default_locale_code)
        if department_ids(self.request.user) and not acts_for_all_departments(self.request.user):
            data.setdefault("mine", MINE)
        kwargs["data"] = data
        return kwargs

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self._in_scope(instance) else None

    def get_copy_url(self, instance):
        return super().get_copy_url(instance) if may_see_entry(self.request.user, instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self._in_scope(instance) else None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self._in_scope(instance) and self.request.user.has_perm("catalogue.add_statusreport"):
            buttons.append(
                MenuItem(_("Statusbericht melden"), url=quick_report_url(instance.pk), icon_name="tasks", priority=15)
            )
        buttons.extend(self._translation_buttons(instance))
        return buttons

    def paginate_queryset(self, queryset, page_size):
        paginator, page, entries, is_paginated = super().paginate_queryset(queryset, page_size)
        self.page_entries = list(entries)
        return paginator, page, self.page_entries, is_paginated

    @cached_property
    def translation_state(self) -> TranslationState:
        """For the page's rows at once: which may be translated further, which have translations to sync.

        wagtail-localize's own listing buttons ask this with two queries per row.
        """
        keys = {entry.translation_key for entry in getattr(self, "page_entries", [])}
        if not keys:
            return TranslationState(0, {}, {})
        counts = dict(
            Project.objects.filter(translation_key__in=keys)
            .values("translation_key")
            .annotate(locales=Count("locale", distinct=True))
            .values_list("translation_key", "locales")
        )
        sources = {
            (key, locale_id): pk
            for key, locale_id, pk in TranslationSource.objects.filter(
                object_id__in=keys, translations__enabled=True
            ).values_list("object_id", "locale_id", "pk")
        }
        return TranslationState(len(locales_by_code()), counts, sources)

    def _translation_buttons(self, instance):
        user = self.request.user
        if not user.has_perm("wagtail_localize.submit_translation") or not self._in_scope(instance):
            return []
        state = self.translation_state
        buttons = []
        if state.translated.get(instance.translation_key, 1) < state.locales:
            buttons.append(
                Button(
                    _("Übersetzen"),
                    reverse(
                        "wagtail_localize:submit_snippet_translation",
                        args=["catalogue", "project", quote(instance.pk)],
                    ),
                    icon_name="wagtail-localize-language",
                    priority=100,
                )
            )
        source = state.sources.get((instance.translation_key, instance.locale_id))
        if source is not None:
            # Back to this listing afterwards, as wagtail-localize's own button does.
            back = urlencode({"next": self.request.path})
            buttons.append(
                Button(
                    _("Übersetzungen abgleichen"),
                    f"{reverse('wagtail_localize:update_translations', args=[source])}?{back}",
                    icon_name="resubmit",
                    priority=106,
                )
            )
        return buttons

    def get_list_buttons(self, instance):
        # Wagtail's own loop, without wagtail-localize's per-row button hook (replaced above).
        buttons = self.get_list_more_buttons(instance)
        for hook in hooks.get_hooks("register_snippet_listing_buttons"):
            if hook is not localize_listing_buttons:
                buttons.extend(hook(instance, self.request.user, self.request.path))
        list_buttons, more_buttons = [], []
        for button in buttons:
            if isinstance(button, BaseButton) and not button.allow_in_dropdown:
                list_buttons.append(button)
            elif isinstance(button, MenuItem):
                if button.is_shown(self.request.user):
                    more_buttons.append(Button.from_menu_item(button))
            elif button.show:
                more_buttons.append(button)
        for hook in hooks.get_hooks("construct_snippet_listing_buttons"):
            hook(more_buttons, instance, self.request.user)
        if more_buttons:
            list_buttons.append(
                ButtonWithDropdown(
                    buttons=more_buttons,
                    icon_name="dots-horizontal",
                    attrs={"aria-label": gettext("Weitere Aktionen für „%(title)s“") % {"title": str(instance)}},
                )
            )
        return list_buttons

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """The listing as exported: the import's own columns, so the file goes back in unchanged."""
        filename = f"{self.get_filename()}.{spreadsheet_format}"
        response: HttpResponse | StreamingHttpResponse
        if spreadsheet_format == self.FORMAT_CSV:
            lines = (chunk.encode("utf-8") for chunk in csv_lines(project_rows(queryset)))
            response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            write_xlsx(project_rows(queryset), response)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ProjectEditView(ProjectObjectPermissionMixin, ReportWarningsMixin, QuickEditMixin, snippets.EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if user_can_report(self.request.user, self.object):
            buttons.append(
                HeaderButton(_("Statusbericht melden"), url=quick_report_url(self.object.pk), icon_name="tasks")
            )
        return buttons

    def is_valid(self, form):
        # Wagtail refuses an outdated save only for autosave requests; a form posted by hand
        # would silently overwrite what someone else saved since the form was opened.
        if self.action != "cancel-workflow" and not self.expects_json_response and self.is_out_of_date:
            self.produced_error_code = "invalid_revision"
            self.produced_error_message = self.outdated_message()
            return False
        return super().is_valid(form)

    def outdated_message(self) -> str:
        revision = self.latest_revision
        return gettext(
            "Nicht gespeichert: %(user)s hat diesen Eintrag am %(date)s um %(time)s gespeichert, nachdem Sie ihn "
            "geöffnet haben. Ihre Eingaben stehen noch im Formular. Öffnen Sie den Eintrag in einem neuen Tab, "
            "um die neue Fassung zu sehen; speichern Sie hier erneut nur, wenn Ihre Fassung sie ersetzen soll."
        ) % {
            "user": user_display_name(revision.user) or gettext("jemand"),
            "date": localtime(revision.created_at).strftime("%d.%m.%Y"),
            "time": localtime(revision.created_at).strftime("%H:%M"),
        }


class ProjectUsageView(snippets.UsageView):
    """Where an entry is used, without naming another department's unpublished entries."""

    def get_object(self):
        entry = super().get_object()
        if not may_see_entry(self.request.user, entry):
            raise Http404
        return entry

    def get_queryset(self):
        references = ReferenceIndex.get_references_to(self.object)
        project_type = ContentType.objects.get_for_model(Project)
        referring = references.filter(base_content_type=project_type).values_list("object_id", flat=True)
        shown = visible_entries(Project.objects.filter(pk__in=list(referring)), self.request.user)
        hidden = set(referring) - {str(pk) for pk in shown.values_list("pk", flat=True)}
        return references.exclude(base_content_type=project_type, object_id__in=hidden).group_by_source_object()


class ProjectDeleteView(ProjectObjectPermissionMixin, snippets.DeleteView):
    pass


class ProjectUnpublishView(ProjectObjectPermissionMixin, snippets.UnpublishView):
    pass


class ProjectLockView(ProjectObjectPermissionMixin, snippets.LockView):
    pass


class ProjectUnlockView(ProjectObjectPermissionMixin, snippets.UnlockView):
    pass


class ProjectRevisionsUnscheduleView(ProjectObjectPermissionMixin, snippets.RevisionsUnscheduleView):
    pass


class ProjectRevisionsCompareView(ProjectObjectPermissionMixin, snippets.RevisionsCompareView):
    pass


class ProjectPreviewRevisionView(ProjectObjectPermissionMixin, snippets.PreviewRevisionView):
    pass


class ProjectHistoryView(ProjectObjectPermissionMixin, snippets.HistoryView):
    pass


class ProjectWorkflowHistoryView(ProjectObjectPermissionMixin, snippets.WorkflowHistoryView):
    pass


class ProjectWorkflowHistoryDetailView(ProjectObjectPermissionMixin, snippets.WorkflowHistoryDetailView):
    pass
