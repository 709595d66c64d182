"""The summary paragraph of a briefing, in the wording of official briefings (pure)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cornerstone.dispatch.figures import BriefingFigures

WAN_PER_YI = Decimal(10000)


def _trim(value: Decimal, places: str = "0.1") -> str:
    """One decimal, without a trailing ".0" (1080.0 → 1080, 61.4 → 61.4)."""
    text = format(value.quantize(Decimal(places), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_words(wan: Decimal) -> str:
    """An amount stored in 万元 as a briefing writes it: 亿元 with one decimal, else 万元."""
    if abs(wan) >= WAN_PER_YI:
        return f"{_trim(wan / WAN_PER_YI)}亿元"
    return f"{_trim(wan, '1')}万元"


def percent_words(value: Decimal) -> str:
    """A percentage with at most one decimal: 49%, 76.1%."""
    return f"{_trim(value)}%"


def area_word(region_name: str, region_level: str) -> str:
    """全省 / 全市 / 全县 / 全区 by what the region is called."""
    if region_level == "province":
        if region_name.endswith("自治区"):
            return "全区"
        return "全市" if region_name.endswith("市") else "全省"
    if region_level == "city":
        if region_name.endswith(("州", "盟")):
            return "全" + region_name[-1]
        return "全市"
    for suffix in ("区", "县", "市", "旗"):
        if region_name.endswith(suffix):
            return "全" + suffix
    return "全县"


def growth_words(growth: Decimal | None) -> str:
    """同比增长/下降 with the figure, or nothing without last year's base."""
    if growth is None:
        return ""
    if growth < 0:
        return f"同比下降{percent_words(-growth)}"
    if growth == 0:
        return "与上年同期持平"
    return f"同比增长{percent_words(growth)}"


def summary_text(figures: BriefingFigures) -> str:
    """One paragraph: projects, investment, starts, completion, growth, industry share."""
    head = f"截至{figures.month}月底，{area_word(figures.region_name, figures.region_level)}"
    if figures.projects == 0:
        return f"{head}暂无纳入调度的{figures.scope_label}。"
    parts = [
        f"{head}纳入调度的{figures.scope_label}{figures.projects}个",
        f"总投资{money_words(figures.total_investment)}",
    ]
    if figures.annual_plan:
        parts.append(f"年度计划投资{money_words(figures.annual_plan)}")
    parts.append(f"已开复工{figures.started}个")
    done = f"完成投资{money_words(figures.completed)}"
    if figures.completion_rate is not None:
        done += f"，占年度计划的{percent_words(figures.completion_rate)}"
    parts.append(done)
    if growth := growth_words(figures.growth):
        parts.append(growth)
    text = "，".join(parts)
    if figures.industry_share is not None:
        text += f"，其中产业投资占比{percent_words(figures.industry_share)}"
    text += "。"
    if figures.red_count or figures.yellow_count:
        text += f"亮红灯项目{figures.red_count}个、黄灯项目{figures.yellow_count}个。"
    return text
