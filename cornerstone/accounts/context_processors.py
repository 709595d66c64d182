"""What the navigation needs to know of the user's rights."""

from typing import Any

from django.http import HttpRequest

from cornerstone.accounts.choices import Role
from cornerstone.accounts.scope import can_edit_projects, can_manage_lifecycle


def permissions(request: HttpRequest) -> dict[str, Any]:
    """Expose the UI-relevant rights as ``perms_ui``."""
    user = request.user
    return {
        "perms_ui": {
            "edit_projects": can_edit_projects(user),
            "manage_lifecycle": can_manage_lifecycle(user),
            # Owners import their plans and progress reports; admins also the ledger.
            "imports": can_edit_projects(user)
            or (user.is_authenticated and getattr(user, "role", "") == Role.OWNER),
            # Region-wide pages need a region: an owner account has none.
            "region_pages": user.is_superuser or getattr(user, "region_id", None) is not None,
        }
    }
