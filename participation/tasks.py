"""Background work (django-tasks): digests, telling submitters of answers, deleting what is no longer needed.

With the database backend a worker (`manage.py db_worker`) runs them; without a TASKS setting
they run at once in the process that enqueues them.
"""

from django_tasks import task

from . import digests, ideas, privacy
from .models import Idea


@task()
def send_digests(frequency: str | None = None) -> dict[str, int | bool]:
    return digests.send_digests(frequency=frequency).as_dict()


@task()
def notify_idea_answer(idea_id: int) -> bool:
    idea = Idea.objects.filter(pk=idea_id).select_related("project").first()
    return bool(idea and ideas.notify_answer(idea))


@task()
def purge() -> dict[str, int]:
    return privacy.purge().as_dict()
