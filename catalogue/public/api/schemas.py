"""What the read API answers and the query parameters it takes, as OpenAPI shows them."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


# Payloads ----------------------------------------------------------------------------------


class Licence(Schema):
    name: str
    url: str
    uri: str = Field(description="The licence in DCAT-AP.de's vocabulary.")
    source_note: str = Field(description="The source note the licence asks users of the data to give.")


class Term(Schema):
    key: str = Field(description="Stable key, as used in the catalogue's filter parameters.")
    label: str


class SdgTargetRef(Schema):
    code: str
    goal: int
    text: str


class Link(Schema):
    title: str
    url: str


class EntrySummary(Schema):
    code: str
    title: str
    kind: str
    summary: str
    url: str = Field(description="The entry's public page.")
    api_url: str
    parent: str | None = Field(None, description="Code of the entry this one belongs to.")
    status: Term | None
    traffic_light: Term
    progress: int
    last_report_date: datetime.date | None
    lead_department: Term | None
    partner_departments: list[Term]
    areas: list[Term]
    goals: list[Term]
    themes: list[Term]
    municipalities: list[Term]
    county_wide: bool
    funding_programmes: list[Term]
    sdg_targets: list[SdgTargetRef]
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    continuous: bool
    priority: str


class Measurement(Schema):
    date: datetime.date
    value: Decimal


class IndicatorOut(Schema):
    id: int
    title: str
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    source: str
    values: list[Measurement]


class IndicatorWithLinks(IndicatorOut):
    entries: list[str] = Field(description="Codes of the live entries the indicator belongs to.")
    goals: list[str] = Field(description="Codes of the goals it measures.")


class ReportOut(Schema):
    id: int
    date: datetime.date
    period: str
    status: Term | None
    traffic_light: Term
    progress: int
    text: str


class EntryDetail(EntrySummary):
    description: str = Field(description="HTML, as the entry's page shows it.")
    external_partners: str
    cost_estimate: Decimal | None
    funding_amount: Decimal | None
    contact_name: str
    contact_email: str
    contact_phone: str
    links: list[Link]
    documents: list[Link]
    reports: list[ReportOut]
    indicators: list[IndicatorOut]
    license: Licence


class ListPage(Schema):
    license: Licence
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None


class EntryList(ListPage):
    notes: list[str] = Field(description="Filter values that were not understood and therefore ignored.")
    items: list[EntrySummary]


class ReportWithEntry(ReportOut):
    entry: str = Field(description="Code of the entry.")
    entry_title: str
    url: str


class ReportList(ListPage):
    notes: list[str]
    items: list[ReportWithEntry]


class IndicatorList(ListPage):
    items: list[IndicatorWithLinks]


class AreaOut(Schema):
    key: str
    code: str
    title: str
    description: str
    colour: str


class GoalOut(Schema):
    key: str
    code: str
    title: str
    description: str
    level: int
    parent: str | None
    area: str
    sdg_targets: list[str]
    url: str | None


class ThemeOut(Schema):
    key: str
    title: str
    description: str


class DepartmentOut(Schema):
    key: str
    name: str
    short_name: str
    email: str
    parent: str | None


class MunicipalityOut(Schema):
    key: str
    name: str
    ags: str = Field(description="Amtlicher Gemeindeschlüssel.")


class StatusOut(Schema):
    key: str
    name: str
    colour: str
    order: int
    is_closed: bool


class SdgTargetOut(Schema):
    code: str
    text: str


class SdgOut(Schema):
    number: int
    name: str
    title: str
    colour: str
    icon: str
    targets: list[SdgTargetOut]


class AreaList(Schema):
    license: Licence
    items: list[AreaOut]


class GoalList(Schema):
    license: Licence
    items: list[GoalOut]


class ThemeList(Schema):
    license: Licence
    items: list[ThemeOut]


class DepartmentList(Schema):
    license: Licence
    items: list[DepartmentOut]


class MunicipalityList(Schema):
    license: Licence
    items: list[MunicipalityOut]


class StatusList(Schema):
    license: Licence
    items: list[StatusOut]


class SdgList(Schema):
    license: Licence
    items: list[SdgOut]


# Query parameters --------------------------------------------------------------------------


class LanguageQuery(Schema):
    locale: str | None = Field(None, description="Language of labels and entries, e.g. de or en; default: de.")


class Paging(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class EntryFilters(LanguageQuery):
    """The catalogue page's parameters; unknown values are ignored with a note, as on the page."""

    q: str | None = Field(None, description="Search term (title, code, summary).")
    area: list[str] = Field([], description="Area keys (slugs).")
    goal: list[str] = Field([], description="Goal codes; sub-goals are included.")
    theme: list[str] = Field([], description="Theme keys.")
    sdg: list[str] = Field([], description="SDG numbers, 1 to 17.")
    status: list[str] = Field([], description="Status keys.")
    traffic_light: list[str] = Field([], description="on_track, at_risk, off_track or unknown.")
    department: list[str] = Field([], description="Department keys (lead or partner).")
    municipality: list[str] = Field([], description="Municipality keys.")
    county_wide: str | None = Field(None, description="1: entries for the whole county join a municipality filter.")
    kind: list[str] = Field([], description="project or measure.")
    year: list[str] = Field([], description="Active in these years.")
    priority: list[str] = Field([], description="I, II or III.")
    sort: str | None = Field(None, description="code (default), title, updated or start.")
    page: str | None = Field(None, description="Page of `limit` entries, counted from 1 (instead of `offset`).")
