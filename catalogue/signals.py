"""Keeps the denormalised evaluation on entries in step with their published reports."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from .models import Project, StatusReport


@receiver(published, sender=Project)
def apply_report_on_publish(sender, instance, **kwargs):
    # Indicator values reported with a report become public with it, not before.
    for report in StatusReport.objects.filter(project=instance).exclude(pending_indicator_values={}):
        report.release_indicator_values()
    instance.apply_latest_report()


@receiver(unpublished, sender=Project)
def rollup_on_unpublish(sender, instance, **kwargs):
    if instance.parent_id:
        instance.parent.update_rollup()


@receiver(post_delete, sender=Project)
def rollup_on_delete(sender, instance, **kwargs):
    if instance.parent_id and Project.objects.filter(pk=instance.parent_id).exists():
        instance.parent.update_rollup()


@receiver(post_delete, sender=StatusReport)
def apply_report_on_delete(sender, instance, origin=None, **kwargs):
    # Deleting the entry itself cascades to its reports: nothing is left to update then.
    if isinstance(origin, Project):
        return
    project = Project.objects.filter(pk=instance.project_id, live=True).first()
    if project is not None:
        project.apply_latest_report()
