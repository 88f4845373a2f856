"""The participation's roles: who moderates ideas and sees registrations, who answers for personal data."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

MODERATION_GROUP = "Beteiligung"
PRIVACY_GROUP = "Datenschutz"

MODERATION_PERMISSIONS = [
    "add_idea",
    "change_idea",
    "view_idea",
    "add_dialogueregistration",
    "change_dialogueregistration",
    "delete_dialogueregistration",
    "view_dialogueregistration",
]
PRIVACY_PERMISSIONS = ["manage_personal_data", "view_consentrecord"]


def _permissions(codenames: list[str]) -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="participation", codename__in=codenames))


@transaction.atomic
def setup_roles() -> tuple[Group, Group]:
    """Create (or complete) the moderation and the data protection groups; return both."""
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    moderation, _ = Group.objects.get_or_create(name=MODERATION_GROUP)
    moderation.permissions.add(access_admin, *_permissions(MODERATION_PERMISSIONS))
    privacy, _ = Group.objects.get_or_create(name=PRIVACY_GROUP)
    privacy.permissions.add(access_admin, *_permissions(PRIVACY_PERMISSIONS))
    return moderation, privacy
