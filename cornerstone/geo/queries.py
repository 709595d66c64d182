"""Reads of reference data: divisions and industries are public, zones and departments scoped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from cornerstone.accounts.scope import region_scope_q
from cornerstone.geo.models import Department, Industry, Region, Zone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cornerstone.accounts.models import User


def regions_find(
    *, parent: str | None = None, level: str | None = None, q: str | None = None
) -> QuerySet[Region]:
    """Administrative divisions (GB/T 2260 is public), narrowed by parent, level and text."""
    regions = Region.objects.order_by("code")
    if parent:
        regions = regions.filter(parent_id=parent)
    if level:
        regions = regions.filter(level=level)
    if q and q.strip():
        text = q.strip()
        regions = regions.filter(
            Q(code__startswith=text) | Q(name__icontains=text) | Q(full_name__icontains=text)
        )
    return regions


def region_by_code(*, code: str) -> Region:
    """One division by its six-digit code; DoesNotExist when unknown."""
    return Region.objects.get(code=code)


def industries_find(*, level: str | None = None, parent: str | None = None) -> QuerySet[Industry]:
    """GB/T 4754 sections and divisions, narrowed by level and section."""
    industries = Industry.objects.order_by("code")
    if level:
        industries = industries.filter(level=level)
    if parent:
        industries = industries.filter(parent_id=parent.strip().upper())
    return industries


def industry_by_code(*, code: str, level: str | None = None) -> Industry:
    """One industry by its code (optionally of one level); DoesNotExist when unknown."""
    industries = Industry.objects.all()
    if level:
        industries = industries.filter(level=level)
    return industries.get(code=code.strip().upper())


def zones_visible(*, actor: User | AnonymousUser) -> QuerySet[Zone]:
    """Zones inside the actor's region subtree."""
    return Zone.objects.filter(region_scope_q(actor, "region_id"))


def departments_visible(*, actor: User | AnonymousUser) -> QuerySet[Department]:
    """Responsible units inside the actor's region subtree."""
    return Department.objects.filter(region_scope_q(actor, "region_id"))


def regions_visible(*, actor: User | AnonymousUser) -> QuerySet[Region]:
    """Divisions inside the actor's region subtree, in code order."""
    return Region.objects.filter(region_scope_q(actor)).order_by("code")
