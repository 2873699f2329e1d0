#!/usr/bin/env python3
"""Generate a calibration corpus: reports with known truth and realistic damage.

    python3 scripts/gen_calibration.py --out DIR [--start 0] [--count 400]

Documents are built with the corpus generator's report model and renderers (gen_corpus.py), then
damaged the way converters and crawlers damage real reports: value cells dropped or merged, a row's
columns shifted, digits split across cells, labels garbled, header rows lost, table 三 split across
pages with a page footer between, and text-only renderings with no cell separators. The truth of a
document is what its author wrote (the values before damage), in DIR_truth/<stem>.json in the shape of
../shared/real/truth/.

Document i is determined by i alone (random.Random(SEED + i)), so `--start 0 --count 400` and
`--start 400 --count 200` are disjoint, reproducible sets: the confidence model is fitted on one
range and evaluated on another (see README, "Confidence").
"""

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_corpus as G  # noqa: E402

SEED = 20261125
ORGS = ["东华门街道", "朝阳门街道", "建国门街道", "和平里街道", "安定门街道", "前门街道", "崇文门外街道",
        "龙潭街道", "天坛街道", "永定门外街道", "城关镇", "马坊镇", "桥头镇", "河西乡", "新城区市场监督管理局",
        "临平区教育局", "海曙区司法局", "宿城区财政局", "泉山区人民政府", "江宁区交通运输局"]
KINDS = {"街道": "街道", "镇": "镇", "乡": "镇"}
RENDERERS = ["txt", "md", "html", "docx", "docx-wps", "lines"]
DAMAGES = ["drop_cell", "merge_cells", "shift_row", "split_digits", "garble_label", "lose_header",
           "split_table"]
GARBLE = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
PAGE_MARKS = ["— {n} —", "- {n} -", "第 {n} 页"]


def base_specs():
    """Corpus specs usable as variation templates (no previous-year link, no seed text)."""
    out = []
    for a, k in G.specs():
        if k.get("prev") or k.get("seed") or k.get("inconsistent"):
            continue
        out.append((a, k))
    return out


def make_spec(i, rng, bases):
    (stem, renderer, org, year, tpl, kind, size), opts = rng.choice(bases)
    opts = {k: v for k, v in opts.items() if k not in ("variants", "notes")}
    org = rng.choice(ORGS)
    kind = next((v for s, v in KINDS.items() if org.endswith(s)), "部门")
    year = rng.choice([2019, 2020]) if tpl == "2019" else rng.choice([2021, 2022, 2023, 2024])
    size = rng.choice([0, 1, 3, 6, 12, 25, 60, 150])
    renderer = rng.choice(RENDERERS)
    return ((f"cal_{i:05d}", renderer, org, year, tpl, kind, size), opts)


def value_like(text):
    t = text.strip().translate(G.FW) if hasattr(G, "FW") else text.strip()
    return t == "" or t in ("/", "-", "—", "无") or re.fullmatch(r"[+-]?[\d,]+(\.\d+)?(元|万元)?(（.*）)?", t) is not None


def data_rows(t):
    """Indexes of rows holding values, and for each the index of its first value entry."""
    out = []
    for i, row in enumerate(t.rows):
        if i < t.header_rows:
            continue
        cells = [j for j, e in enumerate(row) if e["t"] == "cell"]
        if not cells:
            continue
        first = None
        for j in range(len(row)):
            if all(row[x]["t"] == "cell" and value_like(row[x]["text"]) for x in range(j, len(row))):
                first = j
                break
        if first is not None and first > 0 and any(row[x]["text"].strip() for x in range(first, len(row))):
            out.append((i, first))
    return out


def empty_cell():
    return {"t": "cell", "text": "", "cs": 1, "rs": 1, "kw": {}}


