#!/usr/bin/env python3
"""Generate demo grids (网格) and micro-grids (微网格: 小区/楼栋) for 涟源市蓝田街道.

Deterministic: the same input always gives the same grids.csv.  Stdlib only.

Input : lantian.csv (code,name) next to this script; the 15 communities/villages
        are its 12-digit codes under 431382001.
Output: grids.csv (code,name,kind,parent,lat,lon,polygon) next to this script.

Layout: the street covers lon 111.650-111.680, lat 27.690-27.710 (涟源市城区).
The communities tile that box as a 5x3 block matrix (villages on the corners, urban
communities in the middle), grids tile their community block, micro-grids are inset
rectangles strictly inside their grid.  Polygons are GeoJSON Polygons, [lon, lat],
exterior ring counter-clockwise and closed; lat/lon columns are the rectangle centre.

    python3 gen_grids.py            # rewrite grids.csv
"""
import csv
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
STREET = "431382001"
SEED = 431382001
WEST, EAST, SOUTH, NORTH = 111.650, 111.680, 27.690, 27.710
PREC = 6

# Block matrix, north row first, west to east (last 3 digits of the village code).
LAYOUT = [
    ["205", "005", "004", "011", "209"],  # 联兴村 光明山 胡家 罗家佃 日升村
    ["001", "002", "003", "010", "009"],  # 民光 建中 光明街 交通路 文艺路
    ["211", "013", "014", "015", "212"],  # 峡中村 双江街 光文 新新 龙湖村
]

ESTATE_PREFIX = [
    "建设", "锦绣", "金海", "湄江", "康桥", "书香", "阳光", "丽都", "和平", "幸福",
    "龙城", "万象", "蓝田", "供销", "电力", "教师", "枫林", "翠园", "御景", "学府",
    "滨江", "盛世", "紫荆", "桂花", "芙蓉", "新华", "人民", "东方", "华府", "锦江",
    "香樟", "银杏", "兴隆", "福泰", "嘉和", "泰和", "湘中", "涟水", "龙湖", "秀水",
    "星城", "恒泰", "怡景", "安居", "金桂", "名都", "春晖", "百合", "天鹅", "明珠",
]
ESTATE_SUFFIX = ["小区", "花园", "苑", "华庭", "家园", "新村", "雅苑", "公寓", "佳园"]


def short_name(name):
    """民光社区居委会 -> 民光社区, 联兴村委会 -> 联兴村, 峡中村 -> 峡中村."""
    for suffix, repl in (("社区居委会", "社区"), ("居委会", "社区"), ("村委会", "村")):
        if name.endswith(suffix):
            return name[: -len(suffix)] + repl
    return name


def r(x):
    return round(x, PREC)


def rect(w, s, e, n):
    """Rounded (w, s, e, n) plus centroid and GeoJSON polygon string."""
    w, s, e, n = r(w), r(s), r(e), r(n)
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]  # counter-clockwise, closed
    poly = json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":"))
    return (w, s, e, n), r((s + n) / 2), r((w + e) / 2), poly  # centre of the rounded box


def tile(box, n):
    """Split box (w, s, e, n) into n cells exactly: rows north->south, cells west->east."""
    w, s, e, nn = box
    rows = max(1, round(n ** 0.5))
    counts = [n // rows + (1 if i < n % rows else 0) for i in range(rows)]
    cells = []
    h = (nn - s) / rows
    for i, cnt in enumerate(counts):
        top = nn - i * h
        bot = s if i == rows - 1 else nn - (i + 1) * h
        wd = (e - w) / cnt
        for j in range(cnt):
            left = w + j * wd
            right = e if j == cnt - 1 else w + (j + 1) * wd
            cells.append((left, bot, right, top))
    return cells


def inset(box, k, rng):
    """k non-overlapping rectangles strictly inside box, laid out in a row or column."""
    w, s, e, n = box
    mw, mh = (e - w) * 0.08, (n - s) * 0.08
    w, s, e, n = w + mw, s + mh, e - mw, n - mh
    horizontal = (e - w) >= (n - s)
    out = []
    for i in range(k):
        if horizontal:
            span = (e - w) / k
            a, b = w + i * span, w + (i + 1) * span
            gap = span * 0.06
            # slight jitter in the cross direction keeps the map from looking stamped
            js, jn = rng.uniform(0, 0.1), rng.uniform(0, 0.1)
            out.append((a + gap, s + (n - s) * js, b - gap, n - (n - s) * jn))
        else:
            span = (n - s) / k
            a, b = n - i * span, n - (i + 1) * span
            gap = span * 0.06
            jw, je = rng.uniform(0, 0.1), rng.uniform(0, 0.1)
            out.append((w + (e - w) * jw, b + gap, e - (e - w) * je, a - gap))
    return out


def main():
    with open(os.path.join(HERE, "lantian.csv"), encoding="utf-8", newline="") as f:
        names = {row["code"]: row["name"] for row in csv.DictReader(f)}
    villages = {c[-3:]: c for c in names if len(c) == 12 and c.startswith(STREET)}
    placed = [v for row in LAYOUT for v in row]
    if sorted(placed) != sorted(villages):
        raise SystemExit("LAYOUT does not match the villages in lantian.csv: %s vs %s"
                         % (sorted(placed), sorted(villages)))

    rng = random.Random(SEED)
    estates = [p + s for p in ESTATE_PREFIX for s in ESTATE_SUFFIX]
    rng.shuffle(estates)
    estate_iter = iter(estates)

    rows_out = []
    nrows, ncols = len(LAYOUT), len(LAYOUT[0])
    bw, bh = (EAST - WEST) / ncols, (NORTH - SOUTH) / nrows
    for i, row in enumerate(LAYOUT):
        for j, suffix in enumerate(row):
            vcode = villages[suffix]
            vname = short_name(names[vcode])
            is_village = vname.endswith("村")
            block = (WEST + j * bw, NORTH - (i + 1) * bh, WEST + (j + 1) * bw, NORTH - i * bh)
            ngrids = rng.randint(3, 8)
            group = 1  # 村民小组 numbering runs across the village's grids
            for g, gbox in enumerate(tile(block, ngrids), 1):
                gcode = "%s%03d" % (vcode, g)
                gb, glat, glon, gpoly = rect(*gbox)
                rows_out.append((gcode, "%s第%d网格" % (vname, g), "grid", vcode, glat, glon, gpoly))
                nmicro = rng.randint(2, 4)
                if is_village:
                    kinds = ["小区"] * nmicro
                else:
                    n_estates = rng.randint(0, nmicro)
                    kinds = ["小区"] * n_estates + ["楼栋"] * (nmicro - n_estates)
                bld = rng.randint(1, 6)
                for m, (kind, mbox) in enumerate(zip(kinds, inset(gb, nmicro, rng)), 1):
                    mcode = "%s%03d" % (gcode, m)
                    if kind == "楼栋":
                        mname = "%d栋" % bld
                        bld += rng.randint(1, 3)
                    elif is_village:
                        mname = "%s%d组居民点" % (vname[:-1], group)
                        group += 1
                    else:
                        mname = next(estate_iter)
                    _, mlat, mlon, mpoly = rect(*mbox)
                    rows_out.append((mcode, mname, kind, gcode, mlat, mlon, mpoly))

    with open(os.path.join(HERE, "grids.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "kind", "parent", "lat", "lon", "polygon"])
        w.writerows(rows_out)
    grids = sum(1 for x in rows_out if x[2] == "grid")
    print("grids.csv: %d grids, %d micro-grids" % (grids, len(rows_out) - grids))


if __name__ == "__main__":
    main()
