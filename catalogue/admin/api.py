"""The catalogue's write API for departments' tools, on Wagtail's API v3 with its bearer tokens.

A token acts as its user, and nothing more: every call goes through the admin's own paths.
Status reports and indicator values go through `submit_quick_report` (a draft revision sent
for approval, never published directly); entries are created and changed through Wagtail's
create and edit actions with the editor's form (`ProjectForm`), so the per-department policy,
the department choices, the parent rule and the publish permission of `catalogue.permissions`
hold exactly as in the admin. Calls are counted per token (`cms.cache.count_in_window`).
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.throttling import BaseThrottle
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction
from wagtail.admin.panels import get_form_for_model
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import Locale, WorkflowState

from catalogue.imports.cells import clean_description
from catalogue.models import (
    Department,
    FundingProgramme,
    Goal,
    Municipality,
    Project,
    SdgTarget,
    Theme,
    TrafficLight,
    department_slug,
)
from catalogue.models import (
    Status as EntryStatus,
)
from cms import cache

from .forms import ProjectForm, QuickReportForm
from .quick_report import EDIT_URL_NAME, submit_quick_report, user_can_report

DEFAULT_RATE = (60, 60)


class TokenRateThrottle(BaseThrottle):
    """So many calls per token and window (`CATALOGUE_API_RATE`: calls, seconds), on every worker."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if token is None:
            return True
        calls, window = getattr(settings, "CATALOGUE_API_RATE", DEFAULT_RATE)
        return cache.count_in_window("catalogue:api", token.pk, window=window) <= calls

    def wait(self) -> float | None:
        return float(getattr(settings, "CATALOGUE_API_RATE", DEFAULT_RATE)[1])


router = Router(tags=["Projektkatalog: Schreiben"], auth=BearerTokenAuth(), throttle=[TokenRateThrottle()])

Light = Literal["on_track", "at_risk", "off_track", "unknown"]


# Payloads ----------------------------------------------------------------------------------


class IndicatorValueIn(Schema):
    indicator: int = Field(description="Id of one of the entry's indicators (see the entry in the read API).")
    value: Decimal = Field(max_digits=16, decimal_places=4)


class ReportIn(Schema):
    date: datetime.date = Field(description="Stichtag of the report.")
    status: str = Field(description="Status key, e.g. in-umsetzung.")
    traffic_light: Light
    progress: int = Field(ge=0, le=100)
    text: str = Field(min_length=1, max_length=10_000)
    indicator_values: list[IndicatorValueIn] = Field([], max_length=100)


class ValuesIn(Schema):
    date: datetime.date = Field(description="Stichtag of the measurements.")
    values: list[IndicatorValueIn] = Field(min_length=1, max_length=100)
    text: str = Field("", max_length=10_000, description="Optional note; the report keeps the entry's state.")


class SubmissionOut(Schema):
    entry: str
    state: Literal["submitted", "draft"] = Field(
        description="submitted: waiting in the approval workflow; draft: saved, but no workflow is set up."
    )
    revision: int
    message: str


class EntryIn(Schema):
    """An entry's fields by their public keys; on a change, only the fields sent are touched."""

    code: str | None = Field(None, max_length=20)
    title: str | None = Field(None, min_length=1, max_length=255)
    kind: Literal["project", "measure"] | None = None
    parent: str | None = Field(None, description="Code of the entry this one belongs to; empty for none.")
    summary: str | None = None
    description: str | None = Field(None, description="Plain text (paragraphs) or HTML; sanitised like the import.")
    goals: list[str] | None = Field(None, description="Goal codes.")
    themes: list[str] | None = Field(None, description="Theme keys.")
    lead_department: str | None = Field(None, description="Department key.")
    partner_departments: list[str] | None = None
    external_partners: str | None = None
    municipalities: list[str] | None = Field(None, description="Municipality keys.")
    county_wide: bool | None = None
    sdg_targets: list[str] | None = Field(None, description="SDG target codes, e.g. 7.2.")
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    actual_start: datetime.date | None = None
    actual_end: datetime.date | None = None
    continuous: bool | None = None
    cost_estimate: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    funding_programmes: list[str] | None = Field(None, description="Funding programme keys.")
    funding_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    priority: Literal["I", "II", "III", ""] | None = None
    weight: int | None = Field(None, ge=0, le=1000)
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    action: Literal["draft", "submit", "publish"] = Field(
        "draft", description="draft: save a revision; submit: and start the approval; publish: make it live."
    )


class EntryOut(Schema):
    code: str
    title: str
    live: bool
    has_unpublished_changes: bool
    revision: int | None
    in_workflow: bool
    edit_url: str


# Helpers -----------------------------------------------------------------------------------


