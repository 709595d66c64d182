"""Choices of the ingest app; statuses carry the badge colour they are shown in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import BadgeChoices, colours


class ImportKind(models.TextChoices):
    LEDGER = "ledger", _("项目台账")
    PLANS = "plans", _("投资计划")
    REPORTS = "reports", _("进度报告")


@colours(
    {
        "checking": "info",
        "checked": "primary",
        "invalid": "warning",
        "importing": "info",
        "done": "success",
        "failed": "danger",
    }
)
class ImportStatus(BadgeChoices):
    CHECKING = "checking", _("校验中")
    CHECKED = "checked", _("校验通过，待导入")
    INVALID = "invalid", _("有错误")
    IMPORTING = "importing", _("导入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")
