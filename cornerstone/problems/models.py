"""Problems raised on projects, their history, escalation rules and supervision orders.

The task list (任务清单) and responsibility list (责任清单) are views of ``Problem`` per
department and per person; they have no table of their own.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cornerstone.problems.choices import (
    EscalationLevel,
    LetterKind,
    ProblemAction,
    ProblemCategory,
    ProblemStatus,
    Recipient,
    SupervisionStatus,
)
from cornerstone.problems.escalation import overdue_days


class Problem(models.Model):
    """A difficulty a project meets, assigned to a department with a deadline."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="problems",
    )
    category = models.CharField(_("问题类别"), max_length=16, choices=ProblemCategory.choices)
    description = models.TextField(_("问题描述"))
    department = models.ForeignKey(
        "geo.Department",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    person = models.CharField(_("责任人"), max_length=50, blank=True)
    deadline = models.DateField(_("办结时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    escalation_level = models.PositiveSmallIntegerField(
        _("督办级别"), choices=EscalationLevel.choices, default=EscalationLevel.NORMAL
    )
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    # Set when the problem was raised in a progress report.
    source_report = models.ForeignKey(
        "progress.ProgressReport",
        verbose_name=_("来源报告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["department", "status"], name="problem_department"),
            models.Index(fields=["status", "deadline"], name="problem_status_deadline"),
            models.Index(fields=["project", "status"], name="problem_project"),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def status_colour(self) -> str:
        """Badge colour of the status."""
        return ProblemStatus.colour(self.status)

    @property
    def level_colour(self) -> str:
        """Badge colour of the supervision level."""
        return {0: "secondary", 1: "warning", 2: "danger"}.get(self.escalation_level, "secondary")

    @property
    def overdue_days(self) -> int:
        """Days past the deadline while unresolved (0 otherwise)."""
        if self.status not in (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS):
            return 0
        return overdue_days(self.deadline, timezone.localdate())


class ProblemEvent(models.Model):
    """Every step of a problem with its comment: raised, started, resolved, verified…"""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=ProblemAction.choices)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    comment = models.CharField(_("意见"), max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action}"

    @property
    def from_label(self) -> str:
        return str(ProblemStatus(self.from_status).label) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return str(ProblemStatus(self.to_status).label) if self.to_status else ""


class EscalationPolicy(models.Model):
    """After how many overdue days a region's problems go to city and province supervision."""

    region = models.OneToOneField(
        "geo.Region", verbose_name=_("区划"), on_delete=models.CASCADE, related_name="+"
    )
    city_after_days = models.PositiveSmallIntegerField(_("逾期几天升市级督办"), default=7)
    province_after_days = models.PositiveSmallIntegerField(_("逾期几天升省级督办"), default=30)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("升级规则")
        verbose_name_plural = _("升级规则")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(province_after_days__gt=models.F("city_after_days")),
                name="escalation_days_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.city_after_days}/{self.province_after_days}"


class SupervisionOrder(models.Model):
    """A supervision letter (督办单) sent from a red light or an escalated problem."""

    # 督〔2026〕12号: numbered per issuing region and year.
    number = models.CharField(_("文号"), max_length=50)
    # Set by order_issue; empty only on rows written outside it (fixtures of other apps).
    issuing_region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("下发区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    kind = models.CharField(
        _("函件类型"), max_length=16, choices=LetterKind.choices, default=LetterKind.SUPERVISION
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="supervision_orders",
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_orders",
    )
    light = models.ForeignKey(
        "alerts.ProjectLight",
        verbose_name=_("预警"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_orders",
    )
    recipient = models.CharField(_("督办对象"), max_length=16, choices=Recipient.choices)
    department = models.ForeignKey(
        "geo.Department",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    subject = models.CharField(_("督办事项"), max_length=200)
    content = models.TextField(_("督办要求"))
    response_deadline = models.DateField(_("反馈时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=SupervisionStatus.choices,
        default=SupervisionStatus.ISSUED,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("下发时间"), auto_now_add=True)
    response = models.TextField(_("反馈内容"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closing_note = models.CharField(_("办结意见"), max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["status", "response_deadline"], name="order_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_region", "year", "serial"], name="order_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def status_colour(self) -> str:
        """Badge colour of the status."""
        return SupervisionStatus.colour(self.status)

    @property
    def is_overdue(self) -> bool:
        """Still unanswered after its response deadline."""
        return (
            self.status == SupervisionStatus.ISSUED
            and self.response_deadline < timezone.localdate()
        )
