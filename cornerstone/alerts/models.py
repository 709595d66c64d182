"""Warning rule sets, the lights they produce per project and region per month, and the
justifications that suppress a light.

A light row is the result for one month: recomputation updates that month's row in place
(supervision orders point at it), and earlier months stay as the light's history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.alerts.choices import JustificationStatus, Light, Preset
from cornerstone.projects.choices import Tier


class RuleSet(models.Model):
    """The warning rules a region applies (to one tier, or to all): a preset, adjusted."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("区划"), on_delete=models.CASCADE, related_name="+"
    )
    tier = models.CharField(_("项目级别"), max_length=16, choices=Tier.choices, blank=True)
    preset = models.CharField(_("预设规则"), max_length=32, choices=Preset.choices)
    # The preset's thresholds as adjusted by the region; shape defined by alerts.rules.
    params = models.JSONField(_("参数"), default=dict, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["region_id", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["region", "tier"], name="ruleset_one_per_scope"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectLight(models.Model):
    """A project's light for one month, with every reason that fired, in words."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="lights"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    colour = models.CharField(_("灯色"), max_length=8, choices=Light.choices)
    # [{"rule": "progress", "colour": "red", "text": "截至5月底完成投资…", "suppressed": "…"}]
    reasons = models.JSONField(_("原因"), default=list, blank=True)
    rule_set = models.ForeignKey(
        RuleSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("项目预警")
        verbose_name_plural = _("项目预警")
        ordering = ["-year", "-month", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="light_one_per_month"
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "colour"], name="light_period_colour")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d} {self.colour}"


class RegionLight(models.Model):
    """A region's light for one month (its investment task, growth against plan and peers)."""

    region = models.ForeignKey(
        "geo.Region", verbose_name=_("区划"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    colour = models.CharField(_("灯色"), max_length=8, choices=Light.choices)
    reasons = models.JSONField(_("原因"), default=list, blank=True)
    rule_set = models.ForeignKey(
        RuleSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("区域预警")
        verbose_name_plural = _("区域预警")
        ordering = ["-year", "-month", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "month"], name="region_light_one_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}-{self.month:02d} {self.colour}"


class Justification(models.Model):
    """A documented reason (e.g. for a late start) that, once accepted, suppresses a rule."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="justifications",
    )
    rule = models.CharField(_("规则"), max_length=32)
    reason = models.TextField(_("理由"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=JustificationStatus.choices,
        default=JustificationStatus.PROPOSED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("情况说明")
        verbose_name_plural = _("情况说明")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "status"], name="justification_project")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.rule}"
