"""The OpenAPI schema and the interactive docs: stable URLs, offline, no inline script."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cornerstone.api.tests import (
    endpoints_alerts,
    endpoints_campaigns,
    endpoints_dispatch,
    endpoints_evaluation,
    endpoints_imports,
    endpoints_problems,
    endpoints_progress,
    endpoints_stats,
)

pytestmark = pytest.mark.django_db

CORE_ENDPOINTS = {
    ("get", "/api/v1/projects"),
    ("post", "/api/v1/projects"),
    ("get", "/api/v1/projects/{project_id}"),
    ("patch", "/api/v1/projects/{project_id}"),
    ("delete", "/api/v1/projects/{project_id}"),
    ("get", "/api/v1/projects/{project_id}/steps"),
    ("post", "/api/v1/projects/{project_id}/steps/{step_code}/complete"),
    ("post", "/api/v1/projects/{project_id}/steps/{step_code}/waive"),
    ("post", "/api/v1/projects/{project_id}/steps/{step_code}/reopen"),
    ("post", "/api/v1/projects/{project_id}/steps/{step_code}/plan"),
    ("get", "/api/v1/projects/{project_id}/history"),
    ("get", "/api/v1/regions"),
    ("get", "/api/v1/industries"),
    ("get", "/api/v1/stages"),
    ("get", "/api/v1/projects/{project_id}/plans"),
    ("put", "/api/v1/projects/{project_id}/plans/{year}"),
    ("delete", "/api/v1/projects/{project_id}/plans/{year}"),
    ("get", "/api/v1/projects/{project_id}/milestones"),
    ("post", "/api/v1/projects/{project_id}/milestones"),
    ("patch", "/api/v1/milestones/{milestone_id}"),
    ("delete", "/api/v1/milestones/{milestone_id}"),
    ("get", "/api/v1/projects/{project_id}/tasks"),
    ("post", "/api/v1/projects/{project_id}/tasks"),
    ("patch", "/api/v1/tasks/{task_id}"),
    ("delete", "/api/v1/tasks/{task_id}"),
    ("put", "/api/v1/projects/{project_id}/schedule/target"),
    ("delete", "/api/v1/projects/{project_id}/schedule/target"),
    ("get", "/api/v1/projects/{project_id}/schedule"),
    ("post", "/api/v1/imports"),
    ("get", "/api/v1/imports/{job_id}"),
    ("post", "/api/v1/imports/{job_id}/commit"),
    ("get", "/api/v1/ledger.xlsx"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/read"),
}
# Each app of the reporting issue lists its own endpoints in a module of its own.
ENDPOINTS = (
    CORE_ENDPOINTS
    | endpoints_progress.ENDPOINTS
    | endpoints_problems.ENDPOINTS
    | endpoints_alerts.ENDPOINTS
    | endpoints_dispatch.ENDPOINTS
    | endpoints_imports.ENDPOINTS
    | endpoints_stats.ENDPOINTS
    | endpoints_evaluation.ENDPOINTS
    | endpoints_campaigns.ENDPOINTS
)


def test_openapi_schema_lists_every_endpoint(client):
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    found = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert found == ENDPOINTS
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_openapi_documents_filters_errors_and_required_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    listing = schema["paths"]["/api/v1/projects"]["get"]
    params = {p["name"] for p in listing["parameters"]}
    assert {
        "q",
        "region",
        "zone",
        "tier",
        "category",
        "kind",
        "industry",
        "stage",
        "threshold",
        "min_investment",
        "max_investment",
        "list",
        "sort",
        "page",
        "page_size",
    } <= params
    assert listing["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorOut"
    )
    create = schema["components"]["schemas"]["ProjectCreate"]
    assert set(create["required"]) == {
        "name",
        "region",
        "tier",
        "category",
        "kind",
        "owner_org",
        "total_investment",
    }
    assert create["properties"]["tier"]["enum"] == ["provincial", "city", "county"]
    assert create["additionalProperties"] is False


def test_docs_page_is_served_offline_without_inline_script(client):
    assert reverse("api:openapi-view") == "/api/v1/docs"
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(?:src|href)=[\"']?(?:https?:)?//", html), "external resource"
    assert "validatorUrl" in html and '"validatorUrl": null' in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attributes, body in scripts:
        # Only data blocks may have a body; executable code comes from our own static files.
        assert 'type="application/json"' in attributes or not body.strip()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    for asset in re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html):
        served = client.get(asset)
        assert served.status_code == 200, asset
        content = b"".join(served.streaming_content) if served.streaming else served.content
        assert content, asset


def test_docs_link_in_the_page_layout(client, cast):
    client.force_login(cast.taiyuan_admin)
    page = client.get(reverse("projects:list")).content.decode()
    assert 'href="/api/v1/docs"' in page
