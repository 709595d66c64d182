"""Who may import what: the ledger is for admins; plans and progress reports also for owners.

Each row is still checked by its own service (an owner writes only their own projects'
plans and reports, an admin only those of their region); this only decides which upload
forms, templates and imports a user is offered.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_plans, can_edit_projects
from cornerstone.ingest.choices import ImportKind


def _can_report(user: User | AnonymousUser) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "role", None) in (Role.ADMIN, Role.OWNER))
    )


def can_import(user: User | AnonymousUser, kind: str) -> bool:
    """Whether the user may import workbooks of this kind (within their scope)."""
    if kind == ImportKind.LEDGER:
        return can_edit_projects(user)
    if kind == ImportKind.PLANS:
        return can_edit_plans(user)
    if kind == ImportKind.REPORTS:
        return _can_report(user)
    return False


def import_kinds(user: User | AnonymousUser) -> list[tuple[str, str]]:
    """The (value, label) of every kind the user may import, in the menu's order."""
    return [(value, str(label)) for value, label in ImportKind.choices if can_import(user, value)]
