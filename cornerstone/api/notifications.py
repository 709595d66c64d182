"""The user's own notifications through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cornerstone.accounts.queries import notifications_of
from cornerstone.accounts.services import notifications_mark_read
from cornerstone.api.auth import actor
from cornerstone.api.projects import page_slice
from cornerstone.api.schemas import ERRORS, Paging

router = Router(tags=["通知"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[NotificationOut]


class NotificationParams(Paging):
    unread: bool = Field(False, description="只列未读")


class ReadIn(Schema):
    ids: list[int] | None = Field(None, description="要标为已读的通知编号；不填则全部标为已读")


class ReadOut(Schema):
    marked: int


@router.get(
    "/notifications",
    response={200: NotificationPage, **ERRORS},
    url_name="notification-list",
    summary="我的通知",
)
def notification_list(request: HttpRequest, params: Query[NotificationParams]) -> dict[str, Any]:
    """The caller's notifications, newest first."""
    rows = notifications_of(actor=actor(request), unread_only=params.unread)
    return {
        "count": rows.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": list(rows[page_slice(params.page, params.page_size)]),
    }


@router.post(
    "/notifications/read",
    response={200: ReadOut, **ERRORS},
    url_name="notification-read",
    summary="标为已读",
)
def notification_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    """Mark the caller's notifications read (the given ones, or all)."""
    return {"marked": notifications_mark_read(actor=actor(request), notification_ids=payload.ids)}
