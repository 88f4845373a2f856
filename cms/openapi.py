"""One correction to the OpenAPI document of Wagtail's API v3, so that it validates.

Wagtail marks public reads with an `AllowAnonymous` security scheme of type `http` without a
`scheme`, which OpenAPI 3.1 forbids. Anonymous access is what an empty security requirement
(`{}`) expresses, so the document says that instead.
"""

from typing import Any, TypeVar

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

ANONYMOUS = "AllowAnonymous"

Document = TypeVar("Document", bound=dict[str, Any])


def _corrected(document: Document) -> Document:
    document.get("components", {}).get("securitySchemes", {}).pop(ANONYMOUS, None)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "security" in operation:
                operation["security"] = [{} if ANONYMOUS in need else need for need in operation["security"]]
    return document


def correct_anonymous_security(api: NinjaAPI) -> None:
    """Serve the API's schema with anonymous access written as an empty security requirement."""
    build = api.get_openapi_schema

    def schema(*, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        return _corrected(build(path_prefix=path_prefix, path_params=path_params))

    # Wagtail builds the one NinjaAPI instance itself, so its method is replaced on the instance.
    api.get_openapi_schema = schema  # type: ignore[method-assign]
