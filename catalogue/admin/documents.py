"""Serving documents: the catalogue's unpublished ones only to who may see them."""

from django.http import HttpRequest, HttpResponseNotFound

from catalogue.permissions import document_withheld_from


def withhold_unpublished_catalogue_documents(document, request: HttpRequest) -> HttpResponseNotFound | None:
    """`before_serve_document`: answered like a missing file, so the address confirms nothing."""
    if document_withheld_from(request.user, document):
        return HttpResponseNotFound()
    return None
