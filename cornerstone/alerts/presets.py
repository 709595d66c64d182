"""The published warning rules shipped as presets, and the check of a region's adjustments.

Pure data and validation (no Django): a preset is a parameter dict in the shape the
engine in ``rules`` reads; ``FIELDS`` describes every adjustable parameter (its label,
kind and bounds) for the form, the API and the validation, so all three agree.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# The general rules every preset carries (issue 4: milestones, reports, escalated problems).
_GENERAL: dict[str, Any] = {
    "milestone": {"enabled": True, "red_days": 30},
    "reports": {"enabled": True, "yellow_cycles": 1, "red_cycles": 2},
    "problems": {"enabled": True},
}

PRESETS: dict[str, dict[str, Any]] = {
    # 银川市2025年重点项目亮灯预警：开工、序时进度（百分点）、入库纳统。
    "yinchuan_2025": {
        "start": {"enabled": True, "red_months": 3},
        "progress": {
            "enabled": True,
            "measure": "points",
            "yellow": 10,
            "red": 30,
            "min_annual": 0,
            "made_up": False,
        },
        "inclusion": {"enabled": True, "yellow_months": 1, "red_months": 3, "min_total": 500},
        **_GENERAL,
        "region": {"mode": "none", "red_months": 2},
    },
    # 三亚市2022年：年度计划1000万元以上项目按年累计完成与序时进度比；区域按月度任务。
    "sanya_2022": {
        "start": {"enabled": False, "red_months": 3},
        "progress": {
            "enabled": True,
            "measure": "shortfall",
            "yellow": 0,
            "red": 50,
            "min_annual": 1000,
            "made_up": False,
        },
        "inclusion": {"enabled": False, "yellow_months": 1, "red_months": 3, "min_total": 500},
        **_GENERAL,
        "region": {"mode": "monthly_task", "red_months": 2},
    },
    # 天津市2022年：区域累计投资增速与计划、全市平均比较；项目只看通用规则。
    "tianjin_2022": {
        "start": {"enabled": False, "red_months": 3},
        "progress": {
            "enabled": False,
            "measure": "shortfall",
            "yellow": 0,
            "red": 50,
            "min_annual": 0,
            "made_up": False,
        },
        "inclusion": {"enabled": False, "yellow_months": 1, "red_months": 3, "min_total": 500},
        **_GENERAL,
        "region": {"mode": "growth", "red_months": 2},
    },
}
PRESETS["custom"] = PRESETS["yinchuan_2025"]

MEASURES = {
    "points": "低于序时进度的百分点",
    "shortfall": "低于序时进度的比例（%）",
    "month": "当月任务完成情况（%）",
}
REGION_MODES = {"none": "不评价区域", "monthly_task": "月度投资任务", "growth": "累计投资增速"}


@dataclass(frozen=True)
class Param:
    """One adjustable parameter: dotted name, label, kind and bounds."""

    name: str
    label: str
    kind: str  # "bool", "int", "number", "choice"
    low: float = 0
    high: float = 1_000_000
    choices: Mapping[str, str] | None = None
    optional: bool = False  # a threshold that may be left empty (never fires)


FIELDS: list[Param] = [
    Param("start.enabled", "开工预警：启用", "bool"),
    Param("start.red_months", "开工预警：逾期几个月亮红灯", "int", 1, 24),
    Param("progress.enabled", "进度预警：启用", "bool"),
    Param("progress.measure", "进度预警：比较方式", "choice", choices=MEASURES),
    Param("progress.yellow", "进度预警：黄灯阈值", "number", 0, 100, optional=True),
    Param("progress.red", "进度预警：红灯阈值", "number", 0, 100, optional=True),
    Param("progress.min_annual", "进度预警：年度计划不低于（万元）", "number", 0, 10_000_000),
    Param("progress.made_up", "进度预警：补齐差距后转为黄灯", "bool"),
    Param("inclusion.enabled", "入库纳统预警：启用", "bool"),
    Param("inclusion.yellow_months", "入库纳统预警：开工后几个月未入库亮黄灯", "int", 0, 24),
    Param("inclusion.red_months", "入库纳统预警：开工后几个月未入库亮红灯", "int", 1, 24),
    Param("inclusion.min_total", "入库纳统预警：总投资不低于（万元）", "number", 0, 10_000_000),
    Param("milestone.enabled", "节点预警：启用", "bool"),
    Param("milestone.red_days", "节点预警：逾期超过几天亮红灯", "int", 0, 365),
    Param("reports.enabled", "报送预警：启用", "bool"),
    Param("reports.yellow_cycles", "报送预警：连续几期未报亮黄灯", "int", 1, 12),
    Param("reports.red_cycles", "报送预警：连续几期未报亮红灯", "int", 1, 12),
    Param("problems.enabled", "督办问题超期预警：启用", "bool"),
    Param("region.mode", "区域预警：评价方式", "choice", choices=REGION_MODES),
    Param("region.red_months", "区域预警：连续几个月未完成任务亮红灯", "int", 1, 12),
]
FIELD_BY_NAME = {p.name: p for p in FIELDS}


class ParamsError(ValueError):
    """Adjusted parameters that cannot be used: ``errors`` maps a parameter to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def preset_params(preset: str) -> dict[str, Any]:
    """A fresh copy of a preset's parameters; KeyError when unknown."""
    return copy.deepcopy(PRESETS[preset])


