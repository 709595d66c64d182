"""Forms of the ledger pages; validation of the record itself lives in the model and services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import region_scope_q
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.models import Department, Industry, Region, Zone
from cornerstone.projects.models import Project
from cornerstone.projects.queries import projects_visible

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SECTIONS = [
    (_("基本信息"), ["code", "name", "tier", "category", "kind", "construction_nature"]),
    (_("建设地点"), ["region", "zone", "site_address", "longitude", "latitude"]),
    (_("行业与内容"), ["industry", "tags", "scale_content", "new_capacity"]),
    (
        _("业主与责任"),
        [
            "owner_org",
            "owner_legal_rep",
            "owner_contact",
            "owner_phone",
            "responsible_unit",
            "responsible_contact",
            "leader_name",
            "leader_title",
        ],
    ),
    (
        _("投资（万元）"),
        [
            "total_investment",
            "fund_central",
            "fund_special_bonds",
            "fund_local",
            "fund_market",
            "completed_before_year",
            "expected_annual_output",
        ],
    ),
    (
        _("建设年限与计划日期"),
        [
            "construction_start_year",
            "construction_end_year",
            "planned_start_date",
            "planned_completion_date",
            "planned_production_date",
        ],
    ),
    (
        _("审批与用地"),
        [
            "approval_doc_no",
            "feasibility_doc_no",
            "design_doc_no",
            "land_use_type",
            "land_area_mu",
            "floor_area_m2",
        ],
    ),
    (
        _("纳统与验收"),
        ["stats_inclusion", "stats_inclusion_date", "accepted", "acceptance_date"],
    ),
]

# The form edits everything the service accepts except the parent, which is entered by code.
FORM_FIELDS = [name for _title, names in SECTIONS for name in names]


class RegionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Regions labelled with their full name, so that two 城区 can be told apart."""

    def label_from_instance(self, obj: Region) -> str:  # type: ignore[override]
        return obj.full_name


class ProjectForm(forms.ModelForm):  # type: ignore[type-arg]
    """Create and edit a project; choices are limited to what the user may use."""

    parent_code = forms.CharField(
        label=_("所属打包项目代码"),
        required=False,
        max_length=24,
        help_text=_("本项目是打包项目的子项目时，填写打包项目的项目代码。"),
    )

    owner_usernames = forms.CharField(
        label=_("业主账号"),
        required=False,
        max_length=500,
        help_text=_("可查看本项目的业主单位账号（用户名），多个用逗号分隔。"),
    )

    class Meta:
        model = Project
        fields = FORM_FIELDS
        widgets = {
            "scale_content": forms.Textarea(attrs={"rows": 3}),
            "planned_start_date": DATE_WIDGET,
            "planned_completion_date": DATE_WIDGET,
            "planned_production_date": DATE_WIDGET,
            "stats_inclusion_date": DATE_WIDGET,
            "acceptance_date": DATE_WIDGET,
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["code"].required = False
        self.fields["code"].help_text = _(
            "全国投资项目统一代码；储备项目暂无代码时留空，系统生成本地编码。"
        )
        regions = Region.objects.filter(region_scope_q(actor)).exclude(level=RegionLevel.PROVINCE)
        self.fields["region"] = RegionChoiceField(
            queryset=regions.order_by("code"), label=_("所在区划")
        )
        self.fields["zone"].queryset = Zone.objects.filter(region_scope_q(actor, "region_id"))
        self.fields["responsible_unit"].queryset = Department.objects.filter(
            region_scope_q(actor, "region_id")
        )
        self.fields["industry"].queryset = Industry.objects.filter(level="division")
        if self.instance.pk and self.instance.parent_id:
            self.initial["parent_code"] = self.instance.parent.code
        if self.instance.pk:
            self.initial["owner_usernames"] = ", ".join(
                sorted(self.instance.owner_users.values_list("username", flat=True))
            )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def clean_parent_code(self) -> Project | None:
        code = self.cleaned_data["parent_code"].strip()
        if not code:
            return None
        parent = projects_visible(actor=self.actor).filter(code=code).first()
        if parent is None:
            raise forms.ValidationError(
                _("未找到代码为“%s”的打包项目（或不在您的管辖范围内）。") % code
            )
        if self.instance.pk and parent.pk == self.instance.pk:
            raise forms.ValidationError(_("项目不能以自身为打包项目。"))
        return parent

    def clean_owner_usernames(self) -> list[User]:
        names = {n for n in re.split(r"[\s,，、;；]+", self.cleaned_data["owner_usernames"]) if n}
        owners = list(User.objects.filter(username__in=names, role=Role.OWNER, is_active=True))
        unknown = names - {owner.username for owner in owners}
        if unknown:
            raise forms.ValidationError(
                _("以下用户名不是有效的业主单位账号：%s。") % "、".join(sorted(unknown))
            )
        return owners

    def _post_clean(self) -> None:
        # Model validation runs in the service, against the complete record and the actor's
        # scope; running it here as well would report some errors twice.
        pass

    def mark_invalid(self) -> None:
        """Give the widgets of fields with errors Bootstrap's invalid style."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def service_data(self) -> dict[str, Any]:
        """The cleaned values in the shape the project services take."""
        data = {name: self.cleaned_data[name] for name in FORM_FIELDS}
        data["parent"] = self.cleaned_data.get("parent_code")
        data["code"] = (data["code"] or "").strip()
        return data

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Fields grouped as the detail page groups them."""
        grouped = [(str(title), [self[name] for name in names]) for title, names in SECTIONS]
        grouped[0][1].append(self["parent_code"])
        grouped[3][1].append(self["owner_usernames"])
        return grouped


class StepCompleteForm(forms.Form):
    actual_date = forms.DateField(label=_("实际完成日期"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actual_date"].initial = timezone.localdate()
        self.fields["actual_date"].widget.attrs["max"] = timezone.localdate().isoformat()


class StepReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500)


class StepPlanForm(forms.Form):
    planned_date = forms.DateField(label=_("计划完成日期"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))
