"""The lifecycle settings page: a province admin renames, reorders and adds stages and steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.scope import can_manage_lifecycle
from cornerstone.projects import definition_services
from cornerstone.projects.models import Stage, StepDefinition
from cornerstone.projects.queries import stages_with_steps


@login_required
def lifecycle_settings(request: HttpRequest) -> HttpResponse:
    """Show the stages and steps every project moves through, editable by a province admin."""
    if not can_manage_lifecycle(request.user):
        raise PermissionDenied
    return render(
        request, "projects/lifecycle.html", {"stages": stages_with_steps(), "nav": "lifecycle"}
    )


def _checked(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name) in ("on", "1", "true")


def _offset(request: HttpRequest) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@login_required
@require_POST
def lifecycle_edit(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """Apply one edit to a stage or a step definition through the lifecycle services."""
    if not can_manage_lifecycle(request.user):
        raise PermissionDenied
    actor = request.user
    name = request.POST.get("name", "").strip()
    try:
        if kind == "stage":
            stage = Stage.objects.get(pk=pk)
            if action == "rename":
                definition_services.stage_update(actor=actor, stage=stage, name=name)
            elif action == "move":
                definition_services.stage_move(actor=actor, stage=stage, offset=_offset(request))
            elif action == "add-step":
                definition_services.step_definition_create(
                    actor=actor, stage=stage, name=name, optional=_checked(request, "optional")
                )
            else:
                raise Http404
        elif kind == "step":
            definition = StepDefinition.objects.get(pk=pk)
            if action == "update":
                definition_services.step_definition_update(
                    actor=actor,
                    definition=definition,
                    name=name,
                    optional=_checked(request, "optional"),
                )
            elif action == "move":
                definition_services.step_definition_move(
                    actor=actor, definition=definition, offset=_offset(request)
                )
            else:
                raise Http404
        else:
            raise Http404
    except (Stage.DoesNotExist, StepDefinition.DoesNotExist):
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("生命周期设置已保存。"))
    return redirect("projects:lifecycle")
