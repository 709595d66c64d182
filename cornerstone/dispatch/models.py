"""Dispatch meetings (调度会), their agenda and decisions, and generated briefings (通报)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.dispatch.choices import AgendaKind, BriefingStatus, DecisionOutcome, MeetingStatus
from cornerstone.projects.choices import Category, Tier


class DispatchMeeting(models.Model):
    """A meeting for a scope and date; its agenda assembles itself from lights and problems."""

    title = models.CharField(_("会议名称"), max_length=200)
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("项目级别"), max_length=16, choices=Tier.choices, blank=True)
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices, blank=True)
    date = models.DateField(_("会议日期"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调度会")
        verbose_name_plural = _("调度会")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def status_colour(self) -> str:
        return MeetingStatus.colour(self.status)


class AgendaItem(models.Model):
    """A lagging project or an escalated problem put before the meeting, with why."""

    meeting = models.ForeignKey(DispatchMeeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=16, choices=AgendaKind.choices)
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="+"
    )
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("问题"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Snapshots as of assembling, so the agenda reads the same after lights change.
    colour = models.CharField(_("灯色"), max_length=8, blank=True)
    reason = models.CharField(_("事由"), max_length=500)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.reason}"


class Decision(models.Model):
    """What the meeting decided on an item; each becomes a task or a problem with an owner."""

    meeting = models.ForeignKey(DispatchMeeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("议定事项"))
    outcome = models.CharField(_("转为"), max_length=16, choices=DecisionOutcome.choices)
    task = models.ForeignKey(
        "plans.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    problem = models.ForeignKey(
        "problems.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return self.text[:40]


def briefing_path(instance: "Briefing", filename: str) -> str:
    """Generated files live under the briefing's id."""
    return f"briefings/{instance.pk}/{filename}"


class Briefing(models.Model):
    """A 通报 for a scope and month, generated in the background as .docx and PDF."""

    title = models.CharField(_("标题"), max_length=200)
    issuing_body = models.CharField(_("发文机关"), max_length=100)
    number = models.CharField(_("文号"), max_length=50, blank=True)
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("项目级别"), max_length=16, choices=Tier.choices, blank=True)
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    meeting = models.ForeignKey(
        DispatchMeeting,
        verbose_name=_("调度会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="briefings",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=BriefingStatus.choices, default=BriefingStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    summary = models.TextField(_("摘要"), blank=True)
    docx = models.FileField(_("Word文件"), upload_to=briefing_path, blank=True)
    pdf = models.FileField(_("PDF文件"), upload_to=briefing_path, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def status_colour(self) -> str:
        return BriefingStatus.colour(self.status)
