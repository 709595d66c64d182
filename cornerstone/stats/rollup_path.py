"""Filling a cube from the rollup tables: four grouped reads of a few thousand rows.

The SQL is assembled from constants, integers and ``%s`` placeholders only (hence the
S608 waivers): the facet values and region bounds always travel as parameters.
"""

from __future__ import annotations

from django.db import connection

from cornerstone.stats.cube import Cube, event_clamp_sql, event_metrics_for


def _where(facet: str, values: list[str], bounds_: tuple[str, str] | None) -> tuple[str, list]:
    marks = ", ".join(["%s"] * len(values))
    sql = f"facet = %s AND value IN ({marks})"
    params: list = [facet, *values]
    if bounds_ is not None:
        sql += " AND region_id >= %s AND region_id < %s"
        params += list(bounds_)
    return sql, params


def cube_from_rollups(
    *,
    year: int,
    month: int,
    facet: str,
    values: list[str],
    region_bounds: tuple[str, str] | None,
    child_length: int,
    by_value: bool = False,
) -> Cube:
    """The figures of a region subtree (None: everywhere) for one facet.

    Grouped by sub-region (the first ``child_length`` digits of the code), or with
    ``by_value`` by the facet's values (the industry or tier breakdown).
    """
    cube = Cube(year=year, month=month)
    where, params = _where(facet, values, region_bounds)
    child = "value" if by_value else f"SUBSTR(region_id, 1, {int(child_length)})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {child}, stage_id, SUM(projects), SUM(total_investment_cents),"
            f" SUM(completed_before_year_cents) FROM stats_stockrollup WHERE {where}"
            " GROUP BY 1, 2",
            params,
        )
        for code, stage, projects, total, before in cursor.fetchall():
            cell = cube.cells[(code, stage)]
            cell.projects, cell.total, cell.before = int(projects), int(total), int(before)
        cursor.execute(
            f"SELECT {child}, stage_id, year, month, SUM(completed_cents), SUM(planned_cents),"
            " SUM(funds_in_place_cents), SUM(industry_completed_cents) FROM stats_monthrollup"
            f" WHERE {where} AND year IN (%s, %s) GROUP BY 1, 2, 3, 4",
            [*params, year, year - 1],
        )
        for code, stage, y, m, done, planned, funds, industry in cursor.fetchall():
            done, planned = int(done), int(planned)
            cube.series[(y, m)][0] += done
            cube.series[(y, m)][1] += planned
            cell = cube.cells[(code, stage)]
            if y == year:
                cell.plan_year += planned
                if m <= month:
                    cell.ytd += done
                    cell.plan_to_date += planned
                    cell.funds_ytd += int(funds)
                    cell.industry_ytd += int(industry)
            elif m <= month:
                cell.ytd_last += done
        # Grouped twice: SQL reduces ~1M (planned, actual) month pairs to the few thousand
        # the period can tell apart; Python then counts each in the metrics it meets.
        plan, actual = event_clamp_sql("plan_ym", year), event_clamp_sql("actual_ym", year)
        cursor.execute(
            f"SELECT {child}, event, {plan}, {actual}, SUM(projects) FROM stats_eventrollup"
            f" WHERE {where} GROUP BY 1, 2, 3, 4",
            params,
        )
        for code, event, plan_ym, actual_ym, n in cursor.fetchall():
            counts = cube.events[code]
            for name in event_metrics_for(event, plan_ym, actual_ym, year, month):
                counts[name] += int(n)
        cursor.execute(
            f"SELECT {child}, colour, SUM(projects) FROM stats_lightrollup WHERE {where}"
            " AND year = %s AND month = %s GROUP BY 1, 2",
            [*params, year, month],
        )
        for code, colour, n in cursor.fetchall():
            cube.lights[code][colour] += int(n)
    return cube
