"""Forms of the problems pages: they parse and render; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cornerstone.geo.models import Department
from cornerstone.problems.choices import LetterKind, ProblemCategory, Recipient

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def bootstrap(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, marking the invalid ones."""
    for name, field in form.fields.items():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


class _DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}）"


class ProblemRaiseForm(forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=ProblemCategory.choices)
    description = forms.CharField(
        label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    department = _DepartmentField(label=_("责任单位"), queryset=Department.objects.none())
    person = forms.CharField(label=_("责任人"), max_length=50, required=False)
    deadline = forms.DateField(label=_("办结时限"), widget=DATE)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        bootstrap(self)


class ReassignForm(forms.Form):
    department = _DepartmentField(label=_("责任单位"), queryset=Department.objects.none())
    person = forms.CharField(label=_("责任人"), max_length=50, required=False)
    deadline = forms.DateField(label=_("办结时限"), widget=DATE, required=False)
    comment = forms.CharField(
        label=_("改派说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        bootstrap(self)


class PolicyForm(forms.Form):
    city_after_days = forms.IntegerField(label=_("逾期几天升市级督办"), min_value=1, max_value=365)
    province_after_days = forms.IntegerField(
        label=_("逾期几天升省级督办"), min_value=1, max_value=365
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class OrderIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("函件类型"), choices=LetterKind.choices)
    recipient = forms.ChoiceField(label=_("督办对象"), choices=Recipient.choices)
    department = _DepartmentField(
        label=_("责任单位"), queryset=Department.objects.none(), required=False
    )
    subject = forms.CharField(label=_("督办事项"), max_length=200)
    content = forms.CharField(
        label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    response_deadline = forms.DateField(label=_("反馈时限"), widget=DATE)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        bootstrap(self)
