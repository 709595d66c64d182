"""Enrolment rules against the lifecycle (pure: no database)."""

import pytest

from cornerstone.campaigns.choices import Action
from cornerstone.campaigns.rules import LifecycleFacts, action_refusal, project_label

NEW = LifecycleFacts(signed=False, started=False, producing=False)
SIGNED = LifecycleFacts(signed=True, started=False, producing=False)
STARTED = LifecycleFacts(signed=True, started=True, producing=False)
STARTED_UNSIGNED = LifecycleFacts(signed=False, started=True, producing=False)
PRODUCING = LifecycleFacts(signed=True, started=True, producing=True)


@pytest.mark.parametrize(
    ("action", "facts", "refusal"),
    [
        (Action.SIGN, NEW, None),
        (Action.SIGN, SIGNED, "项目已签约，不能重复签约。"),
        (Action.SIGN, STARTED_UNSIGNED, "项目已开工，不能再集中签约。"),
        (Action.SIGN, PRODUCING, "项目已投产，不能再集中签约。"),
        (Action.START, NEW, None),
        (Action.START, SIGNED, None),
        (Action.START, STARTED, "项目已开工，不能重复开工。"),
        (Action.START, PRODUCING, "项目已投产，不能再集中开工。"),
        (Action.PRODUCE, NEW, "项目尚未开工，不能集中投产。"),
        (Action.PRODUCE, SIGNED, "项目尚未开工，不能集中投产。"),
        (Action.PRODUCE, STARTED, None),
        (Action.PRODUCE, STARTED_UNSIGNED, None),
        (Action.PRODUCE, PRODUCING, "项目已投产，不能重复投产。"),
    ],
)
def test_action_against_the_lifecycle(action, facts, refusal):
    assert action_refusal(action, facts) == refusal


def test_unknown_action_is_named():
    assert action_refusal("celebrate", NEW) == "未知的活动环节“celebrate”。"


def test_project_label_names_name_and_code():
    assert project_label("光伏项目", "2024-140105-04-01-000001") == (
        "项目“光伏项目”（2024-140105-04-01-000001）"
    )
