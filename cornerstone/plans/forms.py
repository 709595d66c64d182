"""Forms of the plans pages: they parse and render; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cornerstone.geo.models import Department
from cornerstone.plans.choices import DependencyType, SplitMethod
from cornerstone.plans.models import MONTHS, Milestone, Task
from cornerstone.plans.task_services import PredecessorInput
from cornerstone.projects.models import StepDefinition

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Rows for new predecessors shown beneath the existing ones on the task form.
BLANK_PREDECESSOR_ROWS = 3


class PlanYearForm(forms.Form):
    """A year's plan: the annual figure, its twelve months and, if over the total, a reason."""

    annual_amount = forms.CharField(label=_("年度计划投资（万元）"))
    split_method = forms.ChoiceField(
        label=_("分月方式"), choices=SplitMethod.choices, initial=SplitMethod.MANUAL
    )
    override_reason = forms.CharField(
        label=_("超出总投资的理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in MONTHS:
            self.fields[f"month_{month}"] = forms.CharField(label=_("%d月") % month, required=False)

    def month_fields(self) -> list[forms.BoundField]:
        return [self[f"month_{m}"] for m in MONTHS]

    def months(self) -> list[str]:
        return [self.data.get(f"month_{m}", "") for m in MONTHS]


def bootstrap(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, marking the invalid ones."""
    for name, field in form.fields.items():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "target_date", "step", "achieved_date", "note"]
        widgets = {"target_date": DATE, "achieved_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = self.fields["step"]
        assert isinstance(step, forms.ModelChoiceField)
        step.queryset = StepDefinition.objects.select_related("stage").order_by(
            "stage__order", "order"
        )
        step.help_text = _("关联后，该环节办结即视为节点完成。")


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "name",
            "department",
            "person",
            "duration",
            "deadline",
            "actual_start",
            "actual_finish",
            "note",
        ]
        widgets = {"deadline": DATE, "actual_start": DATE, "actual_finish": DATE}

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = departments


def predecessor_rows(data: Any | None, links: list[Any]) -> list[dict[str, Any]]:
    """The predecessor rows to show: the submitted ones, or the stored links plus blanks."""
    if data is not None:
        count = int(data.get("pred-count", 0) or 0)
        return [
            {
                "predecessor": data.get(f"pred-{i}-task", ""),
                "kind": data.get(f"pred-{i}-kind", DependencyType.FINISH_TO_START),
                "lag": data.get(f"pred-{i}-lag", ""),
            }
            for i in range(min(count, 200))
        ]
    rows = [
        {"predecessor": str(link.predecessor_id), "kind": link.kind, "lag": str(link.lag)}
        for link in links
    ]
    rows += [
        {"predecessor": "", "kind": DependencyType.FINISH_TO_START, "lag": ""}
        for _ in range(BLANK_PREDECESSOR_ROWS)
    ]
    return rows


def predecessors_read(rows: list[dict[str, Any]]) -> list[PredecessorInput]:
    """The filled-in predecessor rows as service input (rows without a task are skipped)."""
    return [
        PredecessorInput(predecessor=row["predecessor"], kind=row["kind"], lag=row["lag"] or 0)
        for row in rows
        if str(row["predecessor"]).strip()
    ]
