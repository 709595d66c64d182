"""Forms of the progress pages: they parse and render; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cornerstone.geo.models import Department, Region
from cornerstone.problems.choices import ProblemCategory
from cornerstone.progress.choices import SiteStatus
from cornerstone.progress.models import ReportingSchedule
from cornerstone.progress.report_services import ProblemInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK_PROBLEM_ROWS = 2


def bootstrap(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, marking the invalid ones."""
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(field.widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportingSchedule
        fields = [
            "name",
            "region",
            "tier",
            "category",
            "frequency",
            "deadline_day",
            "remind_days_before",
            "active",
        ]

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = regions
        region.label_from_instance = lambda r: r.full_name  # type: ignore[method-assign]
        self.fields["deadline_day"].help_text = _(
            "每月：当月几日前（如 25）；每半月：半月结束后几天内；"
            "每周：星期几（1 = 星期一，5 = 星期五）。"
        )
        bootstrap(self)


class ReportForm(forms.Form):
    """The figures and text of a report; amounts stay text so the service reads 万/亿."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    investment_this_period = forms.CharField(label=_("本期完成投资（万元）"), required=False)
    correction_reason = forms.CharField(
        label=_("调减原因"),
        required=False,
        max_length=500,
        help_text=_("本期金额为负数（调减以前期次）时必填。"),
    )
    funds_in_place = forms.CharField(
        label=_("本期到位资金（万元）"),
        required=False,
        help_text=_("本期实际到位的资金；只填来源时自动合计。"),
    )
    funds_central = forms.CharField(label=_("中央预算内资金"), required=False)
    funds_special_bonds = forms.CharField(label=_("专项债券"), required=False)
    funds_local = forms.CharField(label=_("地方财政资金"), required=False)
    funds_market = forms.CharField(label=_("市场化及自有资金"), required=False)
    site_status = forms.ChoiceField(
        label=_("开工状态"), required=False, choices=[("", "---------"), *SiteStatus.choices]
    )
    physical_progress = forms.CharField(
        label=_("形象进度"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    percent_complete = forms.CharField(label=_("完成百分比（%）"), required=False)
    workforce_expected = forms.CharField(label=_("计划用工人数"), required=False)
    workforce_on_site = forms.CharField(label=_("在岗人数"), required=False)
    next_period_plan = forms.CharField(
        label=_("下期计划"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    coordination_needed = forms.CharField(
        label=_("需协调事项"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def service_data(self) -> dict[str, Any]:
        """The raw submitted values the service validates (messages come from there)."""
        return {name: self.data.get(name, "") for name in self.fields if name != "version"}


class ProblemForm(forms.Form):
    category = forms.ChoiceField(
        label=_("问题类别"), choices=[("", "---------"), *ProblemCategory.choices], required=False
    )
    description = forms.CharField(label=_("问题描述"), required=False, max_length=1000)
    department = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Department.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("办结时限"), required=False, widget=DATE)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = departments
        bootstrap(self)


ProblemFormSet = forms.formset_factory(ProblemForm, extra=BLANK_PROBLEM_ROWS, max_num=20)


def problems_read(formset: Any) -> list[ProblemInput]:
    """The filled-in problem rows as service input (blank rows are skipped)."""
    rows = []
    for form in formset.forms:
        data = {
            name: form.data.get(form.add_prefix(name), "").strip()
            for name in ("category", "description", "department", "deadline")
        }
        if not data["description"] and not data["category"]:
            continue
        rows.append(
            ProblemInput(
                category=data["category"],
                description=data["description"],
                department=data["department"] or None,
                deadline=data["deadline"] or None,
            )
        )
    return rows


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("照片或文件"))
