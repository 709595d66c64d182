"""Roles a user can hold."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    LEADER = "leader", _("领导")
    DEPARTMENT = "department", _("责任单位")
    OWNER = "owner", _("业主单位")
    EVALUATOR = "evaluator", _("评委")
