"""The demo evaluation over a small demo province: published rounds with real results."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cornerstone.accounts.models import User
from cornerstone.core.models import AuditEvent
from cornerstone.evaluation import queries
from cornerstone.evaluation.choices import RoundStatus
from cornerstone.evaluation.demo import demo_evaluation_reset
from cornerstone.evaluation.models import (
    DailyScore,
    EvaluationRound,
    EvaluationScheme,
    RoundResult,
    ScoreSheet,
)
from cornerstone.projects.demo import demo_load
from cornerstone.projects.demo.world import demo_usernames

pytestmark = pytest.mark.django_db(transaction=False)
TODAY = dt.date(2026, 11, 24)


def test_demo_evaluation(time_machine, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    # The demo loads its rounds itself, after the campaigns the award sheet counts.
    demo_load(projects=200, seed=2026, today=TODAY)
    rounds = list(EvaluationRound.objects.order_by("year", "pk"))
    assert [r.status for r in rounds] == [RoundStatus.PUBLISHED] * 3
    assert RoundResult.objects.count() > 0
    last, this, award = rounds
    assert (last.year, this.year, award.year) == (2025, 2026, 2026)
    admin = this.created_by
    board = queries.leaderboard(actor=admin, round_=this)
    # Every unit was in last year's tour too: each has a movement, and ranks are 1..n with ties.
    assert board and all(row.previous_rank is not None for row in board)
    ranks = [row.result.rank for row in board]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    # The award sheet's first line explains the completion rate from the ledger.
    lines = [r.breakdown[0]["text"] for r in award.results.all()]
    assert all(text.startswith("年度计划完成率") for text in lines)
    assert AuditEvent.objects.filter(object_type="evaluation.scoresheet").exists()
    # Reset removes what the demo accounts made, so the accounts themselves can go.
    users = User.objects.filter(username__in=demo_usernames())
    assert demo_evaluation_reset(users=users) == 3
    assert not EvaluationRound.objects.exists() and not EvaluationScheme.objects.exists()
    assert not ScoreSheet.objects.exists() and not DailyScore.objects.exists()
