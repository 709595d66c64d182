"""Who may call the API: a user's own token, or their logged-in session (with CSRF on writes)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from cornerstone.accounts.services import api_token_create, api_token_revoke
from cornerstone.api.tests.conftest import assert_error, database_state
from cornerstone.projects.models import Project

pytestmark = pytest.mark.django_db

NEW_PROJECT = {
    "name": "会话新建项目",
    "region": "140105",
    "tier": "county",
    "category": "industry",
    "kind": "new",
    "owner_org": "某某公司",
    "total_investment": "6000",
}


def test_no_credentials_is_401_on_every_endpoint(client, ledger):
    pk = ledger.xiaodian.pk
    for path in (
        "/api/v1/projects",
        f"/api/v1/projects/{pk}",
        f"/api/v1/projects/{pk}/steps",
        f"/api/v1/projects/{pk}/history",
        "/api/v1/regions",
        "/api/v1/industries",
        "/api/v1/stages",
    ):
        response = client.get(path)
        body = assert_error(response, 401)
        assert "令牌" in body["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_write_is_401_not_a_csrf_refusal(client, ledger):
    before = database_state()
    response = client.post("/api/v1/projects", json.dumps(NEW_PROJECT), "application/json")
    assert_error(response, 401)
    assert database_state() == before


def test_own_token_reads(client, cast, ledger):
    _token, raw = api_token_create(actor=cast.xiaodian_admin, name="对接")
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [ledger.xiaodian.pk]


def test_revoked_token_is_401(client, cast, ledger):
    token, raw = api_token_create(actor=cast.xiaodian_admin, name="对接")
    api_token_revoke(actor=cast.xiaodian_admin, token_id=token.pk)
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert_error(response, 401)


def test_wrong_token_is_401_even_with_a_session(client, cast, ledger):
    # A broken integration must notice its token is wrong, not ride on someone's login.
    client.force_login(cast.xiaodian_admin)
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION="Bearer cs_not-a-real-token")
    assert_error(response, 401)


def test_token_of_a_deactivated_user_is_401(client, cast, ledger):
    _token, raw = api_token_create(actor=cast.xiaodian_admin, name="对接")
    cast.xiaodian_admin.is_active = False
    cast.xiaodian_admin.save()
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert_error(response, 401)


def test_session_reads_with_the_same_scope(client, cast, ledger):
    client.force_login(cast.owner)
    response = client.get("/api/v1/projects")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [ledger.xiaodian.pk]


def test_session_write_without_csrf_token_is_refused(cast, ledger):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.xiaodian_admin)
    before = database_state()
    response = client.post("/api/v1/projects", json.dumps(NEW_PROJECT), "application/json")
    body = assert_error(response, 403)
    assert "CSRF" in body["detail"]
    assert database_state() == before


def test_session_write_with_csrf_token_from_the_docs_page(cast, ledger):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.xiaodian_admin)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/projects",
        json.dumps(NEW_PROJECT),
        "application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201, response.content
    assert Project.objects.filter(name="会话新建项目").exists()


def test_token_write_needs_no_csrf_token(cast, ledger):
    client = Client(enforce_csrf_checks=True)
    _token, raw = api_token_create(actor=cast.xiaodian_admin, name="对接")
    response = client.post(
        "/api/v1/projects",
        json.dumps(NEW_PROJECT),
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
