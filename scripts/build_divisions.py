#!/usr/bin/env python3
"""Rebuild ``src/innocity/data/divisions.csv`` from cpca's ``resources/adcodes.csv`` (MIT licence).

Usage: pip download --no-deps cpca==0.5.5; unzip the wheel; python3 scripts/build_divisions.py PATH/adcodes.csv

Kept so the shipped table can be regenerated and reviewed; the package never downloads anything.
Output columns: adcode (6 digits), name, level (province|city|county), parent (adcode or empty),
province (name), city (name or empty). Placeholder rows such as 市辖区/县/省直辖县级行政区划 are kept as
parents but marked level ``group`` so that lookups by name skip them.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"11", "12", "31", "50"}


def main(src: str) -> None:
    names: dict[str, str] = {}
    with open(src, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["adcode"][6:].strip("0") == "":
                names[r["adcode"][:6]] = r["name"]
    out = Path(__file__).resolve().parent.parent / "src" / "innocity" / "data" / "divisions.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["adcode", "name", "level", "parent", "province", "city"])
        for code in sorted(names):
            name = names[code]
            pcode = code[:2] + "0000"
            province = names.get(pcode, "")
            if code.endswith("0000"):
                w.writerow([code, name, "province", "", name, ""])
                continue
            if code.endswith("00"):
                level = "group" if name in PLACEHOLDERS else "city"
                w.writerow([code, name, level, pcode, province, "" if level == "group" else name])
                continue
            ccode = code[:4] + "00"
            cname = names.get(ccode, "")
            if cname in PLACEHOLDERS or code[:2] in MUNICIPALITIES:
                # counties under a municipality or directly under a province: the parent is the province
                city = province if code[:2] in MUNICIPALITIES else ""
                w.writerow([code, name, "county", pcode, province, city])
            else:
                w.writerow([code, name, "county", ccode, province, cname])
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1])
