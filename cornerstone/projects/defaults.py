"""The default lifecycle: five stages and thirteen steps after Liaoning's 2021 guidance.

Seeded by a data migration; a province admin edits them afterwards. Codes are stable
identifiers, names are what people read.
"""

DEFAULT_LIFECYCLE = [
    (
        "planning",
        "谋划储备",
        [
            ("conception", "项目谋划", False, ""),
            ("reserve", "入库储备", False, ""),
            ("signing", "签约落地", True, "signing"),
        ],
    ),
    (
        "establishment",
        "立项",
        [
            ("feasibility", "前期论证/可研", False, ""),
            ("approval", "立项审批/核准/备案", False, ""),
        ],
    ),
    (
        "permits",
        "要件审批",
        [
            ("land", "用地审批", False, ""),
            ("planning_permit", "规划许可", False, ""),
            ("environment", "环评能评", False, ""),
            ("construction_permit", "施工许可", False, ""),
        ],
    ),
    (
        "construction",
        "实施建设",
        [
            ("start", "开工", False, "start"),
            ("completion", "竣工验收", False, "completion"),
        ],
    ),
    (
        "operation",
        "投产运营",
        [
            ("production", "投产", False, "production"),
            ("capacity", "达产达效", False, "capacity"),
        ],
    ),
]


def seed_lifecycle(stage_model, step_model) -> None:  # type: ignore[no-untyped-def]
    """Create the default stages and steps where none exist (used by the migration)."""
    if stage_model.objects.exists():
        return
    for stage_order, (code, name, steps) in enumerate(DEFAULT_LIFECYCLE, start=1):
        stage = stage_model.objects.create(code=code, name=name, order=stage_order)
        for step_order, (step_code, step_name, optional, milestone) in enumerate(steps, start=1):
            step_model.objects.create(
                stage=stage,
                code=step_code,
                name=step_name,
                order=step_order,
                optional=optional,
                milestone=milestone,
            )