def flatten(params: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted names to values, for forms: {"progress.yellow": 10, …}."""
    return {p.name: params.get(p.name.split(".")[0], {}).get(p.name.split(".")[1]) for p in FIELDS}


def _read(param: Param, raw: Any, errors: dict[str, list[str]]) -> Any:
    def fail(message: str) -> None:
        errors.setdefault(param.name, []).append(f"{param.label}：{message}")

    if param.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "on", "yes", "是"):
            return True
        if text in ("0", "false", "off", "no", "否", ""):
            return False
        fail("应为是或否。")
        return None
    if param.kind == "choice":
        assert param.choices is not None
        if raw not in param.choices:
            fail(f"不是可选的值（可选：{'、'.join(param.choices.values())}）。")
            return None
        return raw
    if raw is None or str(raw).strip() == "":
        if param.optional:
            return None
        fail("请填写。")
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        fail(f"“{raw}”不是数字。")
        return None
    if not value.is_finite():
        fail(f"“{raw}”不是数字。")
        return None
    if param.kind == "int" and value != value.to_integral_value():
        fail("应为整数。")
        return None
    if not param.low <= value <= param.high:
        fail(f"应在{param.low:g}到{param.high:g}之间。")
        return None
    return int(value) if param.kind == "int" else float(value)


def params_validate(preset: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The preset's parameters with ``values`` (dotted names) applied; ParamsError if unusable.

    Names not given keep the preset's value; unknown names are refused, so that a typo
    is not silently ignored.
    """
    if preset not in PRESETS:
        raise ParamsError({"preset": [f"未知的预设规则“{preset}”。"]})
    params = preset_params(preset)
    errors: dict[str, list[str]] = {}
    for name in values:
        if name not in FIELD_BY_NAME:
            errors.setdefault(name, []).append(f"未知的参数“{name}”。")
    for name, raw in values.items():
        param = FIELD_BY_NAME.get(name)
        if param is None:
            continue
        value = _read(param, raw, errors)
        if name not in errors:
            section, key = name.split(".")
            params[section][key] = value
    if not errors:
        _cross_check(params, errors)
    if errors:
        raise ParamsError(errors)
    return params


def _cross_check(params: dict[str, Any], errors: dict[str, list[str]]) -> None:
    progress = params["progress"]
    yellow, red = progress["yellow"], progress["red"]
    if yellow is not None and red is not None and red < yellow:
        errors["progress.red"] = ["进度预警：红灯阈值不能小于黄灯阈值。"]
    if yellow is None and red is None and progress["enabled"]:
        errors["progress.yellow"] = ["进度预警：启用时黄灯、红灯阈值至少填写一个。"]
    if progress["measure"] == "points" and progress["made_up"]:
        errors["progress.made_up"] = ["进度预警：“补齐差距后转为黄灯”只适用于按当月任务比较。"]
    inclusion = params["inclusion"]
    if inclusion["red_months"] < inclusion["yellow_months"]:
        errors["inclusion.red_months"] = ["入库纳统预警：亮红灯的月数不能小于亮黄灯的月数。"]
    reports = params["reports"]
    if reports["red_cycles"] < reports["yellow_cycles"]:
        errors["reports.red_cycles"] = ["报送预警：亮红灯的期数不能小于亮黄灯的期数。"]


def params_check(params: Any) -> dict[str, Any]:
    """Validate a complete stored or submitted parameter dict (API ``put``)."""
    if not isinstance(params, Mapping):
        raise ParamsError({"params": ["参数应为对象。"]})
    flat: dict[str, Any] = {}
    for section, body in params.items():
        if not isinstance(body, Mapping):
            raise ParamsError({section: [f"参数“{section}”应为对象。"]})
        for key, value in body.items():
            flat[f"{section}.{key}"] = value
    return params_validate("custom", flat)
