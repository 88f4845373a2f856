from django.http import Http404, HttpResponse
from wagtail import hooks
from wagtail.models import Page

from home.models import StrategyPage


def strategy_pdf(request, path):
    """The strategy's compact version at `<strategy URL>kompaktfassung.pdf`.

    Wagtail routes the path as it would for the page itself and runs the checks of its serve
    view (view restrictions, password); anything but a live strategy page is not found.
    """
    route = Page.route_for_request(request, path)
    if route is None:
        raise Http404
    page, args, _kwargs = route
    # A routable page answers its own sub-paths too (`gesamt/`); only its index is the strategy.
    if not isinstance(page, StrategyPage) or not args or args[0] != page.index_route:
        raise Http404
    # As Wagtail's serve view does: its hooks check the request and the view restrictions.
    serve = _serve_pdf
    for hook in reversed(hooks.get_hooks("on_serve_page")):
        serve = hook(serve)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return serve(page, request, (), {})


def _serve_pdf(page, request, args, kwargs):
    return page.pdf_response(request)
