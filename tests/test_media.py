"""Uploaded media: who serves /media/ where, documents never directly, and no broken image after a lost file."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import SiteSettings
from demo.builders.accessibility import ensure_media_files

pytestmark = pytest.mark.django_db


def png(width=40, height=30):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "#1a5f7a").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="probe.png")


@pytest.fixture
def image(site):
    return get_image_model().objects.create(title="Probe", file=png())


def test_media_is_served_only_where_asked_for(client, image, settings):
    url = image.file.url
    settings.SERVE_MEDIA = False
    assert client.get(url).status_code == 404
    settings.SERVE_MEDIA = True
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_documents_and_paths_outside_media_are_never_served(client, site, settings):
    settings.SERVE_MEDIA = True
    default_storage.save("documents/geheim.txt", ContentFile(b"intern"))
    assert client.get("/media/documents/geheim.txt").status_code == 404
    assert client.get("/media/../manage.py").status_code in (400, 404)
    assert client.get("/media/%2e%2e/manage.py").status_code in (400, 404)
    assert client.get("/media/original_images/../../manage.py").status_code in (400, 404)


def test_development_settings_serve_media():
    from cms.settings import dev

    assert dev.SERVE_MEDIA is True


def test_lost_image_files_get_a_stand_in_instead_of_a_broken_image(client, site, settings):
    settings.SERVE_MEDIA = True
    logo = SiteSettings.objects.get().logo
    default_storage.delete(logo.file.name)
    assert ensure_media_files() == [logo.title]
    logo.refresh_from_db()
    assert default_storage.exists(logo.file.name)
    html = BeautifulSoup(client.get("/").content, "html.parser")
    src = html.select_one(".site-brand__logo")["src"]
    assert client.get(src).status_code == 200
    assert ensure_media_files() == []


def test_load_demo_repairs_lost_files(demo, settings):
    logo = SiteSettings.objects.get().logo
    default_storage.delete(logo.file.name)
    call_command("load_demo", stdout=io.StringIO())
    logo.refresh_from_db()
    assert default_storage.exists(logo.file.name)
