"""Choosers of the catalogue's snippets: choosing existing rows only, and entries only where they may be seen."""

from django.http import Http404
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)

from catalogue.permissions import visible_entries


class ChooserCreateView(SnippetCreateView):
    """The chooser's „create“ endpoint, answering 404 while the chooser offers no creation form.

    Wagtail routes the endpoint for every snippet chooser and, without a form, fails on the
    missing form with a 500. Creating in the modal is not wanted here anyway: it would skip
    the editor's form (department choices), revisions and the approval workflow.
    """

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ChooseOnlyChooserViewSet(SnippetChooserViewSet):
    create_view_class = ChooserCreateView


class ProjectChooseView(ChooseView):
    def get_object_list(self):
        return visible_entries(super().get_object_list(), self.request.user)


class ProjectChooseResultsView(ChooseResultsView):
    def get_object_list(self):
        return visible_entries(super().get_object_list(), self.request.user)


class ProjectChosenView(SnippetChosenView):
    def get_object(self, pk):
        return visible_entries(self.model_class.objects.all(), self.request.user).get(pk=pk)


class ProjectChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return visible_entries(super().get_objects(pks), self.request.user)


class ProjectChooserViewSet(ChooseOnlyChooserViewSet):
    """Choosing is seeing: a department chooses among published entries and its own."""

    choose_view_class = ProjectChooseView
    choose_results_view_class = ProjectChooseResultsView
    chosen_view_class = ProjectChosenView
    chosen_multiple_view_class = ProjectChosenMultipleView
