"""What a user may see and change: the one place scope rules are written down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from cornerstone.accounts.choices import Role
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.codes import in_subtree, level_of, subtree_bounds

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User

NOTHING = Q(pk__in=[])


def scope_root(user: User | AnonymousUser) -> str | None:
    """The region code a user's view is rooted at; None means the whole country."""
    if user.is_superuser:
        return None
    return getattr(user, "region_id", None)


def project_scope_q(user: User | AnonymousUser) -> Q:
    """Filter on Project selecting what the user may see."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    if user.role == Role.OWNER:
        return Q(owner_users=user)
    if user.region_id is None:
        return NOTHING
    low, high = subtree_bounds(user.region_id)
    return Q(region_id__gte=low, region_id__lt=high)


def region_scope_q(user: User | AnonymousUser, field: str = "code") -> Q:
    """Filter on Region (or on a model's region code ``field``) within the user's subtree."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    root = scope_root(user)
    if user.is_superuser:
        return Q()
    if root is None:
        return NOTHING
    low, high = subtree_bounds(root)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def can_edit_projects(user: User | AnonymousUser) -> bool:
    """Whether the user may create, edit and move projects (within their scope)."""
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)
    )


def can_edit_region(user: User | AnonymousUser, region_code: str) -> bool:
    """Whether an editor may place a project in this region."""
    if not can_edit_projects(user):
        return False
    if user.is_superuser:
        return True
    # An admin bound to no region edits nowhere; scope_root's None would mean everywhere.
    root = getattr(user, "region_id", None)
    return root is not None and in_subtree(region_code, root)


def can_manage_lifecycle(user: User | AnonymousUser) -> bool:
    """Only a province admin (or a superuser) edits the stage and step definitions."""
    if not can_edit_projects(user):
        return False
    if user.is_superuser:
        return True
    region_id = getattr(user, "region_id", None)
    return region_id is not None and level_of(region_id) == RegionLevel.PROVINCE


def can_edit_plans(user: User | AnonymousUser) -> bool:
    """Whether the user may write plans, milestones and tasks of the projects they see.

    Admins plan for their region; an owner account plans its own projects, as owners
    fill in their monthly plans on the platforms this replaces.
    """
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (Role.ADMIN, Role.OWNER))
    )
