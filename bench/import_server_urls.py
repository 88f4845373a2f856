"""The site's URLs with a trivial view in front, the baseline the readers of `import_bench.py` compare with."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-trivial/", trivial), *site_urlpatterns]
