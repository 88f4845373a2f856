"""Wagtail looks for hooks here; they are registered by the admin wing."""

from catalogue.admin import wagtail_hooks  # noqa: F401
