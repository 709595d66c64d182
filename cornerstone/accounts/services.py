"""Writes on accounts: API tokens a user creates and revokes for themselves."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import ApiToken, User, token_hash
from cornerstone.core.audit import audit_record
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import Notification

TOKEN_PREFIX = "cs_"  # noqa: S105 (a marker, not a secret)
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, source: AuditSource = AuditSource.PAGE
) -> tuple[ApiToken, str]:
    """Create a token for the actor; the raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称，例如用途或调用系统。")})
    if actor.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": _("有效令牌已达上限（%d 个），请先吊销不用的令牌。") % MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, prefix=raw[:8], key_hash=token_hash(raw))
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        obj=token,
        summary=_("创建接口令牌“%s”") % name,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(
    *, actor: User, token_id: int, source: AuditSource = AuditSource.PAGE
) -> ApiToken:
    """Revoke one of the actor's own tokens; someone else's token is reported as missing."""
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            obj=token,
            summary=_("吊销接口令牌“%s”") % token.name,
        )
    return token


def notifications_mark_read(*, actor: User, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's own notifications read (the given ones, or all); returns how many."""
    # Reading one's own messages changes nothing of the ledger: no audit row.
    rows = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())
