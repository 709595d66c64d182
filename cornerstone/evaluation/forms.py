"""Forms of the evaluation pages: they parse and render; the services validate and save."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PRESET_PREFIX = "preset:"


def bootstrap(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, marking the invalid ones."""
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if isinstance(field.widget, forms.SelectMultiple):
            css = "form-select"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


def errors_apply(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields (the rest on the form itself)."""
    for name, messages in exc.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    bootstrap(form)


class ChoicesForm(forms.Form):
    """A form whose choice fields are filled from the actor's scope."""

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, values in choices.items():
            self.fields[name].choices = values  # type: ignore[attr-defined]
        bootstrap(self)


class RoundForm(ChoicesForm):
    name = forms.CharField(label=_("名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period_start = forms.DateField(label=_("考核期起"), widget=DATE)
    period_end = forms.DateField(label=_("考核期止"), widget=DATE)
    region = forms.ChoiceField(label=_("组织区划"))
    scheme = forms.ChoiceField(
        label=_("评价方案"), help_text=_("选择预置方案时，将为所选区划复制一份方案。")
    )
    trim_min_evaluators = forms.IntegerField(
        label=_("评委达到几人时去掉最高分和最低分"),
        required=False,
        min_value=3,
        help_text=_("留空则按方案规定。"),
    )


class UnitsForm(ChoicesForm):
    regions = forms.MultipleChoiceField(
        label=_("县区"), required=False, widget=forms.CheckboxSelectMultiple
    )
    zones = forms.MultipleChoiceField(
        label=_("园区"), required=False, widget=forms.CheckboxSelectMultiple
    )


class EvaluatorForm(ChoicesForm):
    user = forms.ChoiceField(label=_("评委"))
    units = forms.MultipleChoiceField(
        label=_("评分单位"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则评全部单位。"),
    )


class ProjectsForm(forms.Form):
    codes = forms.CharField(
        label=_("项目代码"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个项目代码。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DailyForm(ChoicesForm):
    unit = forms.ChoiceField(label=_("单位"))
    criterion = forms.ChoiceField(label=_("评分项"))
    value = forms.CharField(label=_("分值"), max_length=20)
    basis = forms.CharField(label=_("依据"), max_length=500)


class SelfForm(ChoicesForm):
    unit = forms.ChoiceField(label=_("单位"))
    score = forms.CharField(label=_("自评分"), max_length=20)
    basis = forms.CharField(label=_("自评依据"), widget=forms.Textarea(attrs={"rows": 3}))


class PresetForm(ChoicesForm):
    preset = forms.ChoiceField(label=_("预置方案"))
    region = forms.ChoiceField(label=_("所属区划"))


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("评分项"), max_length=200)
    max_score = forms.DecimalField(
        label=_("满分"),
        required=False,
        max_digits=9,
        decimal_places=2,
        help_text=_("留空则不封顶。"),
    )
    rule = forms.CharField(
        label=_("计分规则（JSON）"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
        help_text=_("规则类型和写法见《赛马评比管理员手册》。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["rule"].widget.attrs["class"] += " font-monospace"

    def clean_rule(self) -> Any:
        try:
            return json.loads(self.cleaned_data["rule"])
        except ValueError as exc:
            raise ValidationError(_("不是有效的 JSON：%s") % exc) from None
