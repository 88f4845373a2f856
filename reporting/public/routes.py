"""What the report page answers: the list of reports, a report, its area pages, PDF, downloads, the comparison.

Registered with `reporting.models.pages` when the app is ready.
"""

from typing import Any

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from catalogue.imports import LICENCE_NAME, LICENCE_URL
from catalogue.public.goals import catalogue_page
from cms import cache
from cms.locales import locale_of
from reporting.models import ProgressReport, ReportIndexPage, ReportingPeriod
from reporting.models.pages import register_report_views

from . import compare, exports
from .figures import light_order
from .report import build, cached_payload, find_report, light_points

PDF_TIMEOUT = cache.DAY
EXPORTS = ("csv", "xlsx", "json")
# The comparison page lists this many changed entries; the XLSX file holds them all.
MAX_LISTED = 500


def _render(page: ReportIndexPage, request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context = {**page.get_context(request), **context, "licence_name": LICENCE_NAME, "licence_url": LICENCE_URL}
    return TemplateResponse(request, template, context)


def _report_or_404(date: str) -> ProgressReport:
    report = find_report(date)
    if report is None:
        raise Http404
    return report


def _catalogue_url(page: ReportIndexPage, request: HttpRequest) -> str | None:
    catalogue = catalogue_page(page.locale_id)
    return catalogue.get_url(request) if catalogue else None


def report_url(page: ReportIndexPage, request: HttpRequest, report: ProgressReport) -> str:
    return f"{page.get_url(request)}bericht/{report.slug}/"


def method_context(tolerance: Any) -> dict[str, Any]:
    """What the method notes show beside computed lights and roll-ups."""
    return {"tolerance": tolerance, "light_points": light_points(), "on_track_share": 100 - tolerance}


class ReportPageViews:
    """The answers of `ReportIndexPage`, one method per route."""

    def index(self, page: ReportIndexPage, request: HttpRequest) -> HttpResponse:
        base = page.get_url(request)
        reports = list(ProgressReport.objects.defer("legend", "scope").order_by("-reporting_date"))
        upcoming = ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).order_by("reporting_date").first()
        rows = [{"report": report, "url": f"{base}bericht/{report.slug}/"} for report in reports]
        return _render(
            page,
            request,
            "reporting/report_index_page.html",
            {
                "reports": rows,
                "upcoming": upcoming,
                "comparison_url": f"{base}vergleich/",
                "today": compare.TODAY,
                "catalogue_url": _catalogue_url(page, request),
            },
        )

    def report(self, page: ReportIndexPage, request: HttpRequest, date: str, area: str | None) -> HttpResponse:
        report = _report_or_404(date)
        locale = locale_of(page)
        payload = cached_payload(report, locale.language_code, locale.pk, _catalogue_url(page, request), area)
        if area is not None and not payload.areas:
            raise Http404
        base = page.get_url(request)
        url = f"{base}bericht/{report.slug}/"
        previous = (
            ProgressReport.objects.filter(reporting_date__lt=report.reporting_date)
            .order_by("-reporting_date")
            .values_list("reporting_date", flat=True)
            .first()
        )
        context = {
            "payload": payload,
            "report": report,
            "report_url": url,
            "area_code": area,
            "index_url": base,
            "downloads": [(file_format.upper(), f"{url}export/{file_format}/") for file_format in EXPORTS],
            "pdf_url": f"{url}pdf/",
            "comparison_url": (
                f"{base}vergleich/?from={previous.isoformat()}&to={report.slug}"
                if previous
                else f"{base}vergleich/?from={report.slug}&to={compare.TODAY}"
            ),
            "lights": light_order(),
            **method_context(report.tolerance),
        }
        return _render(page, request, "reporting/report_page.html", context)

    def pdf(self, page: ReportIndexPage, request: HttpRequest, date: str) -> HttpResponseBase:
        report = _report_or_404(date)
        locale = locale_of(page)

        def render() -> bytes:
            # WeasyPrint loads Pango and HarfBuzz when imported: only a PDF request pays for that.
            from home.pdf import html_to_pdf

            payload = build(report, locale.language_code, locale.pk, None, with_entries=True)
            html = render_to_string(
                "reporting/report_pdf.html",
                {
                    "payload": payload,
                    "report": report,
                    "page": page,
                    "full_url": page.get_full_url(request) + f"bericht/{report.slug}/",
                    "lights": light_order(),
                    **method_context(report.tolerance),
                },
                request=request,
            )
            return html_to_pdf(html, request, variant="pdf/ua-1")

        content = cache.named("reporting:pdf", report.pk, locale.language_code, build=render, timeout=PDF_TIMEOUT)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{exports.filename(report, "pdf")}"'
        return response

    def export(self, page: ReportIndexPage, request: HttpRequest, date: str, file_format: str) -> HttpResponseBase:
        if file_format not in EXPORTS:
            raise Http404
        report = _report_or_404(date)
        source = f"{page.get_full_url(request)}bericht/{report.slug}/"
        if file_format == "csv":
            return exports.csv_response(report)
        if file_format == "xlsx":
            return exports.xlsx_response(report, source)
        return exports.json_response(report, source)

    def comparison(self, page: ReportIndexPage, request: HttpRequest, file_format: str | None) -> HttpResponseBase:
        reports = list(ProgressReport.objects.order_by("-reporting_date"))
        base = page.get_url(request)
        if not reports:
            if file_format:
                raise Http404
            return _render(page, request, "reporting/comparison.html", {"payload": None, "index_url": base})
        try:
            choices = compare.parse(request, reports)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))
        language = locale_of(page).language_code
        payload = compare.build(reports, choices, language)
        if file_format == "xlsx":
            return compare.xlsx_response(payload, language)
        context = {
            "payload": payload,
            "reports": [(report.slug, compare.report_label(report, language)) for report in reports],
            "today": compare.TODAY,
            "kinds": list(compare.KIND_LABELS.items()),
            "index_url": base,
            "comparison_url": f"{base}vergleich/",
            "xlsx_url": f"{base}vergleich/xlsx/?{choices.query()}",
            "before_url": f"{base}bericht/{payload.before.key}/" if payload.before.report else "",
            "after_url": f"{base}bericht/{payload.after.key}/" if payload.after.report else "",
            "area_rows": [area.row for area in payload.areas],
            "changes": compare.change_rows(payload, language, _catalogue_url(page, request), MAX_LISTED),
            "moves": compare.move_rows(payload, language),
        }
        return _render(page, request, "reporting/comparison.html", context)


def register() -> None:
    register_report_views(ReportPageViews())
