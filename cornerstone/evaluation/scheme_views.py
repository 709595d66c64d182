"""Pages of evaluation schemes: the list, copying a preset, editing a criterion's rule."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cornerstone.accounts.scope import can_edit_projects
from cornerstone.evaluation import queries, scheme_services
from cornerstone.evaluation.forms import (
    CriterionForm,
    PresetForm,
    errors_apply,
)
from cornerstone.evaluation.models import EvaluationScheme
from cornerstone.evaluation.presets import PRESETS
from cornerstone.evaluation.views import PAGE_SIZE, actor_of
from cornerstone.geo.models import Region
from cornerstone.geo.queries import regions_visible


def _preset_form(request: HttpRequest, data: Any = None) -> PresetForm:
    regions = [
        (r.code, f"{r.code} {r.full_name or r.name}")
        for r in regions_visible(actor=request.user).filter(
            level__in=("province", "city", "county")
        )
    ]
    presets = [(code, data_["name"]) for code, data_ in PRESETS.items()]
    return PresetForm(data, choices={"preset": presets, "region": regions})


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    """Schemes the user may use; admins copy a preset into a scheme of their region."""
    form = _preset_form(request, request.POST or None) if can_edit_projects(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                scheme = scheme_services.scheme_create_from_preset(
                    actor=actor_of(request),
                    preset=form.cleaned_data["preset"],
                    region=Region.objects.get(code=form.cleaned_data["region"]),
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("已创建评价方案。"))
                return redirect("evaluation:scheme", pk=scheme.pk)
    page = Paginator(
        queries.schemes_visible(actor=request.user).select_related("region").order_by("-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request, "evaluation/scheme_list.html", {"page": page, "form": form, "nav": "evaluation"}
    )


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A scheme's components and criteria; each criterion's rule edited as JSON."""
    try:
        scheme = queries.scheme_get(actor=request.user, pk=pk)
    except EvaluationScheme.DoesNotExist:
        raise Http404 from None
    editable = queries.scheme_editable(request.user, scheme)
    editing = request.POST.get("code") if request.method == "POST" else None
    rows = []
    for criterion in scheme.criteria.order_by("order", "id"):
        initial = {
            "name": criterion.name,
            "max_score": criterion.max_score,
            "rule": json.dumps(criterion.rule, ensure_ascii=False, indent=2),
        }
        bound = editing == criterion.code
        form = CriterionForm(
            request.POST if bound else None, initial=initial, prefix=criterion.code
        )
        if bound:
            if not editable:
                raise PermissionDenied
            if form.is_valid():
                try:
                    scheme_services.criterion_save(
                        actor=actor_of(request),
                        scheme=scheme,
                        code=criterion.code,
                        data=form.cleaned_data,
                    )
                except ValidationError as exc:
                    errors_apply(form, exc)
                else:
                    messages.success(request, _("已保存评分项“%s”。") % form.cleaned_data["name"])
                    return redirect("evaluation:scheme", pk=scheme.pk)
        rows.append((criterion, form, initial["rule"]))
    return render(
        request,
        "evaluation/scheme_detail.html",
        {"scheme": scheme, "rows": rows, "editable": editable, "nav": "evaluation"},
    )