def _default_locale() -> Locale:
    return Locale.get_default()


def _entry(code: str) -> Project:
    project = Project.objects.filter(code=code[:20], locale=_default_locale()).select_related("lead_department").first()
    if project is None:
        raise Http404(_("Diesen Eintrag gibt es nicht."))
    return project


def _report(project: Project, user: Any, data: dict[str, Any]) -> SubmissionOut:
    """Check the report with the quick report's own form and send it on the quick report's path."""
    if not user_can_report(user, project):
        raise PermissionDenied(_("Sie dürfen für diesen Eintrag keinen Statusbericht melden."))
    form = QuickReportForm(data, project=project)
    unknown = {name for name in data if name.startswith("indicator_")} - set(form.fields)
    if unknown:
        raise HttpError(
            422, _("Diese Indikatoren gehören nicht zum Eintrag: %(ids)s") % {"ids": ", ".join(sorted(unknown))}
        )
    if not form.is_valid():
        raise HttpError(
            422,
            "; ".join(f"{name}: {' '.join(str(error) for error in errors)}" for name, errors in form.errors.items()),
        )
    if project.workflow_in_progress:
        raise HttpError(409, _("Für diesen Eintrag wartet bereits ein Bericht auf Freigabe."))
    with transaction.atomic():
        submitted = submit_quick_report(project, user, form)
    project.refresh_from_db(fields=["latest_revision"])
    return SubmissionOut(
        entry=project.code,
        state="submitted" if submitted else "draft",
        revision=project.latest_revision_id,
        message=(
            _("Der Statusbericht wurde zur Freigabe eingereicht.")
            if submitted
            else _("Der Statusbericht wurde als Entwurf gespeichert; es ist keine Freigabe eingerichtet.")
        ),
    )


def _values(values: list[IndicatorValueIn]) -> dict[str, str]:
    return {f"indicator_{item.indicator}": str(item.value) for item in values}


def _status_key(project: Project, key: str) -> str:
    status = EntryStatus.objects.filter(locale_id=project.locale_id, slug=key).first()
    if status is None:
        raise HttpError(422, _("Den Status „%(key)s“ gibt es nicht.") % {"key": key[:40]})
    return str(status.pk)


class Keys:
    """Public keys of the taxonomy (as the read API names them) to the ids a form expects."""

    def __init__(self):
        default = _default_locale()
        self.tables: dict[str, dict[str, int]] = {
            "goals": dict(Goal.objects.filter(locale=default).values_list("code", "pk")),
            "themes": dict(Theme.objects.filter(locale=default).values_list("slug", "pk")),
            "municipalities": dict(Municipality.objects.values_list("slug", "pk")),
            "funding_programmes": dict(FundingProgramme.objects.filter(locale=default).values_list("slug", "pk")),
            "sdg_targets": dict(SdgTarget.objects.values_list("code", "pk")),
            "departments": {
                department_slug(department): department.pk for department in Department.objects.filter(locale=default)
            },
        }

    def ids(self, kind: str, field: str, keys: list[str]) -> list[str]:
        table = self.tables[kind]
        unknown = [key for key in keys if key not in table]
        if unknown:
            raise HttpError(
                422,
                _("Unbekannte Werte für „%(field)s“: %(values)s") % {"field": field, "values": ", ".join(unknown[:10])},
            )
        return [str(table[key]) for key in keys]


LIST_FIELDS = {
    "goals": "goals",
    "themes": "themes",
    "partner_departments": "departments",
    "municipalities": "municipalities",
    "sdg_targets": "sdg_targets",
    "funding_programmes": "funding_programmes",
}


