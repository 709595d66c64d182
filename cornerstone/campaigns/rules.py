"""Whether a project's lifecycle allows an action at a campaign (pure, no database).

签约 needs a project not yet signed and not already under way; 开工 one not yet started;
投产 one that has started (before the event: a project takes one action per campaign)
and is not yet producing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cornerstone.campaigns.choices import Action


@dataclass(frozen=True)
class LifecycleFacts:
    """What the rules need of a project: which of its key steps are behind it."""

    signed: bool
    started: bool
    producing: bool


def action_refusal(action: str, facts: LifecycleFacts) -> str | None:
    """Why the project cannot take ``action`` at a campaign, or None when it can."""
    if action == Action.SIGN:
        if facts.producing:
            return _("项目已投产，不能再集中签约。")
        if facts.started:
            return _("项目已开工，不能再集中签约。")
        if facts.signed:
            return _("项目已签约，不能重复签约。")
        return None
    if action == Action.START:
        if facts.producing:
            return _("项目已投产，不能再集中开工。")
        if facts.started:
            return _("项目已开工，不能重复开工。")
        return None
    if action == Action.PRODUCE:
        if facts.producing:
            return _("项目已投产，不能重复投产。")
        if not facts.started:
            return _("项目尚未开工，不能集中投产。")
        return None
    return _("未知的活动环节“%s”。") % action


def project_label(name: str, code: str) -> str:
    """How a refusal names the project: “name”（code）."""
    return _("项目“%(name)s”（%(code)s）") % {"name": name, "code": code}
