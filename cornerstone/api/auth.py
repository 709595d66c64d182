"""Who is calling: a bearer token a user created for themselves, or the logged-in session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from cornerstone.accounts.models import User
from cornerstone.accounts.queries import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; a wrong or revoked token is refused outright."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(raw=token.strip())
        if user is None:
            # Falling through to the session would hide a broken token behind a login.
            raise AuthenticationError(message=_("令牌无效、已吊销或账号已停用。"))
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in session (so the interactive docs work); writes must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # No session: report "not logged in" (401), not a CSRF failure (403).
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, _("CSRF 校验失败，请刷新页面后重试。"))
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None  # unused: __call__ reads the user the session middleware resolved


def actor(request: HttpRequest) -> User:
    """The authenticated user of an API request."""
    return request.auth  # type: ignore[attr-defined]


AUTH = [BearerToken(), SessionAuth()]
