"""The filters of every statistics page and endpoint: one form, one frozen value."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cornerstone.geo.codes import level_of
from cornerstone.projects.choices import Category, Kind, Tier
from cornerstone.projects.filters import THRESHOLDS
from cornerstone.stats.kpis import BANDS

MIN_YEAR = 2000
MONTHS = [(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)]
# Filters answered from one rollup facet; two at once (or a zone) go to the raw rows.
FACET_FIELDS = ("tier", "category", "kind", "threshold", "section")


@dataclass(frozen=True)
class StatsFilter:
    """A period (January to ``month`` of ``year``) and at most a region, zone and classes."""

    year: int
    month: int
    region: str = ""
    zone: int | None = None
    tier: str = ""
    category: str = ""
    kind: str = ""
    threshold: str = ""
    section: str = ""

    def facet(self) -> tuple[str, list[str]] | None:
        """The rollup facet and values that answer these filters; None when none can."""
        given = [name for name in FACET_FIELDS if getattr(self, name)]
        if self.zone is not None or len(given) > 1:
            return None
        if not given:
            return "", [""]
        name = given[0]
        if name == "threshold":
            # The ledger's threshold values (its minimum in 万元), so a drill-down link keeps them.
            minimum = Decimal(self.threshold)
            return "band", [code for code, band in BANDS.items() if band.minimum >= minimum]
        return name, [getattr(self, name)]

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (empty ones left out)."""
        out = {"year": str(self.year), "month": str(self.month)}
        for name in ("region", "tier", "category", "kind", "threshold", "section"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.zone is not None:
            out["zone"] = str(self.zone)
        return out


class StatsFilterForm(forms.Form):
    """Validates the URL parameters; unknown values are errors, not an empty page."""

    year = forms.IntegerField(label=_("年度"), required=False, min_value=MIN_YEAR)
    month = forms.TypedChoiceField(
        label=_("截至月份"), required=False, choices=MONTHS, coerce=int, empty_value=None
    )
    region = forms.CharField(label=_("区划"), required=False, max_length=6)
    zone = forms.IntegerField(label=_("园区"), required=False, min_value=1)
    tier = forms.ChoiceField(label=_("项目级别"), required=False, choices=Tier.choices)
    category = forms.ChoiceField(label=_("项目类别"), required=False, choices=Category.choices)
    kind = forms.ChoiceField(label=_("项目类型"), required=False, choices=Kind.choices)
    threshold = forms.ChoiceField(label=_("投资规模"), required=False, choices=THRESHOLDS)
    section = forms.RegexField(
        label=_("行业门类"),
        required=False,
        regex=r"^[A-T]$",
        error_messages={"invalid": _("行业门类应为A—T中的一个字母。")},
    )

    def clean_year(self) -> int:
        year = self.cleaned_data.get("year") or timezone.localdate().year
        if year > timezone.localdate().year + 1:
            raise forms.ValidationError(_("年度不能晚于明年。"))
        return int(year)

    def clean_region(self) -> str:
        code = self.cleaned_data.get("region") or ""
        if code:
            try:
                level_of(code)
            except ValueError:
                message = _("“%(code)s”不是有效的区划代码。") % {"code": code}
                raise forms.ValidationError(message) from None
        return code

    def clean(self) -> dict:
        data = super().clean() or {}
        if not self.errors and not data.get("month"):
            today = timezone.localdate()
            data["month"] = today.month if data.get("year") == today.year else 12
        return data

    def value(self) -> StatsFilter:
        """The validated filters (call after ``is_valid``)."""
        data = self.cleaned_data
        return StatsFilter(
            year=data["year"],
            month=data["month"],
            region=data.get("region") or "",
            zone=data.get("zone"),
            tier=data.get("tier") or "",
            category=data.get("category") or "",
            kind=data.get("kind") or "",
            threshold=data.get("threshold") or "",
            section=data.get("section") or "",
        )


def stats_filter_parse(params: dict[str, str]) -> StatsFilter:
    """Parse URL parameters into filters; raises ``forms.ValidationError`` with every problem."""
    form = StatsFilterForm(params)
    if not form.is_valid():
        messages = [
            f"{form.fields[name].label if name in form.fields else name}：{error}"
            for name, errors in form.errors.items()
            for error in errors
        ]
        raise forms.ValidationError(messages)
    return form.value()
