"""Pages of the horse-race evaluation; thin over queries and services."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_projects, can_edit_region
from cornerstone.evaluation import entry_services, exports, queries, scheme_services, services
from cornerstone.evaluation.choices import RoundStatus, SheetStatus, Source
from cornerstone.evaluation.forms import (
    PRESET_PREFIX,
    DailyForm,
    EvaluatorForm,
    ProjectsForm,
    RoundForm,
    SelfForm,
    UnitsForm,
    errors_apply,
)
from cornerstone.evaluation.models import EvaluationRound, RoundUnit
from cornerstone.evaluation.presets import PRESETS
from cornerstone.evaluation.rules import entry_limits, rule_parse
from cornerstone.geo.models import Region, Zone
from cornerstone.geo.queries import regions_visible
from cornerstone.projects.queries import projects_visible

PAGE_SIZE = 20
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MOVES: dict[str, Callable[..., EvaluationRound]] = {
    "open": services.round_open,
    "close": services.round_close,
    "publish": services.round_publish,
}


def actor_of(request: HttpRequest) -> User:
    """The signed-in user (login_required has run)."""
    assert isinstance(request.user, User)
    return request.user


def _round(request: HttpRequest, pk: int) -> EvaluationRound:
    try:
        return queries.round_get(actor=request.user, pk=pk)
    except EvaluationRound.DoesNotExist:
        raise Http404 from None


def _unit(request: HttpRequest, round_: EvaluationRound, pk: Any) -> RoundUnit:
    try:
        return queries.unit_get(actor=request.user, round_=round_, pk=int(pk))
    except (RoundUnit.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def _refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError):
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.error(request, str(exc) or _("您没有权限进行此操作。"))


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """Rounds the user organises, leads, has a unit in or evaluates; newest first."""
    page = Paginator(queries.round_list(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluation/round_list.html",
        {"page": page, "can_create": can_edit_projects(request.user), "nav": "evaluation"},
    )


def _round_form(request: HttpRequest, data: Any = None) -> RoundForm:
    regions = [
        (r.code, f"{r.code} {r.full_name or r.name}")
        for r in regions_visible(actor=request.user).filter(
            level__in=("province", "city", "county")
        )
    ]
    schemes = [(str(s.pk), s.name) for s in queries.schemes_visible(actor=request.user)]
    presets = [
        (PRESET_PREFIX + code, _("预置：%s") % data["name"]) for code, data in PRESETS.items()
    ]
    return RoundForm(data, choices={"region": regions, "scheme": presets + schemes})


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    """A new round in draft; a preset chosen is copied into a scheme of the region first."""
    if not can_edit_projects(request.user):
        raise PermissionDenied
    form = _round_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            round_ = _round_create(request, data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("已新建评比。"))
            return redirect("evaluation:round", pk=round_.pk)
    return render(request, "evaluation/round_form.html", {"form": form, "nav": "evaluation"})


def _round_create(request: HttpRequest, data: dict[str, Any]) -> EvaluationRound:
    # The preset's copy and the round stand or fall together.
    with transaction.atomic():
        scheme = data.pop("scheme")
        if scheme.startswith(PRESET_PREFIX):
            region = Region.objects.get(code=data["region"])
            scheme = scheme_services.scheme_create_from_preset(
                actor=actor_of(request), preset=scheme.removeprefix(PRESET_PREFIX), region=region
            ).pk
        return services.round_create(actor=actor_of(request), data={**data, "scheme": scheme})


def _detail_context(request: HttpRequest, round_: EvaluationRound) -> dict[str, Any]:
    actor = request.user
    organiser = queries.is_organiser(actor, round_)
    units = list(queries.units_visible(actor=actor, round_=round_))
    assignment = queries.evaluator_assignment(actor=actor, round_=round_)
    sheets = {s.unit_id: s for s in queries.my_sheets(actor=actor, round_=round_)}
    mine = [(u, sheets.get(u.pk)) for u in assignment.units.all()] if assignment else []
    criteria = list(queries.criteria_of(round_))
    context: dict[str, Any] = {
        "round": round_,
        "units": units,
        "organiser": organiser,
        "mine": mine,
        "criteria": [(c, json.dumps(c.rule, ensure_ascii=False)) for c in criteria],
        "components": round_.scheme.components,
        "projects": queries.round_projects(actor=actor, round_=round_),
        "progress": queries.sheet_progress(actor=actor, round_=round_),
        "selves": queries.self_assessments(actor=actor, round_=round_),
        "results_visible": queries.results_visible(actor, round_),
        "statuses": RoundStatus,
        "nav": "evaluation",
    }
    unit_choices = [(u.pk, u.name) for u in units]
    editable = round_.status in (RoundStatus.DRAFT, RoundStatus.OPEN)
    if organiser:
        regions, zones = queries.unit_candidates(round_)
        context["units_form"] = UnitsForm(
            choices={
                "regions": [(r.code, r.name) for r in regions],
                "zones": [(z.pk, f"{z.name}（{z.region.name}）") for z in zones],
            }
        )
        context["evaluator_form"] = EvaluatorForm(
            choices={
                "user": [
                    (u.pk, f"{u.get_full_name()}（{u.username}，{u.get_role_display()}）")
                    for u in queries.evaluator_candidates(actor=actor)
                ],
                "units": unit_choices,
            }
        )
        context["projects_form"] = ProjectsForm()
        daily = [(c.code, c.name) for c in criteria if c.source == Source.DAILY]
        if daily and editable:
            context["daily_form"] = DailyForm(choices={"unit": unit_choices, "criterion": daily})
        context["daily"] = queries.daily_scores(actor=actor, round_=round_)
        context["evaluators"] = round_.evaluators.select_related("user").prefetch_related("units")
    own_units = [(u.pk, u.name) for u in units if can_edit_region(actor, u.scope_region_id)]
    if own_units and editable:
        context["self_form"] = SelfForm(choices={"unit": own_units})
    return context


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round: its units, evaluators and sheet progress, projects, entries and actions."""
    round_ = _round(request, pk)
    return render(request, "evaluation/round_detail.html", _detail_context(request, round_))