def damage(rep, rng, op):
    tables = [(bi, b[1]) for bi, b in enumerate(rep["blocks"]) if b[0] == "t"]
    t3 = [x for x in tables if x[1].kind == "t3"]
    pick = rng.choice(t3) if t3 and rng.random() < 0.7 else rng.choice(tables)
    bi, t = pick
    rows = data_rows(t)
    if op == "lose_header":
        if t.header_rows == 0:
            return False
        t.rows = t.rows[t.header_rows:]
        for e in t.rows[0]:
            if e["t"] == "cover":
                e.update(empty_cell())
        t.header_rows = 0
        return True
    if op == "split_table":
        if t.kind != "t3" or len(t.rows) < t.header_rows + 6:
            return False
        k = rng.randrange(t.header_rows + 3, len(t.rows) - 2)
        second = G.Table(t.kind, t.rows[k:], t.ncols, t.widths, 0)
        t.rows = t.rows[:k]
        for i, row in enumerate(t.rows):
            for e in row:
                if e["t"] == "cell":
                    e["rs"] = min(e["rs"], k - i)
        for e in second.rows[0]:
            if e["t"] == "cover":
                e.clear()
                e.update(empty_cell())
        mark = rng.choice(PAGE_MARKS).format(n=rng.randint(2, 9))
        rep["blocks"][bi + 1:bi + 1] = [("p", mark), ("t", second)]
        return True
    if not rows:
        return False
    ri, first = rng.choice(rows)
    row = t.rows[ri]
    vals = list(range(first, len(row)))
    if op == "garble_label":
        labels = [j for j in range(first) if row[j]["t"] == "cell" and len(row[j]["text"]) >= 4]
        if not labels:
            return False
        e = row[rng.choice(labels)]
        chars = list(e["text"])
        for _ in range(rng.randint(1, 2)):
            p = rng.randrange(len(chars))
            if rng.random() < 0.5:
                del chars[p]
            else:
                chars[p] = rng.choice(GARBLE)
            if len(chars) < 2:
                break
        e["text"] = "".join(chars)
        return True
    if op == "drop_cell":
        if len(vals) < 2:
            return False
        del row[rng.choice(vals)]
        return True
    if op == "merge_cells":
        if len(vals) < 2:
            return False
        j = rng.choice(vals[:-1])
        row[j]["text"] = row[j]["text"] + row[j + 1]["text"]
        del row[j + 1]
        return True
    if op == "shift_row":
        if len(vals) < 2:
            return False
        row.insert(first, empty_cell())
        del row[-1]
        return True
    if op == "split_digits":
        multi = [j for j in vals if re.fullmatch(r"\d{2,}", row[j]["text"].strip())]
        if not multi:
            return False
        j = rng.choice(multi)
        s = row[j]["text"].strip()
        cut = rng.randrange(1, len(s))
        row[j]["text"] = s[:cut]
        row.insert(j + 1, dict(empty_cell(), text=s[cut:]))
        return True
    raise ValueError(op)


def render_lines(rep, blocks):
    """A text-only rendering with no cell separators: each table row is one line of its cells'
    texts joined by single spaces (what copying a PDF table as text gives)."""
    out = []
    for b in blocks:
        if b[0] == "title":
            out += b[1]
        elif b[0] in ("h", "p"):
            out.append(b[1])
        elif b[0] == "t":
            for row in b[1].rows:
                cells = [e["text"].replace("\n", "") for e in row if e["t"] == "cell" and e["text"].strip()]
                if cells:
                    out.append(" ".join(cells))
    return ("\n".join(out) + "\n").encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--truth", help="folder for truth files (default: OUT/../<OUT name>_truth)")
    a = ap.parse_args()
    out = Path(a.out)
    truth_dir = Path(a.truth) if a.truth else out.parent / (out.name + "_truth")
    out.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    bases = base_specs()
    made = 0
    for i in range(a.start, a.start + a.count):
        rng = random.Random(SEED + i)
        spec = make_spec(i, rng, bases)
        rep = G.build_report(i, spec, None, {})
        ops = [] if rng.random() < 0.35 else rng.sample(DAMAGES, rng.choice([1, 1, 2]))
        applied = [op for op in ops if damage(rep, rng, op)]
        if rep["renderer"] == "lines":
            ext, data = ".txt", render_lines(rep, rep["blocks"])
        else:
            try:
                ext, data = G.render(rep)
            except Exception as e:  # a renderer that cannot draw the damaged grid: skip the damage
                print(f"{spec[0][0]}: {e}; rendered undamaged", file=sys.stderr)
                rep = G.build_report(i, spec, None, {})
                applied = []
                ext, data = G.render(rep)
        stem = spec[0][0]
        (out / (stem + ext)).write_bytes(data)
        truth = dict(rep["truth"])
        truth["damage"] = applied
        truth["renderer"] = rep["renderer"]
        (truth_dir / (stem + ".json")).write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                     encoding="utf-8")
        made += 1
    print(f"wrote {made} documents to {out}")


if __name__ == "__main__":
    main()
