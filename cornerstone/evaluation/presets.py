"""Published evaluation schemes shipped as presets: data in the JSON shape ``rules.py`` reads.

Money in 万元 (10亿 = 100000万元), rates in percent. Fact codes are those
``facts.UNIT_FACTS`` / ``facts.PROJECT_FIELDS`` provide.
"""

from __future__ import annotations

from typing import Any

# The facts of a unit a computed criterion may read (see facts.py) with their labels.
AWARD_2020 = "award_2020"
YANAN_2017 = "yanan_2017"
JINAN_OBSERVATION = "jinan_observation"
ZHANGZHOU_BASE = "zhangzhou_base"

PRESETS: dict[str, dict[str, Any]] = {
    # 2020年市重点项目奖励评分表：年度计划完成、半年排名、新开工、集中开工、未按时开工入库。
    AWARD_2020: {
        "name": "重点项目建设奖励评分（2020年市级评分表）",
        "description": "年度计划完成率25分，低于100%每1个百分点减0.1分，100%—130%每1个百分点"
        "加0.2分，130%以上每1个百分点加0.1分，加减分各以10分为限；上半年完成率排名1—3名7分、"
        "4—6名5分、7—10名3分；每新开工1个项目加1分，最多10分；在集中开工活动中开工的每个"
        "项目加2分，最多10分；每个未按时开工入库的项目减3分。",
        "components": [],
        "criteria": [
            {
                "code": "plan_completion",
                "name": "年度计划完成率",
                "source": "computed",
                "rule": {
                    "type": "banded_rate",
                    "fact": "completion_rate",
                    "base": 25,
                    "pivot": 100,
                    "bands": [
                        {"from": 0, "to": 100, "per_point": "0.1"},
                        {"from": 100, "to": 130, "per_point": "0.2"},
                        {"from": 130, "to": None, "per_point": "0.1"},
                    ],
                    "cap_up": 10,
                    "cap_down": 10,
                },
                "max_score": 35,
            },
            {
                "code": "half_year_rank",
                "name": "上半年投资完成率排名",
                "source": "computed",
                "rule": {
                    "type": "rank_points",
                    "of": "half_year_completion_rate",
                    "bands": [
                        {"rank_from": 1, "rank_to": 3, "points": 7},
                        {"rank_from": 4, "rank_to": 6, "points": 5},
                        {"rank_from": 7, "rank_to": 10, "points": 3},
                    ],
                },
            },
            {
                "code": "new_starts",
                "name": "新开工项目",
                "source": "computed",
                "rule": {"type": "per_item", "fact": "new_starts", "points": 1, "cap": 10},
            },
            {
                "code": "campaign_starts",
                "name": "集中开工活动开工项目",
                "source": "computed",
                "rule": {"type": "per_item", "fact": "campaign_starts", "points": 2, "cap": 10},
            },
            {
                "code": "late_starts",
                "name": "未按时开工入库项目",
                "source": "computed",
                "rule": {"type": "per_item", "fact": "not_started_due", "points": -3},
            },
        ],
    },
    # 延安市2017年县区、园区管委会重点项目考核：逐项目累加赋分。
    YANAN_2017: {
        "name": "县区、园区重点项目建设考核（延安2017年方案）",
        "description": "逐个项目赋分、按单位累加：新开工每个5分、续建每个2分；年度计划投资10亿元"
        "以上20分、5亿—10亿元10分、1亿—5亿元6分、1亿元以下3分；产业项目15分、民生项目8分；"
        "建设进度按60×投资完成率计分；建成投产20分；受到市级通报批评的扣5—20分。",
        "components": [],
        "criteria": [
            {
                "code": "kind",
                "name": "项目类型",
                "source": "computed",
                "rule": {
                    "type": "per_project_sum",
                    "clauses": [
                        {
                            "type": "match",
                            "field": "kind",
                            "label": "",
                            "points": {"new": 5, "continuing": 2},
                            "labels": {"new": "新开工", "continuing": "续建"},
                        }
                    ],
                },
            },
            {
                "code": "plan_scale",
                "name": "年度计划投资规模",
                "source": "computed",
                "rule": {
                    "type": "per_project_sum",
                    "clauses": [
                        {
                            "type": "bands",
                            "field": "annual_plan",
                            "label": "年度计划",
                            "bands": [
                                {"from": 100000, "to": None, "points": 20, "label": "10亿元以上"},
                                {"from": 50000, "to": 100000, "points": 10, "label": "5亿—10亿元"},
                                {"from": 10000, "to": 50000, "points": 6, "label": "1亿—5亿元"},
                                {"from": 0, "to": 10000, "points": 3, "label": "1亿元以下"},
                            ],
                        }
                    ],
                },
            },
            {
                "code": "category",
                "name": "项目类别",
                "source": "computed",
                "rule": {
                    "type": "per_project_sum",
                    "clauses": [
                        {
                            "type": "match",
                            "field": "category",
                            "label": "",
                            "points": {"industry": 15, "livelihood": 8},
                            "labels": {"industry": "产业", "livelihood": "民生"},
                        }
                    ],
                },
            },
            {
                "code": "progress",
                "name": "建设进度",
                "source": "computed",
                "rule": {
                    "type": "per_project_sum",
                    "clauses": [
                        {
                            "type": "factor",
                            "field": "completion_rate",
                            "label": "60×投资完成率：",
                            "factor": 60,
                            "cap": 60,
                        }
                    ],
                },
            },
            {
                "code": "production",
                "name": "建成投产",
                "source": "computed",
                "rule": {
                    "type": "per_project_sum",
                    "clauses": [
                        {
                            "type": "flag",
                            "field": "in_production",
                            "label": "投产",
                            "points": 20,
                        }
                    ],
                },
            },
            {
                "code": "reprimand",
                "name": "市级通报批评扣分",
                "source": "daily",
                "rule": {"type": "entered", "min": -20, "max": 0},
            },
        ],
    },
    # 济南式现场观摩：现场观摩评价、日常考核评价、项目观摩评价排名，加权合成总分与名次。
    JINAN_OBSERVATION: {
        "name": "重大项目现场观摩综合评价（济南式加权）",
        "description": "现场观摩评价赋分（评委打分，5人及以上去掉一个最高分和一个最低分）占50%，"
        "日常考核评价赋分占30%，项目观摩评价排名赋分占20%，各部分按百分制加权。",
        "components": [
            {"code": "site", "name": "现场观摩评价赋分", "weight": 50, "full": 100},
            {"code": "daily", "name": "日常考核评价赋分", "weight": 30, "full": 100},
            {"code": "ranking", "name": "项目观摩评价排名", "weight": 20, "full": 100},
        ],
        "criteria": [
            {
                "code": "site",
                "name": "现场观摩评价",
                "component": "site",
                "source": "evaluator",
                "rule": {"type": "evaluator_mean", "max": 100, "drop_extremes_min_evaluators": 5},
            },
            {
                "code": "daily",
                "name": "日常考核评价",
                "component": "daily",
                "source": "daily",
                "rule": {"type": "entered", "min": 0, "max": 100},
            },
            {
                "code": "ranking",
                "name": "观摩评价排名",
                "component": "ranking",
                "source": "computed",
                "rule": {
                    "type": "rank_points",
                    "of": "criterion:site",
                    "bands": [
                        {"rank_from": 1, "rank_to": 3, "points": 100},
                        {"rank_from": 4, "rank_to": 6, "points": 90},
                        {"rank_from": 7, "rank_to": 10, "points": 80},
                        {"rank_from": 11, "rank_to": 999, "points": 70},
                    ],
                },
            },
        ],
    },
    # 漳州式：基础分100分，全年加减分。
    ZHANGZHOU_BASE: {
        "name": "重点项目考评（基础分加减分，漳州式）",
        "description": "以100分为基础分，全年按项目推进情况加分、减分，得分在0—120分之间。",
        "components": [],
        "criteria": [
            {
                "code": "year",
                "name": "全年加减分",
                "source": "daily",
                "rule": {"type": "base_adjust", "base": 100, "min": 0, "max": 120},
            }
        ],
    },
}
