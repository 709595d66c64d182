"""Project classifications. Each choice carries the badge colour the pages use."""

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BadgeChoices(models.TextChoices):
    """TextChoices with a Bootstrap colour per value, set by ``@colours``."""

    @classmethod
    def colour(cls, value: str) -> str:
        return str(getattr(cls, "_colours", {}).get(value, "secondary"))


def colours(mapping: dict[str, str]) -> Callable[[type[BadgeChoices]], type[BadgeChoices]]:
    """Attach badge colours to a choices class (an Enum body cannot hold a plain dict)."""

    def attach(cls: type[BadgeChoices]) -> type[BadgeChoices]:
        setattr(cls, "_colours", mapping)  # noqa: B010
        return cls

    return attach


@colours({"provincial": "danger", "city": "warning", "county": "info"})
class Tier(BadgeChoices):
    PROVINCIAL = "provincial", _("省重点")
    CITY = "city", _("市重点")
    COUNTY = "county", _("县重点")


class Category(BadgeChoices):
    INDUSTRY = "industry", _("产业")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    LIVELIHOOD = "livelihood", _("民生")
    SOCIAL = "social", _("社会事业")
    ECOLOGY = "ecology", _("生态环保")
    OTHER = "other", _("其他")


@colours(
    {
        "new": "success",
        "continuing": "primary",
        "reserve": "secondary",
        "preparatory": "info",
        "renovation": "warning",
    }
)
class Kind(BadgeChoices):
    NEW_START = "new", _("新开工")
    CONTINUING = "continuing", _("续建")
    RESERVE = "reserve", _("储备")
    PREPARATORY = "preparatory", _("前期")
    RENOVATION = "renovation", _("技改")


class ConstructionNature(models.TextChoices):
    NEW = "new", pgettext_lazy("construction nature", "新建")
    EXPANSION = "expansion", _("扩建")
    RECONSTRUCTION = "reconstruction", _("改建")
    RELOCATION = "relocation", _("迁建")
    RESTORATION = "restoration", _("恢复")


class LandUseType(models.TextChoices):
    INDUSTRIAL = "industrial", _("工业用地")
    LOGISTICS = "logistics", _("物流仓储用地")
    COMMERCIAL = "commercial", _("商服用地")
    PUBLIC = "public", _("公共管理与公共服务用地")
    TRANSPORT = "transport", _("交通运输用地")
    UTILITIES = "utilities", _("公用设施用地")
    RESIDENTIAL = "residential", _("住宅用地")
    OTHER = "other", _("其他")


@colours({"none": "secondary", "applied": "warning", "included": "success"})
class StatsInclusion(BadgeChoices):
    NOT_INCLUDED = "none", _("未入库")
    APPLIED = "applied", _("已申报")
    INCLUDED = "included", _("已入库")


@colours(
    {
        "pending": "secondary",
        "in_progress": "primary",
        "done": "success",
        "waived": "warning",
    }
)
class StepStatus(BadgeChoices):
    PENDING = "pending", _("未开始")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已完成")
    WAIVED = "waived", _("已豁免")


class Milestone(models.TextChoices):
    """Steps whose completion sets one of the project's own key dates."""

    SIGNING = "signing", _("签约")
    START = "start", _("开工")
    COMPLETION = "completion", _("竣工")
    PRODUCTION = "production", _("投产")
    CAPACITY = "capacity", _("达产")
