"""Receivers of the participation: tell submitters of answers, drop cached page lookups and entry ideas."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from catalogue.models import Project
from cms import cache

from . import tasks
from .models import Idea, IdeaIndexPage
from .pages import ENTRY_IDEAS, forget_pages


@receiver(pre_save, sender=Idea)
def remember_previous_entry(sender, instance, **kwargs) -> None:
    # The entry an idea linked to before this save loses its „entstanden aus Bürgeridee“ too.
    instance._previous_project_id = (
        Idea.objects.filter(pk=instance.pk).values_list("project_id", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Idea)
@receiver(post_delete, sender=Idea)
def forget_entry_ideas(sender, instance, **kwargs) -> None:
    project_ids = {instance.project_id, getattr(instance, "_previous_project_id", None)} - {None}
    if project_ids:
        keys = Project.objects.filter(pk__in=project_ids).values_list("translation_key", flat=True)
        cache.forget_many(ENTRY_IDEAS, [(key,) for key in keys])


@receiver(post_save, sender=Idea)
def notify_submitter(sender, instance, **kwargs) -> None:
    if instance.awaits_notification:
        pk = instance.pk
        transaction.on_commit(lambda: tasks.notify_idea_answer.enqueue(pk))


@receiver(page_published, sender=IdeaIndexPage)
@receiver(page_unpublished, sender=IdeaIndexPage)
@receiver(post_page_move, sender=IdeaIndexPage)
@receiver(page_slug_changed, sender=IdeaIndexPage)
@receiver(post_delete, sender=IdeaIndexPage)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def idea_page_changed(sender, **kwargs) -> None:
    # Where the ideas page is, and whether it may be linked (a restriction), is cached by name.
    forget_pages()
