"""The yearly report „Ziele und Kennzahlen <Jahr>“ per Teilhaushalt: as a page, as PDF and as XLSX."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalogue.public.goals import catalogue_page
from cms import cache
from cms.locales import active_locale
from cms.models import SiteSettings

from .exports import report_sheets, write_workbook
from .report import YearReport, budget_years, sub_budgets, year_report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(year: int, code: str) -> YearReport:
    if year not in budget_years():
        raise Http404
    report = year_report(year, code, active_locale())
    if report is None:
        raise Http404
    return report


def _file_name(report: YearReport, suffix: str) -> str:
    return f"ziele-und-kennzahlen-{report.year}-teilhaushalt-{report.code}.{suffix}"


def _catalogue_url(request: HttpRequest) -> str:
    catalogue = catalogue_page(active_locale().pk)
    return catalogue.get_url(request) if catalogue else ""


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The Teilhaushalte and the years with figures, each a link to its report."""
    return render(request, "budget/index.html", {"sub_budgets": sub_budgets(active_locale()), "years": budget_years()})


@require_GET
def report_page(request: HttpRequest, year: int, code: str) -> HttpResponse:
    report = _report(year, code)
    return render(
        request,
        "budget/report.html",
        {"report": report, "years": budget_years(), "catalogue_url": _catalogue_url(request)},
    )


@require_GET
def report_xlsx(request: HttpRequest, year: int, code: str) -> HttpResponse:
    report = _report(year, code)
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "xlsx")}"'
    title = _("Ziele und Kennzahlen %(year)s") % {"year": report.year}
    write_workbook(
        report_sheets(report),
        response,
        {"title": f"{title} – {report.title}", "creator": SiteSettings.for_request(request).county_name},
    )
    return response


@require_GET
def report_pdf(request: HttpRequest, year: int, code: str) -> HttpResponse:
    report = _report(year, code)
    content = cache.versioned(
        "budget:year-report-pdf",
        report.year,
        report.code,
        active_locale().language_code,
        request.get_host(),
        build=lambda: _render_pdf(request, report),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(report, "pdf")}"'
    return response


def _render_pdf(request: HttpRequest, report: YearReport) -> bytes:
    # WeasyPrint loads Pango and HarfBuzz when imported: only the PDF request pays for that.
    from weasyprint import HTML

    from home.pdf import LocalFileFetcher  # imports WeasyPrint too: the strategy PDF's fetcher, reused

    site_settings = SiteSettings.for_request(request)
    html = render_to_string(
        "budget/report_pdf.html",
        {
            "report": report,
            "county_name": site_settings.county_name,
            "catalogue_url": request.build_absolute_uri(_catalogue_url(request) or "/"),
            "full_url": request.build_absolute_uri(request.path.rsplit("/", 1)[0] + "/"),
        },
        request=request,
    )
    base_url = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base_url, url_fetcher=LocalFileFetcher(base_url)).write_pdf()