def _post_action(
    request: HttpRequest, pk: int, act: Callable[[EvaluationRound], str]
) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        done = act(round_)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("evaluation:round", pk=round_.pk)


@login_required
@require_POST
def round_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Open scoring, close the round (computing results) or publish them."""
    if action not in MOVES:
        raise Http404

    def act(round_: EvaluationRound) -> str:
        moved = MOVES[action](actor=actor_of(request), round_=round_)
        return _("评比状态已改为“%s”。") % moved.get_status_display()

    return _post_action(request, pk, act)


@login_required
@require_POST
def round_units(request: HttpRequest, pk: int) -> HttpResponse:
    """Add counties / districts and zones as units."""

    def act(round_: EvaluationRound) -> str:
        regions = Region.objects.filter(code__in=request.POST.getlist("regions"))
        zones = Zone.objects.filter(
            pk__in=[z for z in request.POST.getlist("zones") if z.isdigit()]
        )
        added = services.round_units_add(
            actor=actor_of(request), round_=round_, regions=list(regions), zones=list(zones)
        )
        return _("已添加%(n)s个参评单位。") % {"n": len(added)}

    return _post_action(request, pk, act)


@login_required
@require_POST
def round_evaluator(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign an evaluator to units."""

    def act(round_: EvaluationRound) -> str:
        user = (
            queries.evaluator_candidates(actor=request.user)
            .filter(pk=request.POST.get("user") or 0)
            .first()
        )
        if user is None:
            raise ValidationError({"user": [_("请选择评委。")]})
        chosen = request.POST.getlist("units")
        units = (
            list(round_.units.filter(pk__in=[u for u in chosen if u.isdigit()])) if chosen else None
        )
        services.round_evaluator_assign(
            actor=actor_of(request), round_=round_, user=user, units=units
        )
        return _("已指定评委%s。") % (user.get_full_name() or user.username)

    return _post_action(request, pk, act)


@login_required
@require_POST
def round_projects(request: HttpRequest, pk: int) -> HttpResponse:
    """Add projects to visit by their codes."""

    def act(round_: EvaluationRound) -> str:
        codes = [c.strip() for c in request.POST.get("codes", "").split() if c.strip()]
        found = {p.code: p for p in projects_visible(actor=request.user).filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError({"codes": [_("未找到项目：%s") % "、".join(missing)]})
        added = services.round_projects_add(
            actor=actor_of(request), round_=round_, projects=[found[c] for c in codes]
        )
        return _("已添加%(n)s个观摩项目。") % {"n": len(added)}

    return _post_action(request, pk, act)


@login_required
@require_POST
def daily_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin's daily-assessment entry."""

    def act(round_: EvaluationRound) -> str:
        unit = _unit(request, round_, request.POST.get("unit"))
        entry_services.daily_score_add(
            actor=actor_of(request),
            round_=round_,
            unit=unit,
            criterion_code=request.POST.get("criterion", ""),
            value=request.POST.get("value", ""),
            basis=request.POST.get("basis", ""),
        )
        return _("已录入。")

    return _post_action(request, pk, act)


@login_required
@require_POST
def self_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's self-assessment."""

    def act(round_: EvaluationRound) -> str:
        unit = _unit(request, round_, request.POST.get("unit"))
        entry_services.self_assessment_submit(
            actor=actor_of(request),
            round_=round_,
            unit=unit,
            score=request.POST.get("score", ""),
            basis=request.POST.get("basis", ""),
        )
        return _("已提交自评。")

    return _post_action(request, pk, act)


def _sheet_rows(round_: EvaluationRound, sheet: Any, data: Any = None) -> list[dict[str, Any]]:
    entries = {e.criterion_id: e for e in sheet.entries.all()} if sheet else {}
    rows = []
    for criterion in queries.criteria_of(round_, source=Source.EVALUATOR):
        low, high = entry_limits(rule_parse(criterion.rule)) or (0, 0)
        entry = entries.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "low": low,
                "high": high,
                "value": data.get(criterion.code, "")
                if data is not None
                else (entry.score if entry else ""),
                "note": data.get(f"note-{criterion.code}", "")
                if data is not None
                else (entry.note if entry else ""),
            }
        )
    return rows


