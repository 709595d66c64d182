"""Generating a briefing's files, run by the task worker (inline with the immediate backend)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from cornerstone.dispatch.briefing_data import briefing_figures
from cornerstone.dispatch.choices import BriefingStatus
from cornerstone.dispatch.layout import BriefingLayout, DocumentHead, briefing_layout
from cornerstone.dispatch.models import Briefing
from cornerstone.dispatch.renderers import docx_render, pdf_render
from cornerstone.documents.fonts import FontsMissing

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timings:
    """Seconds spent on each part, for the benchmark."""

    data: float
    docx: float
    pdf: float


def _progress(briefing: Briefing, percent: int, **fields: object) -> None:
    Briefing.objects.filter(pk=briefing.pk).update(progress=percent, **fields)


def briefing_build_layout(briefing: Briefing, *, today: dt.date) -> BriefingLayout:
    """Compute a briefing's figures and lay them out (the database part of generation)."""
    figures = briefing_figures(
        region=briefing.region,
        year=briefing.year,
        month=briefing.month,
        tier=briefing.tier,
        category=briefing.category,
        today=today,
    )
    head = DocumentHead(
        title=briefing.title,
        issuing_body=briefing.issuing_body,
        number=briefing.number,
        date=today,
    )
    return briefing_layout(figures, head)


def _filename(briefing: Briefing, suffix: str) -> str:
    return f"briefing-{briefing.region_id}-{briefing.year}{briefing.month:02d}.{suffix}"


def briefing_run(briefing: Briefing) -> Timings:
    """Generate the summary, the .docx and the PDF, recording progress as it goes."""
    today = timezone.localdate()
    _progress(briefing, 5, status=BriefingStatus.RUNNING, error="")
    started = time.perf_counter()
    layout = briefing_build_layout(briefing, today=today)
    data_s = time.perf_counter() - started
    _progress(briefing, 40, summary=layout.summary)
    started = time.perf_counter()
    briefing.docx.save(_filename(briefing, "docx"), ContentFile(docx_render(layout)), save=False)
    docx_s = time.perf_counter() - started
    Briefing.objects.filter(pk=briefing.pk).update(docx=briefing.docx.name, progress=70)
    started = time.perf_counter()
    try:
        pdf = pdf_render(layout, font_dir=getattr(settings, "CORNERSTONE_CJK_FONT_DIR", None))
    except FontsMissing as exc:
        _progress(
            briefing,
            100,
            status=BriefingStatus.FAILED,
            error=str(exc)[:500],
            finished_at=timezone.now(),
        )
        return Timings(data_s, docx_s, 0.0)
    briefing.pdf.save(_filename(briefing, "pdf"), ContentFile(pdf), save=False)
    pdf_s = time.perf_counter() - started
    _progress(
        briefing,
        100,
        pdf=briefing.pdf.name,
        status=BriefingStatus.DONE,
        finished_at=timezone.now(),
    )
    return Timings(data_s, docx_s, pdf_s)


@task()
def briefing_generate(briefing_id: int) -> None:
    """Generate a queued briefing; an unexpected failure still ends it, so no page waits."""
    briefing = Briefing.objects.select_related("region").get(pk=briefing_id)
    try:
        briefing_run(briefing)
    except Exception:
        logger.exception("briefing %s failed", briefing_id)
        _progress(
            briefing,
            100,
            status=BriefingStatus.FAILED,
            error=_("生成通报时发生内部错误，请联系管理员。"),
            finished_at=timezone.now(),
        )
        raise
