"""Whole public responses for anonymous visitors, from the shared cache.

A warm public page then costs two cache reads and no database query. The key (`cms.cache.response_key`)
names the URL, the language and every version that can change what the page shows, so a change
through any app server is visible with the next request; Wagtail's frontend-cache purge (a
``PURGE`` request the proxy forwards) drops the responses of one path.

What is never served from or stored in this cache: anything but GET/HEAD; requests with a session
cookie (everyone logged in, every preview, everyone who passed a password form) or an
``Authorization`` header; the admin, documents, static and media files; responses that set a
cookie, use a CSRF token, are not 200, stream, or say ``private``/``no-store`` themselves.

An entry's page (a request that named its entries with `cms.cache.depends_on_entries` and read
nothing catalogue-wide) is stored under a key without the data version, together with the versions
of its entries; it stays valid while those and the structure version are unchanged.

Each stored page is sent with ``Cache-Control: public, max-age=0, must-revalidate``, an ETag and a
Last-Modified date, so browsers ask again every time and get a 304 while nothing has changed. The
Content Security Policy nonce is replaced by a fresh one for every response served from the cache.
"""

import base64
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache as default_cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseForbidden
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.crypto import constant_time_compare
from django.utils.http import http_date
from django.utils.translation import get_language_from_path

from cms import cache

NONCE_PLACEHOLDER = "cms-response-cache-nonce-placeholder"
PURGE_HEADER = "HTTP_X_PURGE_TOKEN"
DEFAULT_EXCLUDED = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/")
STORED_VARY = {"cookie", "accept-language", "accept-encoding"}


@dataclass(frozen=True)
class StoredResponse:
    """A response as kept in the cache: the nonce in body and headers replaced by a placeholder."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    last_modified: float

    def render(self, nonce: str, head: bool) -> HttpResponse:
        body = self.body.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())
        response = HttpResponse(b"" if head else body)
        response.status_code = self.status
        for name, value in self.headers:
            response[name] = value.replace(NONCE_PLACEHOLDER, nonce)
        response["Content-Length"] = str(len(body))
        return response


@dataclass(frozen=True)
class EntryScopedResponse:
    """A response that showed only these entries' own data (pk -> version when it was made)."""

    response: StoredResponse
    entries: dict[int, int]


def _timeout() -> int:
    return int(getattr(settings, "RESPONSE_CACHE_SECONDS", cache.HOUR))


def _excluded_prefixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "RESPONSE_CACHE_EXCLUDED_PATHS", DEFAULT_EXCLUDED))


def _new_nonce() -> str:
    # The same form django-csp gives its nonces.
    return base64.b64encode(os.urandom(16)).decode("ascii")


def _has_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def _cache_control(response: HttpResponseBase) -> None:
    max_age = int(getattr(settings, "RESPONSE_CACHE_SHARED_MAX_AGE", 0))
    directives = {"public": True, "max_age": 0, "must_revalidate": True}
    if max_age:
        directives["s_maxage"] = max_age
    patch_cache_control(response, **directives)


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= STORED_VARY


def _stored(request: HttpRequest, response: HttpResponse) -> StoredResponse:
    nonce = getattr(request, "_csp_nonce", None)
    body = response.content
    headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
    if isinstance(nonce, str) and nonce:
        body = body.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
        headers = [(name, value.replace(nonce, NONCE_PLACEHOLDER)) for name, value in headers]
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    return StoredResponse(response.status_code, headers, body, etag, time.time())


def _validators(response: HttpResponseBase, stored: StoredResponse) -> None:
    response["ETag"] = stored.etag
    response["Last-Modified"] = http_date(stored.last_modified)
    _cache_control(response)


def _conditional(request: HttpRequest, stored: StoredResponse, response: HttpResponseBase) -> HttpResponseBase:
    # django-stubs name HttpResponse only; Django answers any response (and gives it back unchanged).
    conditional = get_conditional_response(
        request,
        etag=stored.etag,
        last_modified=int(stored.last_modified),
        response=response,  # type: ignore[arg-type]
    )
    return conditional if conditional is not None else response


class ResponseCacheMiddleware:
    """Serve and store whole anonymous responses; answer the proxy's PURGE requests.

    Placed after SecurityMiddleware and WhiteNoise and before the session, locale, CSRF and CSP
    middleware: it sees the finished response (cookies, Vary, the CSP header with its nonce)
    and a hit skips all of them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "PURGE":
            return self.purge(request)
        if (
            request.method not in ("GET", "HEAD")
            or _has_session(request)
            or request.path_info.startswith(_excluded_prefixes())
        ):
            response = self.get_response(request)
            if _has_session(request) and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        with cache.response_scope(request.path) as versions:
            language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
            url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
            key = cache.response_key(versions, request.path, url, language)
            entry_key = cache.entry_response_key(versions, request.path, url, language)
            found = default_cache.get_many([key, entry_key])
            stored = found.get(key)
            scoped = found.get(entry_key)
            # An entry's page is kept while its entries and the structure are as they were, however
            # often other entries change (`cms.cache`, "Entry-scoped").
            if isinstance(scoped, EntryScopedResponse) and cache.entry_versions_current(scoped.entries):
                stored = scoped.response
            if isinstance(stored, StoredResponse):
                # As LocaleMiddleware would, which a hit skips.
                translation.activate(language)
                response = stored.render(_new_nonce(), head=request.method == "HEAD")
                response["X-Cache"] = "hit"
                _validators(response, stored)
                return _conditional(request, stored, response)
            response = self.get_response(request)
            if not isinstance(response, HttpResponse) or not _storable(request, response):
                return response
            stored = _stored(request, response)
            entries = cache.entry_scoped(versions)
            if entries is None:
                default_cache.set(key, stored, _timeout())
            else:
                default_cache.set(entry_key, EntryScopedResponse(stored, entries), _timeout())
            response["X-Cache"] = "miss"
            _validators(response, stored)
            return _conditional(request, stored, response)

    def purge(self, request: HttpRequest) -> HttpResponseBase:
        """Wagtail's frontend cache (through the proxy) drops the cached responses of one path."""
        token = getattr(settings, "RESPONSE_CACHE_PURGE_TOKEN", "")
        given = request.META.get(PURGE_HEADER, "")
        if not token or not constant_time_compare(token, given):
            return HttpResponseForbidden("purge refused\n", content_type="text/plain")
        cache.purge_path(request.path)
        return HttpResponse("purged\n", content_type="text/plain")
