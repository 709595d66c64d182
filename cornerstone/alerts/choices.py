"""Choices of warnings: the light colours (ordered by severity) and the shipped presets."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import BadgeChoices, colours


@colours({"green": "success", "yellow": "warning", "red": "danger"})
class Light(BadgeChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


class Preset(models.TextChoices):
    YINCHUAN_2025 = "yinchuan_2025", _("银川2025")
    SANYA_2022 = "sanya_2022", _("三亚2022")
    TIANJIN_2022 = "tianjin_2022", _("天津2022")
    CUSTOM = "custom", _("自定义")


@colours({"proposed": "warning", "accepted": "success", "rejected": "secondary"})
class JustificationStatus(BadgeChoices):
    PROPOSED = "proposed", _("待审核")
    ACCEPTED = "accepted", _("已认可")
    REJECTED = "rejected", _("未认可")
