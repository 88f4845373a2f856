import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern as WAGTAIL_SERVE_PATTERN

from budget import urls as budget_urls
from catalogue.admin.api import router as catalogue_write_router
from catalogue.public import dcat, embed
from catalogue.public.api import router as catalogue_router
from cms import patterns, routing, views
from cms.openapi import correct_anonymous_security
from cms.sitemap import TranslatedSitemap
from home.models import PDF_FILE_NAME
from home.search import search
from home.views import strategy_pdf

# Routers join Wagtail's API before its URLs are built. Reading and writing live apart, since
# one path can belong to one router only.
api.add_router("/catalogue/", catalogue_router)
api.add_router("/catalogue/manage/", catalogue_write_router)
correct_anonymous_security(api)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("api/v3/", api.urls),
    path("dcat/catalog.<str:extension>", dcat.catalog_view, name="dcat_catalog"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico where a document names no icon (feeds, PDFs): the site's icon, not a 404.
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz/", views.healthz, name="healthz"),
    re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", views.media, name="media"),
]

urlpatterns += i18n_patterns(
    path("suche/", search, name="search"),
    path("muster/", patterns.pattern_library, name="pattern_library"),
    path("einbetten/", embed.embed_view, name="embed"),
    path("einbetten/gemeinde/<slug:slug>/", embed.municipality_embed_view, name="embed_municipality"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("haushalt/", include(budget_urls)),
    # Ahead of Wagtail's pages, whose URLs allow no dot.
    re_path(rf"^(?P<path>.+/){re.escape(PDF_FILE_NAME)}$", strategy_pdf, name="strategy_pdf"),
    path("", include("participation.urls")),
    # Wagtail's own URLs (password form, login) as they are; its page URLs routed from the cache.
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(WAGTAIL_SERVE_PATTERN, routing.serve, name="wagtail_serve"),
    prefix_default_language=False,
)

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
