"""The audit trail: one row per change, written by the service that made it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.core.choices import AuditAction, AuditSource


class AuditEvent(models.Model):
    """Who changed what, when, from where, with each field's before and after."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so the record survives the actor's deletion.
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=AuditSource.choices)
    action = models.CharField(_("动作"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    # A plain integer, not a foreign key, so that a project's history outlives the project.
    project_id = models.BigIntegerField(_("项目"), null=True, blank=True, db_index=True)
    summary = models.CharField(_("摘要"), max_length=300)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.summary}"


class Notification(models.Model):
    """An in-app message to one user (a reminder, an assignment); email goes out beside it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
