"""The demo province: a realistic 山西省 ledger built from a seed, fast enough for 100,000 projects.

Everything is drawn from one seeded ``random.Random``, so the same seed on the same day
gives the same names, codes and dates. Rows are written with ``bulk_create`` in batches
and bypass the services on purpose (a service call per project would take minutes), so
this module keeps the services' invariants itself: each project's stage is what
``lifecycle.current_stage_id`` derives from its steps, its milestone dates are the
actual dates of the milestone steps, and it gets one CREATE audit row.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cornerstone.accounts.choices import Role
from cornerstone.accounts.models import User
from cornerstone.alerts.demo import demo_alerts_load
from cornerstone.campaigns.demo import demo_campaigns_load, demo_campaigns_reset
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.dispatch.demo import demo_dispatch_load
from cornerstone.dispatch.models import Briefing, DispatchMeeting
from cornerstone.evaluation.demo import demo_evaluation_load, demo_evaluation_reset
from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.models import Region
from cornerstone.plans.demo import demo_plans_load
from cornerstone.problems.demo import demo_problems_load
from cornerstone.problems.models import SupervisionOrder
from cornerstone.progress.demo import demo_progress_load
from cornerstone.progress.models import ReportingSchedule
from cornerstone.projects.demo import names
from cornerstone.projects.demo.generator import Draft, Generator, OwnerSlot
from cornerstone.projects.demo.world import (
    BATCH_SIZE,
    DEMO_ACTOR,
    DEMO_PASSWORD,
    OWNER_COUNT,
    OWNER_FAMILIES,
    Credential,
    Progress,
    UserSpec,
    World,
    demo_usernames,
    reference_data_ensure,
    user_specs,
    world_build,
)
from cornerstone.projects.models import Project, ProjectStep
from cornerstone.projects.queries import projects_visible
from cornerstone.stats.rollups import rollups_rebuild

# --- writing ------------------------------------------------------------------------


@dataclass
class DemoResult:
    projects: int
    steps: int
    credentials: list[Credential]
    seconds: float


def _users_create(world: World, rng: random.Random, owners: list[OwnerSlot]) -> dict[str, User]:
    """Create (or refresh) every demo account with the one demo password, hashed once."""
    encoded = make_password(DEMO_PASSWORD)
    wanted: list[tuple[UserSpec, str]] = []
    for spec in user_specs():
        region = world.regions.get(spec.region_code or "")
        organisation = spec.organisation
        department = None
        if spec.department_key and region is not None:
            department = world.departments[region.code][spec.department_key]
            organisation = department.name
        elif region is not None:
            suffix = "发展和改革委员会" if region.level != RegionLevel.COUNTY else "发展和改革局"
            organisation = organisation or region.name + suffix
        wanted.append((spec, organisation))
    for slot in owners:
        wanted.append((UserSpec(slot.username, Role.OWNER, None), slot.company))
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s, _ in wanted])
    }
    users: dict[str, User] = {}
    for spec, organisation in wanted:
        user = existing.get(spec.username) or User(username=spec.username)
        user.role = spec.role
        user.region_id = spec.region_code
        user.department = (
            world.departments[spec.region_code][spec.department_key]
            if spec.department_key and spec.region_code
            else None
        )
        user.organisation = organisation
        user.password = encoded
        user.is_active = True
        user.last_name = rng.choice(names.SURNAMES)
        user.first_name = "".join(rng.choices(names.GIVEN_CHARS, k=rng.choice((1, 2))))
        user.save()
        users[spec.username] = user
    return users


def _owner_slots(gen: Generator, total: int) -> list[OwnerSlot]:
    """A few owner companies, each with a handful of projects (fewer on a tiny ledger)."""
    rng = gen.rng
    cap = max(1, min(8, total // 20))
    slots = []
    for number, family_key in enumerate(OWNER_FAMILIES[:OWNER_COUNT], start=1):
        family = gen.families[family_key]
        city = rng.choices(gen.world.cities, gen.world.city_weights)[0]
        slots.append(
            OwnerSlot(
                username=f"owner_{number}",
                company=gen.company(family, city, gen.trade()),
                family=family_key,
                city_code=city.code,
                quota=rng.randint(max(1, cap // 2), cap),
            )
        )
    return slots


def _audit_row(project: Project) -> AuditEvent:
    return AuditEvent(
        actor=None,
        actor_name=DEMO_ACTOR,
        source=AuditSource.COMMAND,
        action=AuditAction.CREATE,
        object_type=Project._meta.label_lower,
        object_id=str(project.pk),
        project_id=project.pk,
        summary=f"新建项目“{project.name}”（{project.code}）"[:300],
        changes={
            "code": {"label": "项目代码", "before": None, "after": project.code},
            "name": {"label": "项目名称", "before": None, "after": project.name},
            "stage": {"label": "所处阶段", "before": None, "after": project.stage.name},
        },
    )


def _batch_write(drafts: Sequence[Draft]) -> int:
    """Insert one batch: projects, then their steps, owner links and audit rows."""
    projects = Project.objects.bulk_create([d.project for d in drafts], batch_size=500)
    steps: list[ProjectStep] = []
    links = []
    through = Project.owner_users.through
    for draft, project in zip(drafts, projects, strict=True):
        for step in draft.steps:
            step.project_id = project.pk
            steps.append(step)
        if draft.owner_user_id:
            links.append(through(project_id=project.pk, user_id=draft.owner_user_id))
    ProjectStep.objects.bulk_create(steps, batch_size=2000)
    through.objects.bulk_create(links)
    AuditEvent.objects.bulk_create([_audit_row(p) for p in projects], batch_size=1000)
    return len(steps)


def demo_load(
    *,
    projects: int,
    seed: int = 2026,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Build the demo province with ``projects`` projects and its accounts."""
    began = time.monotonic()
    reference_data_ensure()
    world = world_build()
    rng = random.Random(seed)
    gen = Generator(world=world, rng=rng, today=today or timezone.localdate())
    gen.owners = _owner_slots(gen, projects)
    with transaction.atomic():
        users = _users_create(world, random.Random(seed + 1), gen.owners)
    for slot in gen.owners:
        slot.user_id = users[slot.username].pk
    owner_queue = [slot for slot in gen.owners for _ in range(slot.quota)]
    rng.shuffle(owner_queue)
    stride = max(1, min(projects, BATCH_SIZE) // max(1, len(owner_queue) + 1))
    written = steps = 0
    while written < projects:
        size = min(BATCH_SIZE, projects - written)
        drafts = []
        for offset in range(size):
            position = written + offset
            owner = None
            if owner_queue and position % stride == 0:
                owner = owner_queue.pop()
            drafts.append(gen.draft(owner))
        with transaction.atomic():
            steps += _batch_write(drafts)
        written += size
        if progress:
            progress(f"  项目 {written}/{projects}（{time.monotonic() - began:.1f} 秒）")
    plans, scheduled = demo_plans_load(today=gen.today, seed=seed)
    if progress:
        progress(f"  投资计划 {plans} 个年度，倒排工期 {scheduled} 个项目")
    _dispatch_work_load(today=gen.today, seed=seed, progress=progress)
    rollups_rebuild()  # everything above was bulk-written; the statistics are summed once
    if progress:
        progress("  统计汇总已重建")
    credentials = credentials_describe(users)
    return DemoResult(written, steps, credentials, time.monotonic() - began)


def _dispatch_work_load(*, today: dt.date, seed: int, progress: Progress | None) -> None:
    """Reports, problems, lights and a meeting, in the order each needs the one before."""
    reports = demo_progress_load(today=today, seed=seed)
    problems = demo_problems_load(today=today, seed=seed)
    lights = demo_alerts_load(today=today, seed=seed)
    meeting = demo_dispatch_load(today=today, seed=seed)
    campaigns = demo_campaigns_load(today=today, seed=seed)
    # After the campaigns: the award sheet counts the projects started at them.
    evaluations = demo_evaluation_load(today=today, seed=seed)
    if progress:
        progress(
            f"  进度报告 {reports} 份，问题 {problems} 个，本月预警 {lights} 个，"
            f"调度会议题与议定事项 {meeting} 条，集中活动项目 {campaigns} 个，"
            f"赛马评比结果 {evaluations} 条"
        )


ROLE_SEES = {
    Role.ADMIN: "本级及下辖 {n} 个项目，可新建、编辑、推进环节、编制计划",
    Role.LEADER: "本级及下辖 {n} 个项目（只读）",
    Role.DEPARTMENT: "本级及下辖 {n} 个项目（只读），所属{dept}，办理交办的问题和督办单",
    Role.OWNER: "本单位 {n} 个项目（台账只读，可填报计划、任务和进度报告）",
    Role.EVALUATOR: "本级及下辖 {n} 个项目（只读）",
}


def credentials_describe(users: dict[str, User]) -> list[Credential]:
    """The credentials table: who logs in with what, and what they see."""
    rows = []
    regions = {
        r.code: r
        for r in Region.objects.filter(
            code__in={u.region_id for u in users.values() if u.region_id}
        )
    }
    for username, user in users.items():
        region = regions.get(user.region_id or "")
        scope = region.full_name if region else user.organisation
        n = projects_visible(actor=user).count()
        sees = ROLE_SEES[Role(user.role)].format(
            n=n,
            dept=user.department.name if user.department_id else "",
        )
        rows.append(Credential(username, DEMO_PASSWORD, str(Role(user.role).label), scope, sees))
    return rows


# --- removing ------------------------------------------------------------------------


def demo_project_ids() -> QuerySet[AuditEvent]:
    """Ids of the projects the demo created (read from their CREATE audit rows)."""
    return AuditEvent.objects.filter(
        source=AuditSource.COMMAND,
        action=AuditAction.CREATE,
        actor_name=DEMO_ACTOR,
        object_type=Project._meta.label_lower,
    ).values_list("project_id", flat=True)


def demo_reset(*, progress: Progress | None = None, chunk: int = 2000) -> int:
    """Delete the demo's projects (with their steps and audit rows) and its accounts."""
    ids = sorted(set(demo_project_ids()))
    for low in range(0, len(ids), chunk):
        part = ids[low : low + chunk]
        with transaction.atomic():
            Project.objects.filter(pk__in=part).delete()
            AuditEvent.objects.filter(project_id__in=part).delete()
        if progress:
            progress(f"  已删除 {min(low + chunk, len(ids))}/{len(ids)} 个演示项目")
    _dispatch_work_reset()
    User.objects.filter(username__in=demo_usernames()).delete()
    rollups_rebuild()
    return len(ids)


def _dispatch_work_reset() -> None:
    """Remove what the demo accounts created beyond projects, which would keep them alive."""
    demo_users = User.objects.filter(username__in=demo_usernames())
    with transaction.atomic():
        demo_campaigns_reset(users=demo_users)
        demo_evaluation_reset(users=demo_users)
        Briefing.objects.filter(created_by__in=demo_users).delete()
        DispatchMeeting.objects.filter(created_by__in=demo_users).delete()
        SupervisionOrder.objects.filter(issued_by__in=demo_users).delete()
        ReportingSchedule.objects.filter(created_by__in=demo_users).delete()
