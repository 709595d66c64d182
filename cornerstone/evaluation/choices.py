"""Choices of the horse-race evaluation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import BadgeChoices, colours


class Source(models.TextChoices):
    EVALUATOR = "evaluator", _("现场观摩评价赋分")
    DAILY = "daily", _("日常考核评价赋分")
    COMPUTED = "computed", _("台账计算")


@colours({"draft": "secondary", "open": "primary", "closed": "warning", "published": "success"})
class RoundStatus(BadgeChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("评分中")
    CLOSED = "closed", _("已结束")
    PUBLISHED = "published", _("已发布")


@colours({"draft": "secondary", "submitted": "success"})
class SheetStatus(BadgeChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
