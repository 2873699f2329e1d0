#!/usr/bin/env python3
"""Sanity-check the generated corpus (python3 scripts/check_corpus.py [--corpus DIR] [--no-regen]).

* every document has a truth file and every truth file a document; each file < 200 KB;
* every .docx is a zip whose word/document.xml (and docProps/core.xml) parse with xml.etree;
* every .html decodes strictly as GBK and declares charset=gb2312; .txt/.md decode as UTF-8;
* every truth file has all canonical keys of its template, values number | null | "na";
* the identities T3-COL, T3-SUM, T3-ROW, T4-SUM and X-CARRY hold where assessable (no null/na
  operand), and fail exactly for the rules listed in the truth's "expected_violations";
* unless --no-regen: gen_corpus.py run into a temporary directory reproduces every file byte for byte.
Exit status 1 when any check fails.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_corpus as G  # noqa: E402

LIMIT = 200 * 1024


def num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def identities(t):
    """Rule id -> list of failure messages (only assessable checks are evaluated)."""
    f, tpl = t["fields"], t["template"]
    fails = {}

    def fail(rule, msg):
        fails.setdefault(rule, []).append(msg)

    def get(k):
        return f.get(k)

    rr = G.result_rows(tpl)
    for c in G.COLS:
        a = [get(f"requests.{r}.{c}") for r in ("new", "carried_over", "total", "carry_forward")]
        if all(num(x) for x in a) and abs(a[0] + a[1] - a[2] - a[3]) > 1e-9:
            fail("T3-COL", f"{c}: {a[0]}+{a[1]} != {a[2]}+{a[3]}")
        parts = [get(f"requests.{r}.{c}") for r in rr]
        tot = get(f"requests.total.{c}")
        if num(tot) and all(num(x) for x in parts) and abs(sum(parts) - tot) > 1e-9:
            fail("T3-SUM", f"{c}: sum {sum(parts)} != {tot}")
    for r in G.t3_rows(tpl):
        vals = [get(f"requests.{r}.{c}") for c in G.COLS]
        if all(num(x) for x in vals) and abs(sum(vals[:6]) - vals[6]) > 1e-9:
            fail("T3-ROW", f"{r}: {sum(vals[:6])} != {vals[6]}")
    for g in G.T4_GROUPS:
        vals = [get(f"{g}.{c}") for c in G.T4_COLS]
        if all(num(x) for x in vals) and sum(vals[:4]) != vals[4]:
            fail("T4-SUM", f"{g}: {sum(vals[:4])} != {vals[4]}")
    return fails


def expected_keys(t):
    subs = sorted({k.split(".")[2] for k in t["fields"] if k.startswith("proactive.other_services.")
                   and k.count(".") == 3})
    return set(G.all_keys(t["template"], [(None, s) for s in subs] or None))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(G.ROOT / "corpus"))
    ap.add_argument("--truth", default=str(G.ROOT / "expected" / "truth"))
    ap.add_argument("--no-regen", action="store_true")
    a = ap.parse_args()
    corpus = Path(a.corpus)
    errors = []
    docs = sorted(p for p in corpus.iterdir() if p.is_file())
    truths = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(a.truth).glob("*.json"))}
    stems = {p.stem for p in docs}
    for s in sorted(set(truths) - stems):
        errors.append(f"truth/{s}.json: no document")
    for p in docs:
        name = p.name
        data = p.read_bytes()
        if p.stem not in truths:
            errors.append(f"{name}: no truth file")
        if G.is_rendition(name):
            # made by make_renditions.sh from a generated report: same truth, any format
            if len(data) >= 300 * 1024:
                errors.append(f"{name}: {len(data)} bytes >= 300 KB")
            continue
        if len(data) >= LIMIT:
            errors.append(f"{name}: {len(data)} bytes >= 200 KB")
        try:
            if p.suffix == ".docx":
                with zipfile.ZipFile(p) as z:
                    names = z.namelist()
                    for need in ("[Content_Types].xml", "_rels/.rels", "word/document.xml",
                                 "word/_rels/document.xml.rels", "word/styles.xml", "docProps/core.xml",
                                 "docProps/app.xml"):
                        if need not in names:
                            errors.append(f"{name}: missing {need}")
                    ET.fromstring(z.read("word/document.xml"))
                    core = ET.fromstring(z.read("docProps/core.xml"))
                    title = core.find("{http://purl.org/dc/elements/1.1/}title")
                    if title is None or not title.text:
                        errors.append(f"{name}: docProps/core.xml has no dc:title")
            elif p.suffix == ".html":
                text = data.decode("gbk")
                if "charset=gb2312" not in text:
                    errors.append(f"{name}: no charset=gb2312 meta")
            elif p.suffix in (".txt", ".md"):
                data.decode("utf-8")
            else:
                errors.append(f"{name}: unexpected file type")
        except Exception as e:  # noqa: BLE001 - report any reader failure
            errors.append(f"{name}: {type(e).__name__}: {e}")
    for stem, t in truths.items():
        for k in ("organization", "year", "template", "fields"):
            if k not in t:
                errors.append(f"truth/{stem}: missing {k}")
        keys = expected_keys(t)
        got = set(t["fields"])
        if keys != got:
            errors.append(f"truth/{stem}: keys differ: missing {sorted(keys - got)[:3]} extra {sorted(got - keys)[:3]}")
        for k, v in t["fields"].items():
            if not (v is None or v == "na" or num(v)):
                errors.append(f"truth/{stem}: {k} = {v!r}")
        fails = identities(t)
        prev = t.get("previous_report")
        if prev:
            pf = truths[prev]["fields"]
            for c in G.COLS:
                x, y = t["fields"][f"requests.carried_over.{c}"], pf[f"requests.carry_forward.{c}"]
                if num(x) and num(y) and x != y:
                    fails.setdefault("X-CARRY", []).append(f"{c}: {x} != {prev} {y}")
        exp = set(t.get("expected_violations", []))
        if set(fails) != exp:
            errors.append(f"truth/{stem}: failing rules {sorted(fails)} but expected {sorted(exp)}: {fails}")
    if not a.no_regen:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--out", tmp + "/corpus",
                            "--truth", tmp + "/truth"], check=True, stdout=subprocess.DEVNULL)
            regen = [p for p in Path(tmp).rglob("*") if p.is_file()]
            for q in regen:
                rel = q.relative_to(tmp)
                base = corpus if rel.parts[0] == "corpus" else Path(a.truth)
                orig = base / Path(*rel.parts[1:])
                if not orig.exists() or orig.read_bytes() != q.read_bytes():
                    errors.append(f"{rel}: not reproduced byte for byte by gen_corpus.py")
            own = len([p for p in docs if not G.is_rendition(p.name)]) + \
                len([s for s in truths if not G.is_rendition(s)])
            if len(regen) != own:
                errors.append(f"regeneration wrote {len(regen)} files, corpus has {own}")
    for e in errors:
        print("FAIL", e)
    print(f"checked {len(docs)} documents, {len(truths)} truth files: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
