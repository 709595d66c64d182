"""User administration for operators (superusers); the ledger itself is never edited here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cornerstone.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "region", "department", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "last_name", "first_name", "organisation")
    autocomplete_fields = ()
    raw_id_fields = ("region", "department")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("角色与范围"), {"fields": ("role", "region", "department", "organisation", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("角色与范围"), {"fields": ("role", "region", "department")}),
    )