def _form_data(payload: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The payload as the editor's form would post it, and the names of the form fields it touches."""
    keys = Keys()
    data: dict[str, Any] = {}
    for name, value in payload.items():
        if name in ("action", "description"):
            continue
        if name in LIST_FIELDS:
            data[name] = keys.ids(LIST_FIELDS[name], name, value or [])
        elif name == "lead_department":
            data[name] = keys.ids("departments", name, [value])[0] if value else ""
        elif name == "parent":
            parent = (
                Project.objects.filter(code=value, locale=_default_locale()).values_list("pk", flat=True).first()
                if value
                else None
            )
            if value and parent is None:
                raise HttpError(422, _("Einen Eintrag mit der Nummer %(code)s gibt es nicht.") % {"code": value[:20]})
            data[name] = str(parent) if parent else ""
        elif isinstance(value, bool):
            data[name] = "true" if value else "false"
        elif value is None:
            data[name] = ""
        else:
            data[name] = str(value)
    return data, [name for name in payload if name not in ("action", "description")]


def _form(instance: Project, payload: dict[str, Any], user: Any) -> ProjectForm:
    data, fields = _form_data(payload)
    form_class = get_form_for_model(Project, form_class=ProjectForm, fields=fields, formsets={})
    if "description" in payload:
        instance.description = clean_description(payload["description"] or "")
    return form_class(data, instance=instance, for_user=user)


def _start_workflow(project: Project, user: Any) -> None:
    state = project.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    elif state is None and (workflow := project.get_workflow()) is not None:
        workflow.start(project, user)


def _entry_out(request: HttpRequest, project: Project) -> EntryOut:
    project = Project.objects.get(pk=project.pk)
    return EntryOut(
        code=project.code,
        title=project.title,
        live=project.live,
        has_unpublished_changes=project.has_unpublished_changes,
        revision=project.latest_revision_id,
        in_workflow=project.workflow_in_progress,
        edit_url=request.build_absolute_uri(reverse(EDIT_URL_NAME, args=[quote(project.pk)])),
    )


# Endpoints ---------------------------------------------------------------------------------


@router.post(
    "/entries/{code}/reports/",
    response={202: SubmissionOut},
    url_name="catalogue_submit_report",
    summary="Statusbericht (mit Messwerten) zur Freigabe einreichen",
    operation_id="catalogue_reports_submit",
)
def submit_report(request: HttpRequest, code: str, report: ReportIn):
    project = _entry(code)
    data = {
        "date": report.date.isoformat(),
        "status": _status_key(project, report.status),
        "traffic_light": report.traffic_light,
        "progress": str(report.progress),
        "text": report.text,
        **_values(report.indicator_values),
    }
    return Status(202, _report(project, request.user, data))


@router.post(
    "/entries/{code}/indicator-values/",
    response={202: SubmissionOut},
    url_name="catalogue_submit_values",
    summary="Messwerte zur Freigabe einreichen (als Bericht mit dem bisherigen Stand)",
    operation_id="catalogue_values_submit",
)
def submit_values(request: HttpRequest, code: str, values: ValuesIn):
    project = _entry(code)
    if not user_can_report(request.user, project):
        raise PermissionDenied(_("Sie dürfen für diesen Eintrag keinen Statusbericht melden."))
    if project.status_id is None:
        raise HttpError(422, _("Der Eintrag hat noch keinen Status; bitte einen vollständigen Statusbericht senden."))
    data = {
        "date": values.date.isoformat(),
        "status": str(project.status_id),
        "traffic_light": project.traffic_light or TrafficLight.UNKNOWN,
        "progress": str(project.progress),
        "text": values.text or _("Neue Messwerte gemeldet."),
        **_values(values.values),
    }
    return Status(202, _report(project, request.user, data))


@router.post(
    "/entries/",
    response={201: EntryOut},
    url_name="catalogue_create_entry",
    summary="Katalogeintrag anlegen",
    operation_id="catalogue_entries_create",
)
def create_entry(request: HttpRequest, entry: EntryIn):
    payload = entry.dict(exclude_unset=True)
    for required in ("code", "title", "goals", "lead_department"):
        if not payload.get(required):
            raise HttpError(422, _("Das Feld „%(field)s“ fehlt.") % {"field": required})
    if Project.objects.filter(code=payload["code"], locale=_default_locale()).exists():
        raise HttpError(409, _("Einen Eintrag mit der Nummer %(code)s gibt es schon.") % {"code": payload["code"]})
    instance = Project(locale=_default_locale())
    form = _form(instance, payload, request.user)
    with transaction.atomic():
        created = CreateAction(form.instance, user=request.user, form=form, publish=entry.action == "publish").execute()
        if entry.action == "submit":
            _start_workflow(created, request.user)
    return Status(201, _entry_out(request, created))


@router.patch(
    "/entries/{code}/",
    response={200: EntryOut},
    url_name="catalogue_update_entry",
    summary="Katalogeintrag ändern (nur die gesendeten Felder)",
    operation_id="catalogue_entries_update",
)
def update_entry(request: HttpRequest, code: str, entry: EntryIn):
    project = _entry(code)
    payload = entry.dict(exclude_unset=True)
    taken = Project.objects.filter(code=payload.get("code"), locale=project.locale_id).exclude(pk=project.pk)
    if "code" in payload and taken.exists():
        raise HttpError(409, _("Einen Eintrag mit der Nummer %(code)s gibt es schon.") % {"code": payload["code"]})
    draft = project.get_latest_revision_as_object()
    form = _form(draft, payload, request.user)
    with transaction.atomic():
        edited = EditAction(form.instance, user=request.user, form=form, publish=entry.action == "publish").execute()
        if entry.action == "submit":
            _start_workflow(project, request.user)
    return _entry_out(request, edited)
