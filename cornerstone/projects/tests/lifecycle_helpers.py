"""Shortcuts shared by the lifecycle tests: the frozen day, recording and checking steps."""

import datetime as dt
from zoneinfo import ZoneInfo

from cornerstone.projects.choices import StepStatus
from cornerstone.projects.lifecycle import current_stage_id
from cornerstone.projects.lifecycle_services import project_step_complete
from cornerstone.projects.models import Project, ProjectStep, StepDefinition
from cornerstone.projects.queries import lifecycle_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 24)
NON_WRITERS = ["taiyuan_leader", "xiaodian_dept", "evaluator", "owner"]


def stage_code(project: Project) -> str:
    return Project.objects.select_related("stage").get(pk=project.pk).stage.code


def settle(project, *codes, status=StepStatus.DONE):
    """Record steps directly (test set-up that bypasses the order rules)."""
    for code in codes:
        ProjectStep.objects.update_or_create(
            project=project,
            definition=StepDefinition.objects.get(code=code),
            defaults={"status": status, "actual_date": TODAY},
        )


def place(*projects):
    """Put projects in the stage their steps give, silently (test set-up, no audit)."""
    rules = lifecycle_rules()
    for project in projects:
        statuses = dict(project.steps.values_list("definition_id", "status"))
        Project.objects.filter(pk=project.pk).update(stage=current_stage_id(rules, statuses))


def complete(project, steps, *codes, actor, day=TODAY):
    for code in codes:
        project_step_complete(actor=actor, project=project, definition=steps[code], actual_date=day)


def assert_stages_follow_the_rules():
    """Every project sits where lifecycle.current_stage_id puts it."""
    rules = lifecycle_rules()
    for project in Project.objects.all():
        statuses = dict(project.steps.values_list("definition_id", "status"))
        assert project.stage_id == current_stage_id(rules, statuses), project.name
