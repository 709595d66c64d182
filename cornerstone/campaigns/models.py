"""Campaigns (三个一批, 集中开工): a dated event, its venues and its participating projects."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cornerstone.campaigns.choices import Action, CampaignKind, CampaignStatus, VenueKind
from cornerstone.projects.models import money_field


class Campaign(models.Model):
    """An event organised by a region where batches of projects sign, start or produce."""

    name = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=16, choices=CampaignKind.choices)
    date = models.DateField(_("活动日期"))
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("组织区划"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    note = models.TextField(_("说明"), blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("集中活动")
        verbose_name_plural = _("集中活动")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["region", "date"], name="campaign_region_date")]

    def __str__(self) -> str:
        return self.name

    @property
    def status_colour(self) -> str:
        """Badge colour of the status."""
        return CampaignStatus.colour(self.status)

    @property
    def is_draft(self) -> bool:
        """Whether the campaign may still change."""
        return self.status == CampaignStatus.DRAFT


class Venue(models.Model):
    """The main venue or a branch venue of a region (主会场、分会场)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="venues")
    kind = models.CharField(_("会场类型"), max_length=16, choices=VenueKind.choices)
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("会场名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("会场")
        verbose_name_plural = _("会场")
        ordering = ["campaign_id", "kind", "region_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(kind=VenueKind.MAIN),
                name="venue_one_main",
                violation_error_message=_("每次活动只能有一个主会场。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignProject(models.Model):
    """A project taking part in a campaign with its action (签约 / 开工 / 投产)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    # A deleted project leaves the campaign too, as it leaves agendas and lists.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="campaign_entries",
    )
    action = models.CharField(_("活动环节"), max_length=16, choices=Action.choices)
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("会场"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # The total investment as announced: frozen when the campaign is confirmed, so the
    # published figures do not move when the ledger changes later.
    investment = money_field(_("活动时总投资（万元）"), null=True, blank=True)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动项目")
        verbose_name_plural = _("活动项目")
        ordering = ["campaign_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "project"],
                name="campaign_project_unique",
                violation_error_message=_("该项目已在本次活动中。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.project_id}:{self.action}"

    @property
    def action_colour(self) -> str:
        """Badge colour of the action."""
        return Action.colour(self.action)
