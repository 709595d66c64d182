"""Choices of dispatch meetings and briefings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import BadgeChoices, colours


@colours({"planned": "secondary", "held": "primary", "closed": "success"})
class MeetingStatus(BadgeChoices):
    PLANNED = "planned", _("待召开")
    HELD = "held", _("已召开")
    CLOSED = "closed", _("已归档")


class AgendaKind(models.TextChoices):
    PROJECT = "project", _("项目")
    PROBLEM = "problem", _("问题")


class DecisionOutcome(models.TextChoices):
    TASK = "task", _("任务")
    PROBLEM = "problem", _("问题")


@colours({"queued": "secondary", "running": "info", "done": "success", "failed": "danger"})
class BriefingStatus(BadgeChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("失败")
