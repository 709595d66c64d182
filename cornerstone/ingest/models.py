"""Import jobs: who imported which file, when, what it would change and what it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cornerstone.ingest.choices import ImportKind, ImportStatus


def upload_path(instance: "ImportJob", filename: str) -> str:
    """Keep uploads under their hash: the original name is kept in the row."""
    return f"imports/{instance.sha256[:2]}/{instance.sha256}.xlsx"


class ImportJob(models.Model):
    """One uploaded workbook, checked (dry run) and, when clean, imported all-or-nothing."""

    kind = models.CharField(_("导入类型"), max_length=16, choices=ImportKind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=upload_path)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件哈希"), max_length=64, db_index=True)
    sheet_name = models.CharField(_("工作表"), max_length=100, blank=True)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    to_create = models.PositiveIntegerField(_("新增"), default=0)
    to_update = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    # [{row, column, value, message}], the first errors found (the workbook keeps them all).
    errors = models.JSONField(_("错误"), default=list, blank=True)
    # Headers found that matched no field: shown as ignored.
    ignored_columns = models.JSONField(_("未识别的列"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
