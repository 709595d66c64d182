"""Choices of campaigns: their kind and status, venues, and a project's action."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import BadgeChoices, Milestone, colours


class CampaignKind(models.TextChoices):
    THREE_BATCHES = "three_batches", _("三个一批")
    MASS_START = "mass_start", _("集中开工")
    OTHER = "other", _("其他集中活动")


@colours({"draft": "secondary", "confirmed": "success"})
class CampaignStatus(BadgeChoices):
    DRAFT = "draft", _("筹备中")
    CONFIRMED = "confirmed", _("已确认")


class VenueKind(models.TextChoices):
    MAIN = "main", _("主会场")
    BRANCH = "branch", _("分会场")


@colours({"sign": "info", "start": "primary", "produce": "success"})
class Action(BadgeChoices):
    """What a project does at the event; in this order in every table and headline."""

    SIGN = "sign", _("签约")
    START = "start", _("开工")
    PRODUCE = "produce", _("投产")


# The lifecycle step an action completes is found by its milestone, not by a step code.
ACTION_MILESTONE = {
    Action.SIGN: Milestone.SIGNING,
    Action.START: Milestone.START,
    Action.PRODUCE: Milestone.PRODUCTION,
}
