"""Users bound to a role and a region (or to their own projects), and their API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.accounts.choices import Role


class User(AbstractUser):
    """A person with one role; every role but owner is bound to a region."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.LEADER)
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "geo.Department",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    organisation = models.CharField(_("单位"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def clean(self) -> None:
        super().clean()
        if self.role != Role.OWNER and self.region_id is None and not self.is_superuser:
            raise ValidationError({"region": _("除业主单位外，用户必须绑定所属区划。")})
        if self.role == Role.DEPARTMENT and self.department_id is None:
            raise ValidationError({"department": _("责任单位用户必须指定责任单位。")})

    def get_full_name(self) -> str:
        return (self.last_name + self.first_name).strip() or self.username


def token_hash(raw: str) -> str:
    """Hash a raw token; only the hash is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token a user created for themselves; shown once, stored hashed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
