"""The REST API under /api/v1/ (django-ninja), with its OpenAPI schema and docs."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="基石 Cornerstone API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
