"""The catalogue's read API: entries with the catalogue page's filters, taxonomy, indicators, reports.

Mounted on Wagtail's API v3 (`cms.urls`), so it shares its OpenAPI schema and docs. Anonymous
callers see what the public site shows and nothing more: live entries of a language whose
catalogue page is live and public, published reports, the public fields of each. Every answer
carries the licence, an ETag and Last-Modified from the catalogue's data version (a repeated
request with either is answered 304 without touching the database), and CORS headers for GET
(`cms.middleware.OpenDataMiddleware`).

The modules below register their operations on the one `router`, in the order the schema lists them.
"""

from . import entries, reports, taxonomy
from .common import router

__all__ = ["entries", "reports", "router", "taxonomy"]
