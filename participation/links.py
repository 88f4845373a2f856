"""Signed links in mails (confirm, unsubscribe, manage) and absolute addresses for them.

A link carries the row's id and its random key, signed with a salt per purpose; links that
confirm expire, links that unsubscribe do not. A tampered link fails its signature, an old one
its age, and a link to a row that is gone (or whose key changed) finds nothing.
"""

import datetime
from enum import Enum
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from wagtail.models import Site

Row = TypeVar("Row", bound=Model)

CONFIRM_MAX_AGE = datetime.timedelta(days=7)
MANAGE_MAX_AGE = datetime.timedelta(days=60)


class Purpose(Enum):
    """What a link does; each purpose signs with its own salt, so no link serves another purpose."""

    CONFIRM_SUBSCRIPTION = ("confirm-subscription", CONFIRM_MAX_AGE)
    UNSUBSCRIBE = ("unsubscribe", None)
    UNSUBSCRIBE_ALL = ("unsubscribe-all", None)
    MANAGE = ("manage", MANAGE_MAX_AGE)
    CONFIRM_IDEA = ("confirm-idea", CONFIRM_MAX_AGE)
    FORGET_IDEA_ADDRESS = ("forget-idea-address", None)
    CONFIRM_REGISTRATION = ("confirm-registration", CONFIRM_MAX_AGE)
    CANCEL_REGISTRATION = ("cancel-registration", None)

    @property
    def salt(self) -> str:
        return f"participation.{self.value[0]}"

    @property
    def max_age(self) -> datetime.timedelta | None:
        return self.value[1]


class LinkError(Exception):
    """A link that cannot be used: `expired` tells an old link from a broken one."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_token(purpose: Purpose, pk: int, key: str) -> str:
    return signing.dumps([pk, key], salt=purpose.salt)


def read_token(purpose: Purpose, token: str) -> tuple[int, str]:
    """The id and key a link carries; LinkError when it is broken or too old."""
    try:
        value = signing.loads(token, salt=purpose.salt, max_age=purpose.max_age)
    except signing.SignatureExpired as error:
        raise LinkError(expired=True) from error
    except (signing.BadSignature, ValueError) as error:
        raise LinkError(expired=False) from error
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise LinkError(expired=False)
    return value[0], value[1]


def find(purpose: Purpose, token: str, queryset: QuerySet[Row]) -> Row | None:
    """The row a link stands for, or None when it is gone; LinkError when the link is broken or too old."""
    pk, key = read_token(purpose, token)
    row = queryset.filter(pk=pk).first()
    if row is None or not constant_time_compare(row.serializable_value("key"), key):
        return None
    return row


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` on this site: the request's host when there is one, else the default site's root URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    site = Site.objects.filter(is_default_site=True).first()
    base = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path
