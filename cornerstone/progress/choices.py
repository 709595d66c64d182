"""Choices of periodic reporting; statuses carry the badge colour they are shown in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.projects.choices import BadgeChoices, colours


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    SEMIMONTHLY = "semimonthly", _("每半月")
    MONTHLY = "monthly", _("每月")


@colours({"open": "success", "closed": "secondary"})
class CycleStatus(BadgeChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已截止")


@colours(
    {"draft": "secondary", "submitted": "primary", "returned": "warning", "accepted": "success"}
)
class ReportStatus(BadgeChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


class SiteStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开工")
    STARTED = "started", _("新开工")
    RESUMED = "resumed", _("复工")
    UNDER_WAY = "under_way", _("在建")
    SUSPENDED = "suspended", _("停工")
    COMPLETED = "completed", _("完工")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("现场照片")
    DOCUMENT = "document", _("文件")
