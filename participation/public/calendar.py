"""The .ics files: `<dialogue URL>termin.ics` for one dialogue, `<list URL>kalender.ics` for all of them.

Wagtail's page URLs allow no dot, so these patterns stand ahead of Wagtail's; they route the
path as Wagtail would and run its serve hooks (view restrictions, passwords), so a calendar
shows exactly the dialogues the visitor may see.
"""

from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from wagtail import hooks
from wagtail.models import Page

from cms.locales import locale_of
from cms.restrictions import without_own_restrictions
from participation import ical
from participation.mail import county_name
from participation.models import DialogueIndexPage, DialoguePage

CONTENT_TYPE = "text/calendar; charset=utf-8"
FEED_LIMIT = 500


def _serve(request: HttpRequest, path: str, model: type[Page]) -> HttpResponse:
    route = Page.route_for_request(request, path)
    if route is None:
        raise Http404
    page, args, _kwargs = route
    if not isinstance(page, model):
        raise Http404
    # As Wagtail's serve view does: its hooks check the request and the view restrictions.
    serve = _answer
    for hook in reversed(hooks.get_hooks("on_serve_page")):
        serve = hook(serve)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return serve(page, request, (), {})


def _answer(page: Page, request: HttpRequest, args, kwargs) -> HttpResponse:
    return _dialogue_ics(page, request) if isinstance(page, DialoguePage) else _feed_ics(page, request)


def dialogue_ics(request: HttpRequest, path: str) -> HttpResponse:
    return _serve(request, path, DialoguePage)


def feed_ics(request: HttpRequest, path: str) -> HttpResponse:
    return _serve(request, path, DialogueIndexPage)


def _response(content: bytes, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    return response


def _host(page: Page, request: HttpRequest) -> str:
    """The site's host name, which makes the calendar's and the events' UIDs unique worldwide."""
    return urlsplit(page.get_full_url(request)).hostname or request.get_host().split(":")[0]


def _dialogue_ics(page: DialoguePage, request: HttpRequest) -> HttpResponse:
    content = ical.calendar(
        uid=f"zukunftsdialog-{page.translation_key}",
        name=page.title,
        entries=[(page, page.get_full_url(request))],
        host=_host(page, request),
        language=locale_of(page).language_code,
    )
    return _response(content, f"{page.slug}.ics", attachment=True)


def _feed_ics(page: DialogueIndexPage, request: HttpRequest) -> HttpResponse:
    dialogues = without_own_restrictions(DialoguePage.objects.child_of(page).live()).defer_streamfields()
    content = ical.calendar(
        uid=f"zukunftsdialoge-{page.translation_key}",
        name=f"{page.title} – {county_name(request)}",
        entries=[(dialogue, dialogue.get_full_url(request)) for dialogue in dialogues.order_by("-start")[:FEED_LIMIT]],
        host=_host(page, request),
        language=locale_of(page).language_code,
    )
    return _response(content, "kalender.ics", attachment=False)
