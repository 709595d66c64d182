"""Forms of the campaign pages: they parse and render; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cornerstone.campaigns.choices import CampaignKind, VenueKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=200)
    kind = forms.ChoiceField(label=_("活动类型"), choices=CampaignKind.choices)
    date = forms.DateField(label=_("活动日期"), widget=DATE)
    region = forms.ChoiceField(label=_("组织区划"))
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if regions is None:  # editing: the organising region is fixed
            del self.fields["region"]
        else:
            self.fields["region"].choices = regions  # type: ignore[attr-defined]
        bootstrap(self)


class VenueForm(forms.Form):
    kind = forms.ChoiceField(label=_("会场类型"), choices=VenueKind.choices)
    region = forms.ChoiceField(label=_("所在区划"))
    name = forms.CharField(label=_("会场名称"), max_length=200)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions  # type: ignore[attr-defined]
        bootstrap(self)
