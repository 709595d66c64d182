"""Choices shared across apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditSource(models.TextChoices):
    PAGE = "page", _("页面")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    COMMAND = "command", _("命令")
    SYSTEM = "system", _("系统")


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("audit action", "新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    TRANSITION = "transition", _("环节变更")
