"""Reads on accounts, scoped to the actor."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from cornerstone.accounts.models import ApiToken, User, token_hash
from cornerstone.core.models import Notification


def api_tokens_of(*, actor: User) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first."""
    return ApiToken.objects.filter(user=actor).order_by("-created_at", "-id")


def user_for_token(*, raw: str) -> User | None:
    """The active user behind a raw bearer token, or None; notes when it was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every call would serialise API reads on SQLite; a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def notifications_of(*, actor: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The actor's own notifications, newest first."""
    rows = Notification.objects.filter(user=actor)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def notifications_unread_count(*, actor: User) -> int:
    """How many of the actor's notifications are unread."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()
