"""Choices of problems and supervision orders; statuses carry their badge colour."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import BadgeChoices, colours


class ProblemCategory(models.TextChoices):
    LAND = "land", _("用地")
    FUNDS = "funds", _("资金")
    ENERGY = "energy", _("能耗")
    ENVIRONMENT = "environment", _("环评")
    LABOUR = "labour", _("用工")
    UTILITIES = "utilities", _("水电气")
    APPROVAL = "approval", _("审批")
    OTHER = "other", _("其他")


@colours({"open": "danger", "in_progress": "warning", "resolved": "info", "verified": "success"})
class ProblemStatus(BadgeChoices):
    OPEN = "open", _("待办理")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已解决")
    VERIFIED = "verified", _("已销号")


class EscalationLevel(models.IntegerChoices):
    NORMAL = 0, _("一般")
    CITY = 1, _("市级督办")
    PROVINCE = 2, _("省级督办")


class ProblemAction(models.TextChoices):
    RAISE = "raise", _("提出")
    START = "start", _("开始办理")
    RESOLVE = "resolve", _("办结")
    VERIFY = "verify", _("核验销号")
    REOPEN = "reopen", _("重新打开")
    ESCALATE = "escalate", _("升级督办")
    REASSIGN = "reassign", _("改派")
    COMMENT = "comment", _("备注")


class LetterKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("交办函")
    REMINDER = "reminder", _("提醒函")
    SUPERVISION = "supervision", _("督办函")


@colours({"issued": "danger", "answered": "warning", "closed": "success"})
class SupervisionStatus(BadgeChoices):
    ISSUED = "issued", _("已下发")
    ANSWERED = "answered", _("已反馈")
    CLOSED = "closed", _("已办结")


class Recipient(models.TextChoices):
    DEPARTMENT = "department", _("责任单位")
    OWNER = "owner", _("业主单位")
