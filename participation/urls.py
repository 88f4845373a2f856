"""The participation's own addresses; `cms.urls` puts them ahead of Wagtail's pages, in every language."""

from django.urls import path, re_path

from .public import calendar, dialogues, follow, ideas

app_name = "participation"

urlpatterns = [
    path("beteiligung/folgen/", follow.follow, name="follow"),
    path("beteiligung/folgen/gesendet/", follow.sent, name="sent"),
    path("beteiligung/folgen/bestaetigen/<str:token>/", follow.confirm, name="confirm"),
    path("beteiligung/abbestellen/<str:token>/", follow.unsubscribe, name="unsubscribe"),
    path("beteiligung/alles-abbestellen/<str:token>/", follow.unsubscribe_all, name="unsubscribe_all"),
    path("beteiligung/abonnements/", follow.manage_request, name="manage_request"),
    path("beteiligung/abonnements/<str:token>/", follow.manage, name="manage"),
    path("beteiligung/idee/bestaetigen/<str:token>/", ideas.idea_confirm, name="idea_confirm"),
    path("beteiligung/idee/adresse-loeschen/<str:token>/", ideas.idea_forget, name="idea_forget"),
    path("beteiligung/anmeldung/<int:page_id>/", dialogues.register, name="register"),
    path("beteiligung/anmeldung/bestaetigen/<str:token>/", dialogues.registration_confirm, name="registration_confirm"),
    path("beteiligung/anmeldung/absagen/<str:token>/", dialogues.registration_cancel, name="registration_cancel"),
    # Wagtail's page URLs allow no dot: these sit ahead of them (see participation.public.calendar).
    re_path(r"^(?P<path>(?:[\w-]+/)+)termin\.ics$", calendar.dialogue_ics, name="dialogue_ics"),
    re_path(r"^(?P<path>(?:[\w-]+/)+)kalender\.ics$", calendar.feed_ics, name="feed_ics"),
]
