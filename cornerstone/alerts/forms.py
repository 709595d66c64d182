"""Forms of the alerts pages: a rule set (preset and adjusted thresholds), a justification."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cornerstone.alerts.choices import Preset
from cornerstone.alerts.filters import RULE_LABELS
from cornerstone.alerts.presets import FIELDS
from cornerstone.alerts.rules import PROJECT_RULES
from cornerstone.projects.choices import Tier


def bootstrap(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class."""
    for field in form.fields.values():
        css = (
            "form-check-input"
            if isinstance(field.widget, forms.CheckboxInput)
            else "form-control form-control-sm"
        )
        if isinstance(field.widget, forms.Select):
            css = "form-select form-select-sm"
        field.widget.attrs.setdefault("class", css)


class RuleSetForm(forms.Form):
    """A rule set: name, region, tier, preset, and every adjustable parameter."""

    name = forms.CharField(label=_("名称"), max_length=100, required=False)
    region = forms.ChoiceField(label=_("区划"))
    tier = forms.ChoiceField(label=_("项目级别"), required=False)
    preset = forms.ChoiceField(label=_("预设规则"), choices=Preset.choices)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["tier"].choices = [("", _("全部级别")), *Tier.choices]
        for param in FIELDS:
            field: forms.Field
            if param.kind == "bool":
                field = forms.BooleanField(label=param.label, required=False)
            elif param.kind == "choice":
                field = forms.ChoiceField(
                    label=param.label, choices=list((param.choices or {}).items())
                )
            else:
                field = forms.CharField(label=param.label, required=False)
            self.fields[param.name] = field
        bootstrap(self)

    def params(self) -> dict[str, Any]:
        """The submitted parameters by dotted name (checked by the service)."""
        data: dict[str, Any] = {}
        for param in FIELDS:
            if param.kind == "bool":
                data[param.name] = param.name in self.data
            else:
                data[param.name] = self.data.get(param.name, "")
        return data

    def values(self) -> dict[str, Any]:
        """The rule set's own fields as submitted."""
        return {
            "name": self.data.get("name", "").strip(),
            "region": self.data.get("region", ""),
            "tier": self.data.get("tier", ""),
            "preset": self.data.get("preset", ""),
            "active": "active" in self.data,
        }


class JustificationForm(forms.Form):
    """A documented reason for one rule's light on a project."""

    rule = forms.ChoiceField(label=_("规则"), choices=[(k, RULE_LABELS[k]) for k in PROJECT_RULES])
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}))
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DecisionForm(forms.Form):
    """An admin's decision on a justification."""

    note = forms.CharField(label=_("审核意见"), max_length=500, required=False)
