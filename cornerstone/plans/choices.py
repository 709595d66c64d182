"""Choices of the plans app; statuses carry the badge colour they are shown in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import BadgeChoices, colours


class SplitMethod(models.TextChoices):
    MANUAL = "manual", _("逐月填报")
    EVEN = "even", _("平均分配")
    WEIGHTED = "weighted", _("按施工月份加权")


@colours(
    {
        "pending": "secondary",
        "done_on_time": "success",
        "done_late": "warning",
        "overdue_open": "danger",
    }
)
class MilestoneStatus(BadgeChoices):
    PENDING = "pending", _("未到期")
    DONE_ON_TIME = "done_on_time", _("按期完成")
    DONE_LATE = "done_late", _("逾期完成")
    OVERDUE_OPEN = "overdue_open", _("逾期未完成")


class DependencyType(models.TextChoices):
    FINISH_TO_START = "FS", _("完成-开始")
    START_TO_START = "SS", _("开始-开始")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")
