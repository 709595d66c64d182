"""API tokens: created and revoked by their owner, stored hashed, resolved to their user."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cornerstone.accounts.models import ApiToken, token_hash
from cornerstone.accounts.queries import api_tokens_of, user_for_token
from cornerstone.accounts.services import (
    MAX_ACTIVE_TOKENS,
    TOKEN_PREFIX,
    api_token_create,
    api_token_revoke,
)
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def token_events(token: ApiToken) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk))
        .order_by("id")
        .values_list("action", "source")
    )


def test_a_token_is_shown_once_and_stored_only_as_its_hash(cast):
    token, raw = api_token_create(actor=cast.xiaodian_admin, name="  统计报送系统  ")
    assert raw.startswith(TOKEN_PREFIX) and len(raw) > 40
    token.refresh_from_db()
    assert token.name == "统计报送系统"
    assert token.user == cast.xiaodian_admin
    assert token.key_hash == token_hash(raw) != raw
    assert token.prefix == raw[:8]
    assert raw not in {token.name, token.prefix, token.key_hash}
    assert token_events(token) == [(AuditAction.CREATE, AuditSource.PAGE)]


def test_two_tokens_never_share_a_value(cast):
    _first, raw1 = api_token_create(actor=cast.owner, name="甲")
    _second, raw2 = api_token_create(actor=cast.owner, name="甲")
    assert raw1 != raw2


@pytest.mark.parametrize("name", ["", "   "])
def test_a_token_needs_a_name(cast, name):
    with pytest.raises(ValidationError) as excinfo:
        api_token_create(actor=cast.owner, name=name)
    assert "名称" in excinfo.value.message_dict["name"][0]
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_overlong_name_is_refused_naming_the_field(cast):
    with pytest.raises(ValidationError) as excinfo:
        api_token_create(actor=cast.owner, name="名" * 101)
    assert "name" in excinfo.value.message_dict
    assert not ApiToken.objects.exists()


def test_active_tokens_are_capped_but_revoked_ones_do_not_count(cast):
    tokens = [
        api_token_create(actor=cast.owner, name=f"令牌{i}")[0] for i in range(MAX_ACTIVE_TOKENS)
    ]
    with pytest.raises(ValidationError) as excinfo:
        api_token_create(actor=cast.owner, name="再多一个")
    assert str(MAX_ACTIVE_TOKENS) in excinfo.value.message_dict["name"][0]
    # Another user's allowance is their own.
    api_token_create(actor=cast.evaluator, name="评分导入")
    api_token_revoke(actor=cast.owner, token_id=tokens[0].pk)
    api_token_create(actor=cast.owner, name="再多一个")
    assert ApiToken.objects.filter(user=cast.owner, revoked_at__isnull=True).count() == 20


def test_revoking_stops_the_token_and_is_recorded_once(cast, time_machine):
    time_machine.move_to(NOON, tick=False)
    token, raw = api_token_create(actor=cast.taiyuan_leader, name="大屏")
    assert user_for_token(raw=raw) == cast.taiyuan_leader
    revoked = api_token_revoke(actor=cast.taiyuan_leader, token_id=token.pk, source=AuditSource.API)
    assert revoked.revoked_at == NOON
    assert user_for_token(raw=raw) is None
    api_token_revoke(actor=cast.taiyuan_leader, token_id=token.pk)
    assert token_events(token) == [
        (AuditAction.CREATE, AuditSource.PAGE),
        (AuditAction.UPDATE, AuditSource.API),
    ]
    token.refresh_from_db()
    assert token.revoked_at == NOON


def test_someone_elses_token_cannot_be_revoked_and_is_reported_missing(cast):
    token, raw = api_token_create(actor=cast.xiaodian_admin, name="接口")
    with pytest.raises(ApiToken.DoesNotExist):
        api_token_revoke(actor=cast.province_admin, token_id=token.pk)
    assert user_for_token(raw=raw) == cast.xiaodian_admin


def test_an_unknown_or_mangled_token_resolves_to_nobody(cast):
    _token, raw = api_token_create(actor=cast.owner, name="接口")
    assert user_for_token(raw="") is None
    assert user_for_token(raw=raw[:-1]) is None
    assert user_for_token(raw=raw + "x") is None
    assert user_for_token(raw=token_hash(raw)) is None


def test_a_deactivated_users_token_resolves_to_nobody(cast):
    _token, raw = api_token_create(actor=cast.owner, name="接口")
    cast.owner.is_active = False
    cast.owner.save()
    assert user_for_token(raw=raw) is None


def test_use_is_noted_at_most_once_a_minute(cast, time_machine):
    time_machine.move_to(NOON, tick=False)
    token, raw = api_token_create(actor=cast.owner, name="接口")
    assert token.last_used_at is None
    user_for_token(raw=raw)
    token.refresh_from_db()
    assert token.last_used_at == NOON
    time_machine.move_to(NOON + dt.timedelta(seconds=59), tick=False)
    user_for_token(raw=raw)
    token.refresh_from_db()
    assert token.last_used_at == NOON
    later = NOON + dt.timedelta(seconds=61)
    time_machine.move_to(later, tick=False)
    user_for_token(raw=raw)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_a_user_lists_only_their_own_tokens_newest_first(cast, time_machine):
    time_machine.move_to(NOON, tick=False)
    older, _ = api_token_create(actor=cast.owner, name="旧")
    time_machine.move_to(NOON + dt.timedelta(hours=1), tick=False)
    newer, _ = api_token_create(actor=cast.owner, name="新")
    api_token_create(actor=cast.evaluator, name="别人的")
    assert list(api_tokens_of(actor=cast.owner)) == [newer, older]
