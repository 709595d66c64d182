"""Forms of the dispatch pages: they parse and render; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cornerstone.dispatch.choices import DecisionOutcome
from cornerstone.problems.choices import ProblemCategory
from cornerstone.projects.choices import Category, Tier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", _("全部"))]


def bootstrap(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, marking the invalid ones."""
    for name, field in form.fields.items():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


def errors_apply(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields (the rest on the form itself)."""
    for name, messages in exc.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    bootstrap(form)


class _RegionForm(forms.Form):
    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions  # type: ignore[attr-defined]
        bootstrap(self)


class MeetingForm(_RegionForm):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    region = forms.ChoiceField(label=_("区划"))
    tier = forms.ChoiceField(label=_("项目级别"), choices=[*BLANK, *Tier.choices], required=False)
    category = forms.ChoiceField(
        label=_("项目类别"), choices=[*BLANK, *Category.choices], required=False
    )
    date = forms.DateField(label=_("会议日期"), widget=DATE)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)


class BriefingForm(_RegionForm):
    title = forms.CharField(
        label=_("标题"), max_length=200, required=False, help_text=_("留空则按范围和月份生成")
    )
    issuing_body = forms.CharField(label=_("发文机关"), max_length=100)
    number = forms.CharField(label=_("文号"), max_length=50, required=False)
    region = forms.ChoiceField(label=_("区划"))
    tier = forms.ChoiceField(label=_("项目级别"), choices=[*BLANK, *Tier.choices], required=False)
    category = forms.ChoiceField(
        label=_("项目类别"), choices=[*BLANK, *Category.choices], required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )


class DecisionForm(forms.Form):
    agenda_item = forms.ChoiceField(label=_("议题"), required=False)
    project = forms.ChoiceField(label=_("项目"), required=False)
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("转为"), choices=DecisionOutcome.choices)
    category = forms.ChoiceField(
        label=_("问题类别（转为问题时）"),
        choices=[("", "—"), *ProblemCategory.choices],
        required=False,
    )
    department = forms.ChoiceField(label=_("责任单位"), required=False)
    person = forms.CharField(label=_("责任人"), max_length=50, required=False)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)

    def __init__(
        self,
        *args: Any,
        agenda: list[tuple[str, str]],
        projects: list[tuple[str, str]],
        departments: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", "—"), *agenda]  # type: ignore[attr-defined]
        self.fields["project"].choices = [("", "—"), *projects]  # type: ignore[attr-defined]
        self.fields["department"].choices = [("", "—"), *departments]  # type: ignore[attr-defined]
        bootstrap(self)
