"""Wagtail looks for hooks here; they are registered by the admin wing."""

from participation.admin import wagtail_hooks  # noqa: F401