@login_required
def sheet(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    """The evaluator's own sheet for a unit: saved as a draft (htmx) or submitted."""
    round_ = _round(request, pk)
    assignment = queries.evaluator_assignment(actor=request.user, round_=round_)
    if assignment is None or not assignment.units.filter(pk=unit).exists():
        raise Http404
    unit_obj = _unit(request, round_, unit)
    current = queries.sheet_get(actor=request.user, round_=round_, unit=unit_obj)
    errors: dict[str, list[str]] = {}
    data = None
    if request.method == "POST":
        data = request.POST
        codes = [c.code for c in queries.criteria_of(round_, source=Source.EVALUATOR)]
        try:
            current = entry_services.score_sheet_save(
                actor=actor_of(request),
                round_=round_,
                unit=unit_obj,
                scores={code: request.POST.get(code, "") for code in codes},
                notes={code: request.POST.get(f"note-{code}", "") for code in codes},
                submit=request.POST.get("action") == "submit",
            )
        except ValidationError as exc:
            errors = exc.message_dict
        except PermissionDenied as exc:
            errors = {"__all__": [str(exc)]}
        else:
            data = None
            messages.success(
                request,
                _("已提交评分表。")
                if current.status == SheetStatus.SUBMITTED
                else _("已保存草稿。"),
            )
            if not request.htmx:
                return redirect("evaluation:sheet", pk=round_.pk, unit=unit_obj.pk)
    context = {
        "round": round_,
        "unit": unit_obj,
        "sheet": current,
        "rows": _sheet_rows(round_, current, data),
        "errors": errors,
        "general": [m for key in ("sheet", "status", "__all__") for m in errors.get(key, [])],
        "locked": (current is not None and current.status == SheetStatus.SUBMITTED)
        or round_.status != RoundStatus.OPEN,
        "projects": queries.round_projects(actor=request.user, round_=round_).filter(unit=unit_obj),
        "nav": "evaluation",
    }
    template = "evaluation/_partials/sheet_form.html" if request.htmx else "evaluation/sheet.html"
    # htmx swaps only successful responses: a refused sheet comes back as 200 with its errors.
    return render(request, template, context, status=400 if errors and not request.htmx else 200)


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """The leaderboard (赛马榜): ranks, breakdown per criterion, self-scores, rank movement."""
    round_ = _round(request, pk)
    rows = queries.leaderboard(actor=request.user, round_=round_)
    criteria = (
        [(line["criterion"], line["name"]) for line in rows[0].result.breakdown] if rows else []
    )
    return render(
        request,
        "evaluation/board.html",
        {
            "round": round_,
            "rows": rows,
            "criteria": criteria,
            "visible": queries.results_visible(request.user, round_),
            "history": queries.history(actor=request.user, round_=round_),
            "previous": queries.previous_round(round_),
            "nav": "evaluation",
        },
    )


def _export_rows(request: HttpRequest, pk: int) -> tuple[EvaluationRound, list[queries.BoardRow]]:
    round_ = _round(request, pk)
    if not queries.results_visible(request.user, round_):
        raise Http404
    return round_, queries.leaderboard(actor=request.user, round_=round_)


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's results as xlsx (the units the user may see)."""
    round_, rows = _export_rows(request, pk)
    return exports.results_download(round_=round_, rows=rows)


@login_required
def export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's results as a Word document (the units the user may see)."""
    round_, rows = _export_rows(request, pk)
    response = HttpResponse(exports.results_docx(round_=round_, rows=rows), content_type=DOCX_TYPE)
    response["Content-Disposition"] = _attachment(f"{round_.name}结果.docx")
    response["Cache-Control"] = "private, no-store"
    return response


def _attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"
