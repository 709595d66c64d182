"""Rollups: the ledger's figures summed ahead of time, so a province dashboard reads kilobytes.

Each table is keyed by the project's own region (a range of codes gives any subtree) and
one *facet* at a time: the whole ("", ""), or one value of tier, category, kind,
investment band or industry section. A project therefore counts in six rows of each
table, and a dashboard with one filter reads one facet. Filters that combine two facets,
or a zone, are answered from the raw rows instead (``queries.py``); both paths give the
same figures, which the tests check after random writes.

Amounts are stored in cents of 万元 (integers): SQLite keeps decimals as floating point,
and a province's sum must reconcile to the cent with the projects listed under it.

Rollups change in the same transaction as the writes that change what they sum
(``rollups.py``: take a project's contribution out before a write, put it back after),
and a bulk write rebuilds them (``rollups_rebuild``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _cents(verbose_name: StrOrPromise) -> models.BigIntegerField:
    """An amount in hundredths of 万元: integers sum exactly on both engines."""
    return models.BigIntegerField(verbose_name, default=0)


class StockRollup(models.Model):
    """Projects and their total investment now, per region, stage and facet value."""

    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey("projects.Stage", on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(_("维度"), max_length=16, blank=True)
    value = models.CharField(_("维度取值"), max_length=16, blank=True)
    projects = models.IntegerField(_("项目数"), default=0)
    total_investment_cents = _cents(_("总投资（0.01万元）"))
    completed_before_year_cents = _cents(_("以前年度累计完成投资（0.01万元）"))

    class Meta:
        verbose_name = _("项目汇总")
        verbose_name_plural = _("项目汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value", "region", "stage"], name="stock_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value} {self.region_id} {self.stage_id}"


class MonthRollup(models.Model):
    """Completed and planned investment of one month, per region, stage and facet value."""

    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey("projects.Stage", on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(_("维度"), max_length=16, blank=True)
    value = models.CharField(_("维度取值"), max_length=16, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    completed_cents = _cents(_("完成投资（0.01万元）"))
    planned_cents = _cents(_("计划投资（0.01万元）"))
    funds_in_place_cents = _cents(_("到位资金（0.01万元）"))
    # The completed investment of 产业 projects, so the industry share needs no second facet.
    industry_completed_cents = _cents(_("产业项目完成投资（0.01万元）"))

    class Meta:
        verbose_name = _("月度投资汇总")
        verbose_name_plural = _("月度投资汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value", "year", "month", "region", "stage"],
                name="month_rollup_key",
            )
        ]
        # Covers the dashboard's read, as for the event rollup: no visit to the table rows.
        indexes = [
            models.Index(
                fields=[
                    "facet",
                    "value",
                    "year",
                    "region",
                    "stage",
                    "month",
                    "completed_cents",
                    "planned_cents",
                    "funds_in_place_cents",
                    "industry_completed_cents",
                ],
                name="month_rollup_read",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value} {self.region_id} {self.year}-{self.month}"


class EventRollup(models.Model):
    """How many projects planned an event for one month and reached it in another.

    ``plan_ym`` and ``actual_ym`` are ``year * 100 + month`` (0: none). One row per
    pair answers every rate of the statistics module for any period: planned starts of a
    year, those started by month N, early / on time / late, new starts, and so on.
    """

    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(_("维度"), max_length=16, blank=True)
    value = models.CharField(_("维度取值"), max_length=16, blank=True)
    event = models.CharField(_("事件"), max_length=16)
    plan_ym = models.PositiveIntegerField(_("计划年月"))
    actual_ym = models.PositiveIntegerField(_("实际年月"))
    projects = models.IntegerField(_("项目数"), default=0)

    class Meta:
        verbose_name = _("节点汇总")
        verbose_name_plural = _("节点汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value", "event", "region", "plan_ym", "actual_ym"],
                name="event_rollup_key",
            )
        ]
        # Covers the dashboard's read (every column it asks for), so that SQLite answers
        # from the index alone instead of visiting a million table rows.
        indexes = [
            models.Index(
                fields=["facet", "value", "region", "event", "plan_ym", "actual_ym", "projects"],
                name="event_rollup_read",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value} {self.region_id} {self.event} {self.plan_ym}"


class LightRollup(models.Model):
    """Red, yellow and green projects of one month, per region and facet value."""

    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(_("维度"), max_length=16, blank=True)
    value = models.CharField(_("维度取值"), max_length=16, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    colour = models.CharField(_("灯色"), max_length=8)
    projects = models.IntegerField(_("项目数"), default=0)

    class Meta:
        verbose_name = _("亮灯汇总")
        verbose_name_plural = _("亮灯汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value", "year", "month", "region", "colour"],
                name="light_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value} {self.region_id} {self.year}-{self.month} {self.colour}"


class StartTarget(models.Model):
    """A region's target count of 开复工 projects for a year (计划完成率's denominator)."""

    region = models.ForeignKey(
        "geo.Region", verbose_name=_("区划"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    projects = models.PositiveIntegerField(_("开复工目标（个）"), validators=[MinValueValidator(1)])
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("开复工目标")
        verbose_name_plural = _("开复工目标")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="start_target_region_year")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.projects}"
