"""Autosave is off (decision 0003): no editor form saves by itself, so nothing is created or logged unasked."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Locale

from catalogue.models import Project
from home.models import ChapterPage, StrategyPage

pytestmark = pytest.mark.django_db


def editor_form(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    form = BeautifulSoup(response.content.decode(), "html.parser").select_one("form[data-edit-form]")
    assert form is not None, url
    return form


def test_no_editor_form_autosaves(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    strategy = StrategyPage.objects.get(locale=Locale.get_default())
    chapter = ChapterPage.objects.get(slug="leitbild", locale=Locale.get_default())
    entry = Project.objects.filter(locale=Locale.get_default(), live=True).order_by("code").first()
    urls = [
        reverse("wagtailadmin_pages:add", args=["home", "chapterpage", strategy.pk]),
        reverse("wagtailadmin_pages:edit", args=[chapter.pk]),
        reverse("wagtailsnippets_catalogue_project:add"),
        reverse("wagtailsnippets_catalogue_project:edit", args=[entry.pk]),
    ]
    for url in urls:
        form = editor_form(client, url)
        assert "w-autosave" not in form.get("data-controller", ""), url
        assert not form.has_attr("data-w-autosave-interval-value"), url
        # The warning about unsaved changes on leaving stays.
        assert "w-unsaved" in form.get("data-controller", ""), url
