"""An API client per cast member, authenticated with a token the user created for themselves."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from cornerstone.accounts.models import User
from cornerstone.accounts.services import api_token_create
from cornerstone.core.models import AuditEvent
from cornerstone.projects.models import Project, ProjectStep


@dataclass
class Api:
    """A thin JSON client that sends ``Authorization: Bearer <token>`` on every call."""

    client: Client
    token: str

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get("/api/v1" + path, params or {}, **self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        return self._send("post", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self._send("patch", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self._send("put", path, body)

    def upload(self, path: str, file: Any) -> Any:
        """POST a multipart form with one file field named ``file``."""
        return self.client.post("/api/v1" + path, {"file": file}, **self._headers())

    def delete(self, path: str) -> Any:
        return self.client.delete("/api/v1" + path, **self._headers())

    def _send(self, method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
        send = getattr(self.client, method)
        return send("/api/v1" + path, data, content_type="application/json", **self._headers())


@pytest.fixture
def api_as(cast: Any) -> Callable[[User], Api]:
    """``api_as(cast.taiyuan_admin).get("/projects")``.

    Every cast member's token is created up front: creating one writes an audit row, which
    would otherwise land inside a test's before/after comparison.
    """
    clients: dict[int, Api] = {}
    for user in vars(cast).values():
        _token, raw = api_token_create(actor=user, name="测试")
        clients[user.pk] = Api(Client(), raw)
    return lambda user: clients[user.pk]


@dataclass(frozen=True)
class DatabaseState:
    projects: int
    audit_rows: int
    steps: int


def database_state() -> DatabaseState:
    """What a refused write must leave exactly as it was."""
    return DatabaseState(
        projects=Project.objects.count(),
        audit_rows=AuditEvent.objects.count(),
        steps=ProjectStep.objects.count(),
    )


def assert_error(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The response is the one error shape, with this status and (if given) this field named."""
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    for entry in body["errors"]:
        assert set(entry) == {"field", "message"}
        assert entry["message"]
    if field is not None:
        assert field in {e["field"] for e in body["errors"]}, body
    return body  # type: ignore[no-any-return]


def message_for(body: dict[str, Any], field: str) -> str:
    """The first message naming ``field``."""
    return next(e["message"] for e in body["errors"] if e["field"] == field)
