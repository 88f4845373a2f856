"""Following by e-mail in public: the form, the confirmation, unsubscribing, and the manage page."""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cms.locales import active_locale
from participation import following, links, selection, spam
from participation.following import Scope
from participation.forms import FOLLOW_CONSENT, FollowForm, ManageRequestForm
from participation.models import Frequency, Subscriber, Subscription, normalise_email

from .responses import link_gone, link_refused, private_page, safe_next, too_many


def scope_from(data) -> Scope | None:
    """The scope a form or link names: an entry by number, or catalogue filters; None for an unknown entry."""
    code = (data.get("entry") or "").strip()
    if code:
        project = selection.entry_by_code(code)
        return Scope.entry(project) if project else None
    return Scope.selection(selection.normalise_query(data.get("query") or ""))


def _sent(request: HttpRequest, what: str, back: str) -> HttpResponseRedirect:
    query = urlencode({key: value for key, value in {"was": what, "next": back}.items() if value})
    return redirect(f"{reverse('participation:sent')}?{query}")


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """The „Per E-Mail folgen“ form: what the includes on catalogue pages post to, and its own page."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        scope = scope_from(source)
    except BadRequest as error:
        return HttpResponseBadRequest(str(error))
    if scope is None:
        raise Http404
    back = safe_next(request, source.get("next"))
    status = 200
    if request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_bot():
            # Answered like a person, so the bot learns nothing; nothing is stored or sent.
            return _sent(request, "follow", back)
        if not spam.allow_ip(request, "follow"):
            return too_many(request)
        if form.is_valid():
            email = normalise_email(form.cleaned_data["email"])
            if not spam.allow_address(email, "follow"):
                return too_many(request)
            following.request_subscription(
                email=email,
                scope=scope,
                frequency=form.cleaned_data["frequency"],
                consent_text=str(FOLLOW_CONSENT),
                request=request,
            )
            return _sent(request, "follow", back)
        status = 400
    else:
        form = FollowForm(initial={"entry": scope.entry_code, "query": scope.query})
    context = {
        "form": form,
        "label": scope.label(active_locale()),
        "scope_url": scope.path(active_locale()),
        "next": back,
    }
    return private_page(request, "participation/follow.html", context, status=status)


def sent(request: HttpRequest) -> HttpResponse:
    what = "manage" if request.GET.get("was") == "manage" else "follow"
    context = {"what": what, "next": safe_next(request, request.GET.get("next")), "days": links.CONFIRM_MAX_AGE.days}
    return private_page(request, "participation/sent.html", context)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation mail: a page that says what is subscribed, and a button that confirms."""
    try:
        subscription = links.find(
            links.Purpose.CONFIRM_SUBSCRIPTION, token, Subscription.objects.select_related("subscriber")
        )
    except links.LinkError as error:
        return link_refused(request, error)
    if subscription is None:
        return link_gone(
            request,
            _("Dieses Abonnement gibt es nicht mehr: Es wurde abbestellt oder nicht rechtzeitig bestätigt."),
        )
    if request.method == "POST":
        following.confirm(subscription)
        return redirect(request.path)
    locale = active_locale()
    scope = Scope.of(subscription)
    context = {
        "subscription": subscription,
        "label": scope.label(locale),
        "scope_url": scope.path(locale),
        "manage_url": following.token_url(
            "manage", links.Purpose.MANAGE, subscription.subscriber, locale.language_code, request
        ),
    }
    return private_page(request, "participation/confirm.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """End one subscription: a page with one button, or at once by RFC 8058 one-click POST from a mail program.

    No CSRF token: mail programs post without one; the signed link is the credential, and
    all it can do is end the subscription it was made for.
    """
    try:
        subscription = links.find(links.Purpose.UNSUBSCRIBE, token, Subscription.objects.select_related("subscriber"))
    except links.LinkError as error:
        return link_refused(request, error)
    if subscription is None:
        return private_page(request, "participation/unsubscribed.html", {"gone": True})
    label = Scope.of(subscription).label(active_locale())
    if request.method == "POST":
        following.unsubscribe(subscription)
        return private_page(request, "participation/unsubscribed.html", {"label": label})
    return private_page(
        request,
        "participation/unsubscribe.html",
        {"label": label, "pending": not subscription.is_confirmed, "all": False},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_all(request: HttpRequest, token: str) -> HttpResponse:
    """End every subscription of an address (the `List-Unsubscribe` link of digests); as `unsubscribe`."""
    try:
        subscriber = links.find(links.Purpose.UNSUBSCRIBE_ALL, token, Subscriber.objects.all())
    except links.LinkError as error:
        return link_refused(request, error)
    if subscriber is None:
        return private_page(request, "participation/unsubscribed.html", {"gone": True})
    if request.method == "POST":
        following.unsubscribe_all(subscriber)
        return private_page(request, "participation/unsubscribed.html", {"all": True})
    return private_page(request, "participation/unsubscribe.html", {"all": True, "email": subscriber.email})


@require_http_methods(["GET", "POST"])
def manage_request(request: HttpRequest) -> HttpResponse:
    """Ask for the link to one's subscriptions; the answer is the same whether the address has any."""
    status = 200
    if request.method == "POST":
        form = ManageRequestForm(request.POST)
        if form.is_bot():
            return _sent(request, "manage", "")
        if not spam.allow_ip(request, "manage"):
            return too_many(request)
        if form.is_valid():
            email = normalise_email(form.cleaned_data["email"])
            if not spam.allow_address(email, "manage"):
                return too_many(request)
            subscriber = Subscriber.objects.filter(email=email).first()
            if subscriber is not None:
                following.send_manage_link(subscriber, request=request)
            return _sent(request, "manage", "")
        status = 400
    else:
        form = ManageRequestForm()
    return private_page(request, "participation/manage_request.html", {"form": form}, status=status)


MANAGE_DONE = {"frequency", "unsubscribe"}


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """All subscriptions of an address: change how often, end one, or end all."""
    try:
        subscriber = links.find(links.Purpose.MANAGE, token, Subscriber.objects.all())
    except links.LinkError as error:
        return link_refused(request, error)
    if subscriber is None:
        return link_gone(request, _("Für diese Adresse gibt es keine Abonnements mehr."))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "unsubscribe_all":
            following.unsubscribe_all(subscriber)
            return private_page(request, "participation/unsubscribed.html", {"all": True})
        subscription = subscriber.subscriptions.filter(pk=_int(request.POST.get("subscription")) or 0).first()
        if subscription is None or action not in MANAGE_DONE:
            return HttpResponseBadRequest(_("Unbekannte Aktion."))
        if action == "frequency":
            frequency = request.POST.get("frequency")
            if frequency not in Frequency.values:
                return HttpResponseBadRequest(_("Unbekannte Häufigkeit."))
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
        else:
            following.unsubscribe(subscription)
            if not Subscriber.objects.filter(pk=subscriber.pk).exists():
                return private_page(request, "participation/unsubscribed.html", {"all": True})
        return redirect(f"{request.path}?{urlencode({'erledigt': action})}")
    locale = active_locale()
    rows = [
        {
            "subscription": subscription,
            "label": Scope.of(subscription).label(locale),
            "url": Scope.of(subscription).path(locale),
        }
        for subscription in subscriber.subscriptions.all()
    ]
    done = request.GET.get("erledigt")
    context = {
        "subscriber": subscriber,
        "rows": rows,
        "frequencies": Frequency.choices,
        "done": done if done in MANAGE_DONE else "",
    }
    return private_page(request, "participation/manage.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None
