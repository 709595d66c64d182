"""The results in the official style of a campaign's news release (pure, no database).

    太原市85个项目集中签约开工投产，总投资247.98亿元；其中签约项目34个，总投资123.52亿元；…
    全省开发区共签约项目321个、开工项目302个、投产项目189个

Amounts are in 亿元 with two decimals (rounded half up) and no digit grouping, as such
releases print them; actions without projects are left out.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from cornerstone.campaigns.choices import Action
from cornerstone.campaigns.results import Results, Totals
from cornerstone.core.money import CENT, WAN_PER_YI
from cornerstone.dispatch.summary import area_word


def yi(amount_wan: Decimal) -> str:
    """An amount in 万元 as 亿元 with two decimals: 2479800 → ``247.98``."""
    return str((amount_wan / WAN_PER_YI).quantize(CENT, rounding=ROUND_HALF_UP))


def _present(totals: Totals) -> list[Action]:
    return [Action(a) for a, count, _amount in totals.cells() if count]


def _verbs(actions: list[Action]) -> str:
    """The actions run together as the official style writes them (签约开工投产)."""
    # Each combination is one string, so that a language with separators can have them.
    combined = {
        (Action.SIGN, Action.START, Action.PRODUCE): _("签约开工投产"),
        (Action.SIGN, Action.START): _("签约开工"),
        (Action.SIGN, Action.PRODUCE): _("签约投产"),
        (Action.START, Action.PRODUCE): _("开工投产"),
    }
    return combined.get(tuple(actions)) or "".join(str(a.label) for a in actions)


def region_headline(region_name: str, totals: Totals) -> str:
    """“太原市85个项目集中签约开工投产，总投资247.98亿元；其中签约项目34个，…。”"""
    actions = _present(totals)
    if not actions:
        return _("%(region)s暂无参加活动的项目。") % {"region": region_name}
    head = _("%(region)s%(count)s个项目集中%(verbs)s，总投资%(amount)s亿元") % {
        "region": region_name,
        "count": totals.count,
        "verbs": _verbs(actions),
        "amount": yi(totals.amount),
    }
    if len(actions) == 1:
        return head + _("。")
    parts = [
        _("%(action)s项目%(count)s个，总投资%(amount)s亿元")
        % {"action": a.label, "count": totals.counts[a], "amount": yi(totals.amounts[a])}
        for a in actions
    ]
    return head + _("；其中") + _("；").join(parts) + _("。")


def devzone_headline(level: str, region_name: str, totals: Totals) -> str:
    """“全省开发区共签约项目321个、开工项目302个、投产项目189个” (全市, 全县, 全区… by region)."""
    # The area word (全省, 全市, 全区…) follows the region's name, as in the briefings.
    area = area_word(region_name, level)
    actions = _present(totals)
    if not actions:
        return _("%(area)s开发区暂无参加活动的项目") % {"area": area}
    parts = [
        _("%(action)s项目%(count)s个") % {"action": a.label, "count": totals.counts[a]}
        for a in actions
    ]
    return _("%(area)s开发区共%(parts)s") % {"area": area, "parts": _("、").join(parts)}


def results_headlines(results: Results) -> list[str]:
    """The region's sentence, and the development zones' when any project is in one."""
    place = results.root.place
    lines = [region_headline(place.name, results.root.totals)]
    if results.devzones.count:
        lines.append(devzone_headline(place.level, place.name, results.devzones))
    return lines
