"""Evaluation schemes and their criteria, rounds with units, evaluators and projects,
score sheets, admins' daily scores, units' self-assessments and the results of a round."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cornerstone.evaluation.choices import RoundStatus, SheetStatus, Source


class EvaluationScheme(models.Model):
    """A scoring scheme (a preset or an admin's own); its criteria carry the rules as data."""

    name = models.CharField(_("方案名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    preset = models.CharField(_("预置方案"), max_length=32, blank=True)
    # [{code, name, weight, full}]: the components criteria are grouped in, with weights.
    components = models.JSONField(_("组成部分及权重"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价方案")
        verbose_name_plural = _("评价方案")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One scored item: where its score comes from and the rule that turns inputs into points."""

    scheme = models.ForeignKey(EvaluationScheme, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("评分项"), max_length=200)
    component = models.CharField(_("组成部分"), max_length=32, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    rule = models.JSONField(_("计分规则"))
    max_score = models.DecimalField(
        _("满分"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["scheme_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="criterion_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationRound(models.Model):
    """One evaluation (e.g. 2024年度重大项目现场观摩) of a region's units under a scheme."""

    name = models.CharField(_("名称"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    period_start = models.DateField(_("考核期起"))
    period_end = models.DateField(_("考核期止"))
    scheme = models.ForeignKey(
        EvaluationScheme,
        verbose_name=_("评价方案"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("组织区划"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    trim_min_evaluators = models.PositiveSmallIntegerField(
        _("评委达到几人时去掉最高分和最低分"),
        null=True,
        blank=True,
        help_text=_("留空则按方案规定。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评比轮次")
        verbose_name_plural = _("评比轮次")
        ordering = ["-year", "-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="round_period_order"
            ),
            models.CheckConstraint(
                condition=Q(trim_min_evaluators__isnull=True) | Q(trim_min_evaluators__gte=3),
                name="round_trim_at_least_three",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status_colour(self) -> str:
        return RoundStatus.colour(self.status)


class RoundUnit(models.Model):
    """A unit evaluated in a round: a county / district, or a zone."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="units")
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("县区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    zone = models.ForeignKey(
        "geo.Zone",
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The region the unit lies in (the zone's region for a zone): what scope is checked on.
    scope_region = models.ForeignKey(
        "geo.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("单位名称"), max_length=100)

    class Meta:
        verbose_name = _("参评单位")
        verbose_name_plural = _("参评单位")
        ordering = ["round_id", "scope_region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(zone__isnull=True))
                | (Q(region__isnull=True) & Q(zone__isnull=False)),
                name="round_unit_region_or_zone",
            ),
            models.UniqueConstraint(
                fields=["round", "region"], name="round_unit_region", condition=Q(zone=None)
            ),
            models.UniqueConstraint(
                fields=["round", "zone"], name="round_unit_zone", condition=Q(region=None)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoundEvaluator(models.Model):
    """An evaluator of a round and the units they score."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评委"),
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
    )
    units = models.ManyToManyField(RoundUnit, verbose_name=_("评分单位"), related_name="evaluators")

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="round_evaluator_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)


class RoundProject(models.Model):
    """A project visited on the observation tour, with the unit it belongs to."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="projects")
    # A project deleted from the ledger leaves the visit list with it.
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        RoundUnit,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    position = models.PositiveIntegerField(_("观摩顺序"), default=0)

    class Meta:
        verbose_name = _("观摩项目")
        verbose_name_plural = _("观摩项目")
        ordering = ["round_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="round_project_unique")
        ]

    def __str__(self) -> str:
        return str(self.project)


class ScoreSheet(models.Model):
    """One evaluator's scores for one unit: a draft until submitted, then fixed."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="sheets")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评委"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        RoundUnit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="sheets"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["round_id", "unit_id", "evaluator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "evaluator", "unit"], name="score_sheet_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} / {self.evaluator}"

    @property
    def status_colour(self) -> str:
        return SheetStatus.colour(self.status)


class ScoreEntry(models.Model):
    """An evaluator's score for one criterion on a sheet."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=9, decimal_places=2)
    note = models.CharField(_("评语"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class DailyScore(models.Model):
    """An admin's entry for a unit on a daily-assessment criterion (several add up)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="daily")
    unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="daily")
    criterion = models.ForeignKey(Criterion, verbose_name=_("评分项"), on_delete=models.CASCADE)
    value = models.DecimalField(_("分值"), max_digits=9, decimal_places=2)
    basis = models.CharField(_("依据"), max_length=500)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("日常考核赋分")
        verbose_name_plural = _("日常考核赋分")
        ordering = ["round_id", "unit_id", "criterion_id", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.criterion}: {self.value}"


class SelfAssessment(models.Model):
    """A unit's own score (自评分) and its basis, shown beside the computed score."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="self_scores")
    unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("自评分"), max_digits=9, decimal_places=2)
    basis = models.TextField(_("自评依据"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now=True)

    class Meta:
        verbose_name = _("自评")
        verbose_name_plural = _("自评")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="self_assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.score}"


class RoundResult(models.Model):
    """A unit's total, rank and per-criterion breakdown, written when the round closes."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="+")
    total = models.DecimalField(_("总分"), max_digits=9, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"))
    # [{criterion, name, component, score, text, flagged}] in the scheme's order.
    breakdown = models.JSONField(_("得分明细"), default=list)
    components = models.JSONField(_("分项得分"), default=dict)
    self_score = models.DecimalField(
        _("自评分"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    notes = models.JSONField(_("提示"), default=list)

    class Meta:
        verbose_name = _("评比结果")
        verbose_name_plural = _("评比结果")
        ordering = ["round_id", "rank", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="round_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit}"
