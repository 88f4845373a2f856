"""Small factories for catalogue tests: fast rows without the full demo."""

import datetime

import factory
from wagtail.models import Locale

from catalogue.models import Area, Department, Goal, Indicator, Municipality, Project, Status, StatusReport


def german():
    return Locale.objects.get_or_create(language_code="de")[0]


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Handlungsfeld {n + 1}")
    slug = factory.Sequence(lambda n: f"feld-{n + 1}")
    locale = factory.LazyFunction(german)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda n: f"9.{n + 1}")
    title = factory.Sequence(lambda n: f"Ziel {n + 1}")
    locale = factory.LazyFunction(german)


class StatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Status

    name = factory.Sequence(lambda n: f"Status {n}")
    slug = factory.Sequence(lambda n: f"status-{n}")
    order = factory.Sequence(lambda n: n)
    locale = factory.LazyFunction(german)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Amt {n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    locale = factory.LazyFunction(german)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    ags = factory.Sequence(lambda n: f"{9_000_000 + n:08d}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A live entry row; pass `goals=[...]` to link goals."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"P{n:05d}")
    title = factory.Sequence(lambda n: f"Eintrag {n}")
    lead_department = factory.SubFactory(DepartmentFactory)
    locale = factory.LazyFunction(german)
    live = True

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        if extracted:
            # A parental many-to-many is kept in memory until the entry is saved.
            self.goals.set(extracted)
            if create:
                self.save()


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    title = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "%"
    locale = factory.LazyFunction(german)


def publish_with_reports(entry, *reports):
    """Attach (date, status, traffic light, progress) reports to the entry and publish it."""
    for date, status, light, progress in reports:
        entry.reports.add(
            StatusReport(date=date or datetime.date(2024, 1, 1), status=status, traffic_light=light, progress=progress)
        )
    entry.save()
    entry.save_revision().publish()
    entry.refresh_from_db()
    return entry
