import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from budget import urls as budget_urls
from cms import views
from home.models import PDF_FILE_NAME
from home.search import search
from home.views import strategy_pdf

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path("suche/", search, name="search"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("haushalt/", include(budget_urls)),
    # Ahead of Wagtail's pages, whose URLs allow no dot.
    re_path(rf"^(?P<path>.+/){re.escape(PDF_FILE_NAME)}$", strategy_pdf, name="strategy_pdf"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
