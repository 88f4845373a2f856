"""The data protection officer's view: everything stored about one e-mail address, as JSON, or erased."""

import json
import logging

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from participation import privacy

PERMISSION = "participation.manage_personal_data"
logger = logging.getLogger(__name__)


class AddressForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"), help_text=_("Die Adresse, nach der gefragt wurde."))


class EraseForm(AddressForm):
    checked = forms.BooleanField(
        label=_("Ich habe geprüft, dass die Anfrage von der Inhaberin oder dem Inhaber der Adresse kommt."),
        error_messages={"required": _("Bitte bestätigen Sie die Prüfung der Anfrage.")},
    )
    delete_ideas = forms.BooleanField(
        label=_("Auch die eingereichten Ideen löschen (sonst bleiben sie ohne Name und Adresse veröffentlicht)"),
        required=False,
    )


class PrivacyView(WagtailAdminTemplateMixin, TemplateView):
    """POST only carries the address, so it appears in no URL and no server log."""

    template_name = "participation/admin/privacy.html"
    page_title = _("Daten einer E-Mail-Adresse")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            # A real 403: Wagtail turns a raised PermissionDenied into a redirect to the dashboard.
            return permission_denied(request, PermissionDenied())
        return never_cache(super().dispatch)(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AddressForm())
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        form = EraseForm(request.POST) if action == "erase" else AddressForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(form=form, erase_form=form if action == "erase" else None)
            )
        email = form.cleaned_data["email"]
        if action == "export":
            exported = privacy.export(privacy.address_data(email))
            response = HttpResponse(
                json.dumps(exported, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="daten-einer-adresse.json"'
            logger.info("Personal data of one address exported by user %s", request.user.pk)
            return response
        if action == "erase":
            erased = privacy.erase(email, delete_ideas=form.cleaned_data["delete_ideas"])
            logger.info("Personal data of one address erased by user %s", request.user.pk)
            return self.render_to_response(self.get_context_data(form=AddressForm(), erased=erased))
        data = privacy.address_data(email)
        return self.render_to_response(
            self.get_context_data(form=form, data=data, erase_form=EraseForm(initial={"email": data.email}))
        )


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


class PrivacyViewSet(ViewSet):
    name = "participation_privacy"
    url_prefix = "beteiligung/datenschutz"
    icon = "lock"
    menu_label = _("Daten einer Adresse")
    menu_item_class = PrivacyMenuItem

    def get_urlpatterns(self):
        return [path("", PrivacyView.as_view(), name="index")]
