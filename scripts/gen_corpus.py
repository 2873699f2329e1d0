#!/usr/bin/env python3
"""Generate the synthetic test corpus of 政府信息公开工作年度报告 for xxgk.

Usage:
    python3 scripts/gen_corpus.py [--out DIR] [--seed PATH]

Writes every report file into DIR (default: corpus/ next to scripts/) and its
ground truth into expected/truth/<file stem>.json.  Everything is deterministic:
all randomness comes from random.Random with fixed per-report seeds, zip
entries carry the fixed date 1980-01-01 and docProps carry
2021-01-01T00:00:00Z, so re-running produces byte-identical files.

Only the Python 3.11 standard library is used.  The narrative text of the
seed-derived reports (seed_jingshan_2020.*) is read at generation time from
the seed text file (default /work/shared/seeds/000_31451f56acce7a8f.txt, or
--seed / $XXGK_SEED); if it cannot be read, a built-in placeholder narrative
is used and a warning is printed (the seed trio's bytes then differ).

Truth files: {"organization","year","template","fields":{key: number|null|"na"},
"notes":[...], "variants":[...], "expected_violations":[rule ids],
"previous_report": stem or null}.  Blank cells -> null, "/" "-" "—" "无" -> "na",
money in 万元.  See scripts/README.md for the list of variants.
"""

import argparse
import html
import json
import os
import random
import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape as xesc

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = "/work/shared/seeds/000_31451f56acce7a8f.txt"
FIXED_DATE = "2021-01-01T00:00:00Z"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# ---------------------------------------------------------------- canon --

COLS = ["natural_person", "commercial", "research", "social_org",
        "legal_service", "other_org", "total"]
APPLICANT_COLS = COLS[:6]

WITHHELD = [("withheld_state_secret", "属于国家秘密"),
            ("withheld_law_forbidden", "其他法律行政法规禁止公开"),
            ("withheld_security_stability", "危及{q}"),
            ("withheld_third_party", "保护第三方合法权益"),
            ("withheld_internal_affairs", "属于三类内部事务信息"),
            ("withheld_process_info", "属于四类过程性信息"),
            ("withheld_enforcement_file", "属于行政执法案卷"),
            ("withheld_admin_query", "属于行政查询事项")]
UNABLE = [("unable_not_held", "本机关不掌握相关政府信息"),
          ("unable_needs_creation", "没有现成信息需要另行制作"),
          ("unable_unclear", "补正后申请内容仍不明确")]
DECLINED = [("declined_petition", "信访举报投诉类申请"),
            ("declined_duplicate", "重复申请"),
            ("declined_publication", "要求提供公开出版物"),
            ("declined_mass_repeated", "无正当理由大量反复申请"),
            ("declined_confirm_reissue", "要求行政机关确认或重新出具已获取信息")]
OTHER21 = [("other_overdue_correction", "申请人无正当理由逾期不补正{s}行政机关不再处理其政府信息公开申请"),
           ("other_overdue_fee", "申请人逾期未按收费通知要求缴纳费用{s}行政机关不再处理其政府信息公开申请"),
           ("other_misc", "其他")]


def result_rows(tpl):
    rows = ["granted", "partial"] + [k for k, _ in WITHHELD] + [k for k, _ in UNABLE] + [k for k, _ in DECLINED]
    rows += ["other"] if tpl == "2019" else [k for k, _ in OTHER21]
    return rows


def t3_rows(tpl):
    return ["new", "carried_over"] + result_rows(tpl) + ["total", "carry_forward"]


T4_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T4_KEYS = [f"{g}.{c}" for g in T4_GROUPS for c in T4_COLS]

BLOCKS19 = [
    ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
     [("规章", "rules", ["made", "published", "total_published"]),
      ("规范性文件", "normative", ["made", "published", "total_published"])]),
    ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
     [("行政许可", "licensing", ["prev_items", "change", "decisions"]),
      ("其他对外管理服务事项", "other_services", ["prev_items", "change", "decisions"])]),
    ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
     [("行政处罚", "punishment", ["prev_items", "change", "decisions"]),
      ("行政强制", "coercion", ["prev_items", "change", "decisions"])]),
    ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"],
     [("行政事业性收费", "fees", ["prev_items", "change"])]),
    ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"],
     [("政府集中采购", "procurement", ["items", "amount"])]),
]
BLOCKS21 = [
    ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
     [("规章", "rules", ["issued", "repealed", "in_force"]),
      ("行政规范性文件", "normative", ["issued", "repealed", "in_force"])]),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"],
     [("行政许可", "licensing", ["decisions"])]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
     [("行政处罚", "punishment", ["decisions"]), ("行政强制", "coercion", ["decisions"])]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"],
     [("行政事业性收费", "fees", ["amount"])]),
]
SUB_LABELS = {"inspection": "行政检查", "confirmation": "行政确认", "payment": "行政给付",
              "reward": "行政奖励", "adjudication": "行政裁决", "other": "其他"}
MONEY_KEYS = {"proactive.procurement.amount", "proactive.fees.amount"}


def t2_keys(tpl, subrows=None):
    keys = []
    for _, _, rows in (BLOCKS19 if tpl == "2019" else BLOCKS21):
        for _, pre, cols in rows:
            if pre == "other_services" and subrows:
                for _, sub in subrows:
                    keys += [f"proactive.other_services.{sub}.{c}" for c in cols]
            else:
                keys += [f"proactive.{pre}.{c}" for c in cols]
    return keys


def all_keys(tpl, subrows=None):
    return (t2_keys(tpl, subrows)
            + [f"requests.{r}.{c}" for r in t3_rows(tpl) for c in COLS]
            + T4_KEYS)


NA_TOKENS = {"/", "-", "—", "无", "不适用", "／", "－"}
FW = str.maketrans("０１２３４５６７８９．，＋－", "0123456789.,+-")


def parse_cell(raw, money=False):
    """The truth value of a printed cell: None (blank), "na", or a number."""
    s = raw.replace("\u3000", "").replace("\xa0", "").strip()
    if s == "":
        return None
    if s in NA_TOKENS:
        return "na"
    t = s.translate(FW).replace(",", "")
    m = re.match(r"[+-]?\d+(?:\.\d+)?", t)
    if not m:
        raise ValueError(f"unparseable cell {raw!r}")
    num = m.group()
    rest = t[m.end():]
    if money and rest.startswith("元"):
        return round(float(num) / 10000, 6)
    if "." in num:
        return float(num)
    return int(num)


def to_fullwidth(s):
    return s.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


# ------------------------------------------------------------ table model --

class S:
    """A slot in a table row before merging: text (None = continuation), colspan, group id."""

    def __init__(self, text, cs=1, gid=None, **kw):
        self.text, self.cs, self.gid, self.kw = text, cs, gid, kw


class Table:
    def __init__(self, kind, rows, ncols, widths, header_rows):
        self.kind, self.rows, self.ncols, self.widths, self.header_rows = kind, rows, ncols, widths, header_rows
        self.grid_before = set()


def finalize(kind, slot_rows, widths, header_rows):
    """Turn slot rows into rows of entries: cells (with rs/cs) and covers."""
    pos_rows = []
    for r in slot_rows:
        col, d = 0, {}
        for s in r:
            d[col] = s
            col += s.cs
        pos_rows.append(d)
    ncols = sum(s.cs for s in slot_rows[0])
    out = []
    for i, d in enumerate(pos_rows):
        row = []
        for col, s in d.items():
            prev = pos_rows[i - 1].get(col) if i > 0 else None
            if s.gid is not None and prev is not None and prev.gid == s.gid:
                row.append({"t": "cover", "cs": s.cs, "kw": s.kw})
                continue
            rs = 1
            while i + rs < len(pos_rows) and s.gid is not None and \
                    pos_rows[i + rs].get(col) is not None and pos_rows[i + rs][col].gid == s.gid:
                rs += 1
            row.append({"t": "cell", "text": s.text or "", "cs": s.cs, "rs": rs, "kw": s.kw})
        out.append(row)
    return Table(kind, out, ncols, widths, header_rows)


# ------------------------------------------------------------- builders --

def sub_num(i, style):
    return {"1.": f"{i}.", "1．": f"{i}．", "1、": f"{i}、", "1. ": f"{i}. "}[style]


QUOTES = {"curly": "“三安全一稳定”", "ascii": '"三安全一稳定"', "single": "'三安全一稳定'"}


def build_t3(rep):
    o, tpl, raw = rep["opts"], rep["template"], rep["t3raw"]
    seed = o.get("seed_style")
    q = QUOTES[o.get("quote", "curly")]
    sn = o.get("subnum", "1.")
    lp = o.get("lp_label", "法人或其他组织")
    hdr = [
        [S("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, "corner"),
         S("申请人情况", 7)],
        [S(None, 3, "corner"), S("自然人", 1, "np"), S(lp, 5), S("总计", 1, "tot")],
        [S(None, 3, "corner"), S(None, 1, "np"),
         S("商业企业" if seed else "商业\n企业", paras=True), S("科研机构" if seed else "科研\n机构", paras=True),
         S("社会公益组织"), S("法律服务机构"), S("其他"), S(None, 1, "tot")],
    ]
    r3 = "三、本年度办理结果"
    groups = {"（三）": "（三）不予\n公开" if seed else "（三）不予公开",
              "（四）": "（四）无法\n提供" if seed else "（四）无法提供",
              "（五）": "（五）不予\n处理" if seed else "（五）不予处理",
              "（六）": o.get("other6_label", "（六）其他处理")}
    partial = o.get("partial_label", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    labels = {"new": ("L1", "一、本年新收政府信息公开申请数量"),
              "carried_over": ("L1", "二、上年结转政府信息公开申请数量"),
              "granted": ("L2", "（一）予以公开"), "partial": ("L2", partial),
              "other": ("L2", "（六）其他处理"), "total": ("L2", o.get("total_label", "（七）总计")),
              "carry_forward": ("L1", o.get("carry_label", "四、结转下年度继续办理"))}
    for g, items in (("（三）", WITHHELD), ("（四）", UNABLE), ("（五）", DECLINED), ("（六）", OTHER21)):
        for i, (k, lab) in enumerate(items, 1):
            labels[k] = ("L3", g, sub_num(i, sn) + lab.format(q=q, s=o.get("sep6", "、")))
    data = []
    for r in t3_rows(tpl):
        spec = labels[r]
        vals = [S(raw[f"requests.{r}.{c}"]) for c in COLS]
        if spec[0] == "L1":
            data.append([S(spec[1], 3)] + vals)
        elif spec[0] == "L2":
            data.append([S(r3, 1, "r3", vertical=True), S(spec[1], 2)] + vals)
        else:
            data.append([S(r3, 1, "r3", vertical=True), S(groups[spec[1]], 1, "g" + spec[1]), S(spec[2])] + vals)
    if seed:  # the Word bookmark artefact of the seed text
        data[-1][0].kw["bookmark"] = True
    widths = [700, 1100, 2500] + [720] * 7
    if o.get("split_t3"):
        cut = 2 + t3_rows(tpl).index("unable_not_held") + 1
        slots = hdr + data
        return [finalize("t3", slots[:cut], widths, 3), "pagebreak", finalize("t3", slots[cut:], widths, 0)]
    return [finalize("t3", hdr + data, widths, 3)]


def build_t4(rep):
    o, raw = rep["opts"], rep["t4raw"]
    if o.get("seed_style"):
        h2 = ["结\n果\n维\n持", "结果纠正", "其他结果", "尚未审结", "总 计"]
        h3 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    else:
        h2 = ["结果维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
        h3 = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    paras = bool(o.get("seed_style"))
    rows = [[S("行政复议", 5), S("行政诉讼", 10)],
            [S(t, 1, f"a{i}", paras=paras) for i, t in enumerate(h2)] + [S("未经复议直接起诉", 5), S("复议后起诉", 5)],
            [S(None, 1, f"a{i}") for i in range(5)] + [S(t) for t in h3 * 2],
            [S(raw[k]) for k in T4_KEYS]]
    return finalize("t4", rows, [600] * 15, 3)


def build_t2(rep):
    o, tpl, raw = rep["opts"], rep["template"], rep["t2raw"]
    hmap, lmap = o.get("hdr_map", {}), o.get("label_map", {})
    subrows = o.get("subrows")
    lab_cs = 2 if subrows else 1
    ncols = lab_cs + 3
    rows = []
    if o.get("t2_title_row"):
        rows.append([S("主动公开政府信息情况", ncols)])
    for bi, (title, hdrs, drows) in enumerate(BLOCKS19 if tpl == "2019" else BLOCKS21):
        rows.append([S(title, ncols)])
        vh = [S(hmap.get(h, h)) for h in hdrs[1:]]
        if len(vh) < 3:
            vh[-1].cs = 4 - len(vh)
        rows.append([S(hdrs[0], lab_cs)] + vh)
        for label, pre, cols in drows:
            label = lmap.get(label, label)
            if pre == "other_services" and subrows:
                for j, (sl, sub) in enumerate(subrows):
                    vals = [S(raw[f"proactive.other_services.{sub}.{c}"]) for c in cols]
                    rows.append([S(label if j == 0 else None, 1, "os"), S(sl)] + vals)
                continue
            vals = [S(raw[f"proactive.{pre}.{c}"]) for c in cols]
            if len(vals) < 3:
                vals[-1].cs = 4 - len(vals)
            rows.append([S(label, lab_cs)] + vals)
        for (ebi, elabel, evals) in o.get("extra_t2_rows", []):
            if ebi == bi:
                rows.append([S(elabel, lab_cs)] + [S(v) for v in evals])
    widths = ([1300, 1500] if subrows else [2800]) + [2000] * 3
    t = finalize("t2", rows, widths, 0)
    t.grid_before = {0}  # used only by the WPS renderer when opts["grid_before"] is set
    return t


# ----------------------------------------------------------- values gen --

def gen_t3(rng, tpl, size, carried=None, zero_rows=(), busy=False):
    weights = {"granted": 5, "partial": 1.2, "withheld_state_secret": .05, "withheld_law_forbidden": .2,
               "withheld_security_stability": .05, "withheld_third_party": .3, "withheld_internal_affairs": .3,
               "withheld_process_info": .4, "withheld_enforcement_file": .2, "withheld_admin_query": .2,
               "unable_not_held": 2.2, "unable_needs_creation": .5, "unable_unclear": .3,
               "declined_petition": .5, "declined_duplicate": .4, "declined_publication": .1,
               "declined_mass_repeated": .1, "declined_confirm_reissue": .2, "other": .6,
               "other_overdue_correction": .5, "other_overdue_fee": .03, "other_misc": .4}
    rr = [r for r in result_rows(tpl) if r not in zero_rows]
    w = [weights[r] for r in rr]
    new = [size, rng.choice([0, 0, 1, 2, 3]) * (3 if busy else 1), rng.choice([0, 0, 0, 1]), rng.choice([0, 0, 0, 1]),
           rng.choice([0, 0, 1]), rng.choice([0, 0, 1, 2])]
    if carried is None:
        carried = [rng.choice([0, 0, 1, 2]), rng.choice([0, 0, 1])] + [0] * 4
    v = {r: [0] * 7 for r in t3_rows(tpl)}
    for c in range(6):
        avail = new[c] + carried[c]
        cf = min(avail, rng.choice([0, 0, 1, 2, 3]) if c < 2 else 0)
        v["new"][c], v["carried_over"][c], v["carry_forward"][c] = new[c], carried[c], cf
        for _ in range(avail - cf):
            v[rng.choices(rr, w)[0]][c] += 1
    for r in rr:
        for c in range(6):
            v["total"][c] += v[r][c]
    for r in v:
        v[r][6] = sum(v[r][:6])
    return v


def gen_t4(rng, busy=False):
    out = []
    for g in range(3):
        hi = 4 if busy else 2
        vals = [rng.randint(0, hi), rng.choice([0, 0, 0, 1]), rng.choice([0, 0, 1]), rng.choice([0, 0, 1])]
        if g == 2:
            vals = [rng.choice([0, 0, 1]), 0, 0, rng.choice([0, 0, 1])]
        out += vals + [sum(vals)]
    return out


def signed(n):
    return f"+{n}" if n > 0 else str(n)


def gen_t2(rng, tpl, kind, subrows=None, sign=False):
    big = kind in ("部门", "市")
    r = {}
    if tpl == "2019":
        def ch(n):
            return signed(n) if sign else str(n)
        made = rng.randint(0, 3) if kind == "市" else 0
        r.update({"proactive.rules.made": str(made), "proactive.rules.published": str(made),
                  "proactive.rules.total_published": str(made + (rng.randint(5, 60) if kind == "市" else 0))})
        nm = rng.randint(0, 6)
        r.update({"proactive.normative.made": str(nm), "proactive.normative.published": str(nm),
                  "proactive.normative.total_published": str(nm + rng.randint(0, 40))})
        blocks = [("licensing", 60 if big else 8, 2000 if big else 60), ("punishment", 30 if big else 5, 400),
                  ("coercion", 10 if big else 2, 30)]
        os_list = [f"other_services.{s}" for _, s in subrows] if subrows else ["other_services"]
        blocks += [(x, 20, 300) for x in os_list]
        for pre, pmax, dmax in blocks:
            prev = rng.randint(0, pmax)
            r[f"proactive.{pre}.prev_items"] = str(prev)
            r[f"proactive.{pre}.change"] = ch(rng.randint(-min(prev, 3), 5))
            r[f"proactive.{pre}.decisions"] = str(rng.randint(0, dmax))
        r["proactive.fees.prev_items"] = str(rng.randint(0, 4) if big else 0)
        r["proactive.fees.change"] = "0"
        items = rng.randint(0, 30)
        r["proactive.procurement.items"] = str(items)
        r["proactive.procurement.amount"] = f"{rng.randint(0, 5000000) / 10000:.4f}" if items else "0"
    else:
        iss = rng.randint(0, 3) if kind == "市" else 0
        r.update({"proactive.rules.issued": str(iss), "proactive.rules.repealed": "0",
                  "proactive.rules.in_force": str(iss + (rng.randint(10, 80) if kind == "市" else 0))})
        ni = rng.randint(0, 6)
        nr = rng.randint(0, 2)
        r.update({"proactive.normative.issued": str(ni), "proactive.normative.repealed": str(nr),
                  "proactive.normative.in_force": str(ni + rng.randint(nr, 40))})
        r["proactive.licensing.decisions"] = str(rng.randint(0, 3000 if big else 150))
        r["proactive.punishment.decisions"] = str(rng.randint(0, 900 if big else 200))
        r["proactive.coercion.decisions"] = str(rng.randint(0, 40))
        r["proactive.fees.amount"] = "0"
    return r


# ------------------------------------------------------------- narrative --

def narrative(rep, rng):
    org, y, v = rep["org_short"], rep["year"], rep["t3"]
    n_new, n_car, n_cf = v["new"][6], v["carried_over"][6], v["carry_forward"][6]
    n_grant = v["granted"][6]
    n_pub = rng.randint(80, 900)
    rev = rep["t4"][4]
    lit = rep["t4"][9] + rep["t4"][14]
    ov = [
        f"{y}年，{org}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级关于政务公开工作的部署要求，围绕中心工作，持续深化政务公开，不断提升政府信息公开工作质量和实效。",
        f"（一）主动公开。全年通过政府网站、政务新媒体等渠道主动公开政府信息{n_pub}条，其中政策文件{rng.randint(3, 40)}件、政策解读{rng.randint(2, 30)}篇，重点领域信息公开及时准确。",
        f"（二）依申请公开。{y}年共收到政府信息公开申请{n_new}件，上年结转{n_car}件，其中予以公开{n_grant}件，结转下年度继续办理{n_cf}件，均按照法定时限和程序答复。",
        "（三）政府信息管理。严格落实公开前保密审查和合法性审查机制，动态更新政府信息公开目录和主动公开基本目录，做好政策文件清理工作。",
        "（四）政府信息公开平台建设。持续加强政府网站信息公开专栏建设，规范栏目设置，优化检索功能，提升政务新媒体发布质量。",
        f"（五）监督保障。将政务公开工作纳入年度绩效考核，组织业务培训{rng.randint(1, 6)}次，本年度未发生因政府信息公开工作引发的责任追究情况。",
    ]
    rq = [f"本年度共新收政府信息公开申请{n_new}件，办理结果见下表。"] if rng.random() < .5 else []
    rv = [f"本年度因政府信息公开工作被申请行政复议{rev}件，提起行政诉讼{lit}件。"] if rng.random() < .5 else []
    pr = [f"（一）存在的问题。一是政策解读形式还不够丰富；二是依申请公开答复的规范化水平有待提高；三是基层政务公开标准化建设仍需加强。",
          f"（二）改进措施。{y + 1}年，{org}将进一步加强业务培训，完善公开工作机制，丰富解读形式，推动政务公开工作提质增效。"]
    ot = ["本年度未收取信息处理费。" if rng.random() < .6 else "无。"]
    return {"overview": ov, "proactive": [], "requests": rq, "review_litigation": rv, "problems": pr, "other": ot}


HEADINGS = {
    "overview": "一、总体情况", "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况", "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
SECTION_ORDER = ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
ARABIC = "123456"


def heading(key, style, overrides):
    h = overrides.get(key, HEADINGS[key])
    i = SECTION_ORDER.index(key)
    body = h.split("、", 1)[1]
    if style == "arabic":
        return f"{ARABIC[i]}、 {body}"
    if style == "nonum":
        return body
    return h


def compose(rep, rng):
    """The document as a list of blocks: ("title", lines) ("h", text) ("p", text) ("t", Table) ("pb",)."""
    o = rep["opts"]
    texts = rep.get("narrative") or narrative(rep, rng)
    blocks = [("title", rep.get("title_lines") or [rep["title"]])]
    t2, t3, t4 = [build_t2(rep)], build_t3(rep), [build_t4(rep)]
    tables = {"proactive": t2, "requests": t3, "review_litigation": t4}
    hov = o.get("heading_over", {})

    def put_tables(key):
        for t in tables[key]:
            blocks.append(("pb",) if t == "pagebreak" else ("t", t))
        if key == "review_litigation" and o.get("t4_footnote"):
            blocks.append(("p", "注：行政复议、行政诉讼数量含上年度结转数量。"))

    if o.get("headings") == "shanghai":
        extra = [("一、总体情况", texts["overview"][:1]),
                 ("二、工作机制保障", [texts["overview"][5]]),
                 ("三、主动公开工作情况", [texts["overview"][1]]),
                 ("四、政府信息公开申请情况", [texts["overview"][2]]),
                 ("五、政府信息管理", [texts["overview"][3]]),
                 ("六、政府信息公开平台建设", [texts["overview"][4]])]
        for h, ps in extra:
            blocks.append(("h", h))
            blocks += [("p", p) for p in ps]
        for h, key in (("一、主动公开政府信息情况", "proactive"), ("二、收到和处理政府信息公开申请情况", "requests"),
                       ("三、政府信息公开行政复议、行政诉讼情况", "review_litigation")):
            blocks.append(("h", h))
            put_tables(key)
        blocks.append(("h", "四、政府信息公开工作存在的主要问题及改进情况"))
        blocks += [("p", p) for p in texts["problems"]]
        blocks.append(("h", "五、其他需要报告的事项"))
        blocks += [("p", p) for p in texts["other"]]
        return blocks
    for key in SECTION_ORDER:
        if key == "other" and o.get("five_parts"):
            continue
        h = rep["seed_headings"][key] if rep.get("seed_headings") else heading(key, o.get("headings"), hov)
        blocks.append(("h", h))
        blocks += [("p", p) for p in texts[key]]
        if key in tables:
            put_tables(key)
    return blocks


# ------------------------------------------------------------ renderers --

def cell_lines(e):
    return e["text"].split("\n")


def render_txt(rep, blocks):
    out = []
    for b in blocks:
        if b[0] == "title":
            out += b[1] + [""]
        elif b[0] in ("h", "p"):
            out.append(b[1])
        elif b[0] == "pb":
            continue
        elif b[0] == "t":
            t = b[1]
            if out and out[-1] != "" and not (rep["opts"].get("seed_style") and t.kind != "t2"):
                out.append("")
            for row in t.rows:
                for e in row:
                    if e["t"] == "cover":
                        out.append("\t")
                    else:
                        pre = "[bookmark: _GoBack]" if e["kw"].get("bookmark") else ""
                        out.append("\t" + pre + e["text"])
                out.append("")
            out.append("")
    return ("\n".join(out) + "\n").encode("utf-8")


def md_cell(s):
    return s.replace("\n", "").replace("|", "\\|")


def render_md(rep, blocks):
    out = []
    for b in blocks:
        if b[0] == "title":
            out += ["# " + "".join(b[1]), ""]
        elif b[0] == "h":
            out += ["## " + b[1], ""]
        elif b[0] == "p":
            out += [b[1], ""]
        elif b[0] == "t":
            t = b[1]
            grid = []
            for row in t.rows:
                g = []
                for e in row:
                    if e["t"] == "cover":
                        g += [None] * e["cs"]
                    else:
                        g += [e] + [""] * (e["cs"] - 1)
                grid.append(g)
            # fill covered positions with their origin for header flattening
            origin = [[None] * t.ncols for _ in grid]
            for i, row in enumerate(t.rows):
                col = 0
                for e in row:
                    if e["t"] == "cell":
                        for di in range(e["rs"]):
                            for dj in range(e["cs"]):
                                origin[i + di][col + dj] = (e, dj)
                    col += e["cs"]
            lines = []
            h = t.header_rows
            if h:
                head = []
                for c in range(t.ncols):
                    parts = []
                    for i in range(h):
                        e, dj = origin[i][c]
                        txt = md_cell(e["text"])
                        if t.kind == "t3" and c < 3 and dj:
                            txt = ""
                        if txt and txt not in parts:
                            parts.append(txt)
                    head.append(" ".join(parts))
                body = grid[h:]
            else:
                head = [md_cell(x["text"]) if isinstance(x, dict) else (x or "") for x in grid[0]]
                body = grid[1:]
            lines.append("| " + " | ".join(head) + " |")
            lines.append("|" + "---|" * t.ncols)
            for g in body:
                cells = [md_cell(x["text"]) if isinstance(x, dict) else (x or "") for x in g]
                lines.append("| " + " | ".join(cells) + " |")
            out += lines + [""]
    return ("\n".join(out)).encode("utf-8")


# ---- docx

W_NS_WORD = ('xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
             'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
             'xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
             'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
             'xmlns:v="urn:schemas-microsoft-com:vml" '
             'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
             'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
             'xmlns:w10="urn:schemas-microsoft-com:office:word" '
             'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
             'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
             'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
             'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
             'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
             'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
             'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
             'mc:Ignorable="w14 w15 wp14"')
W_NS_WPS = ('xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
            'xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
            'xmlns:w10="urn:schemas-microsoft-com:office:word" '
            'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
            'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
            'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
            'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData" '
            'mc:Ignorable="w14 w15 wp14"')


class DocxWriter:
    def __init__(self, wps, grid_before=False):
        self.wps, self.grid_before, self.n, self.bm = wps, grid_before, 0, False

    def rsid(self):
        self.n += 1
        return "00%06X" % ((self.n * 2654435761) & 0xFFFFFF)

    def run(self, text, font, sz, bold=False):
        latin = bool(re.fullmatch(r"[\d.+\-,]+", text))
        f = ("Times New Roman" if latin and not self.wps else font)
        rpr = (f'<w:rPr><w:rFonts w:hint="eastAsia" w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{font}"/>'
               + ("<w:b/><w:bCs/>" if bold else "") + f'<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>'
               + ('<w:lang w:val="en-US" w:eastAsia="zh-CN"/>' if latin else "") + "</w:rPr>")
        sp = ' xml:space="preserve"' if text != text.strip() or "  " in text else ""
        return f"<w:r>{rpr}<w:t{sp}>{xesc(text)}</w:t></w:r>"

    def runs(self, text, font, sz, bold=False):
        out = []
        for p in re.findall(r"\d+(?:\.\d+)?|[^\d]+", text):
            self.n += 1
            if "申请人情况" in p:
                k = p.index("申请人情况") + 4
                out += [self.run(p[:k], font, sz, bold), self.run(p[k:], font, sz, bold)]
            elif len(p) >= 6 and self.n % 3 == 0:
                k = len(p) // 2 + (self.n % 2)
                second = self.run(p[k:], font, sz, bold)
                if self.n % 2 == 0:
                    second = '<w:proofErr w:type="spellStart"/>' + second + '<w:proofErr w:type="spellEnd"/>'
                out += [self.run(p[:k], font, sz, bold), second]
            else:
                out.append(self.run(p, font, sz, bold))
        return "".join(out)

    def para(self, text, kind="p", extra_runs=""):
        r = self.rsid()
        if kind == "title":
            ppr = '<w:pPr><w:jc w:val="center"/><w:spacing w:line="600" w:lineRule="exact"/></w:pPr>'
            body = self.runs(text, "方正小标宋简体", 44)
        elif kind == "h":
            ppr = ('<w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLine="640" w:firstLineChars="200"/>'
                   '<w:outlineLvl w:val="0"/></w:pPr>')
            body = self.runs(text, "黑体", 32)
        else:
            ppr = ('<w:pPr><w:spacing w:line="560" w:lineRule="exact"/>'
                   '<w:ind w:firstLine="640" w:firstLineChars="200"/></w:pPr>')
            body = self.runs(text, "仿宋_GB2312", 32)
        return f'<w:p w:rsidR="{r}" w:rsidRDefault="{r}">{ppr}{body}{extra_runs}</w:p>'

    def cell_paras(self, e):
        ppr = '<w:pPr><w:jc w:val="center"/><w:spacing w:line="300" w:lineRule="exact"/></w:pPr>'
        lines = cell_lines(e) if e["t"] == "cell" else [""]
        bm = ""
        if e["t"] == "cell" and e["kw"].get("bookmark"):
            bm = '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>'
            self.bm = True
        if e["t"] == "cell" and e["kw"].get("paras"):
            return "".join(f'<w:p w:rsidR="{self.rsid()}">{ppr}{self.runs(x, "宋体", 21)}</w:p>' for x in lines)
        runs = '<w:r><w:br/></w:r>'.join(self.runs(x, "宋体", 21) for x in lines if x)
        return f'<w:p w:rsidR="{self.rsid()}">{ppr}{bm}{runs}</w:p>'

    def table(self, t):
        w = t.widths
        grid = "".join(f'<w:gridCol w:w="{x}"/>' for x in w)
        b = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                    for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        look = ('<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
                'w:noHBand="0" w:noVBand="1"/>')
        out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(w)}" w:type="dxa"/><w:jc w:val="center"/>'
               f'<w:tblBorders>{b}</w:tblBorders><w:tblLayout w:type="fixed"/>'
               f'<w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
               f'{look}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
        for i, row in enumerate(t.rows):
            col, cells, trpr_extra = 0, [], ""
            for j, e in enumerate(row):
                cs = e["cs"]
                wid = sum(w[col:col + cs])
                start = col
                col += cs
                if self.grid_before and i in t.grid_before and j == 0 and cs > 1:
                    trpr_extra = f'<w:gridBefore w:val="1"/><w:wBefore w:w="{w[0]}" w:type="dxa"/>'
                    cs -= 1
                    wid -= w[0]
                    start += 1
                vm = ""
                if e["t"] == "cover":
                    vm = "<w:vMerge/>"
                elif e["rs"] > 1:
                    vm = '<w:vMerge w:val="restart"/>'
                td = '<w:textDirection w:val="tbRlV"/>' if e["kw"].get("vertical") else ""
                hmerge = (self.wps and e["t"] == "cell" and cs > 1 and e["rs"] == 1 and not trpr_extra and
                          (i < t.header_rows or e["text"].startswith("第二十条")))
                if hmerge:
                    cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{w[start]}" w:type="dxa"/><w:hMerge w:val="restart"/>'
                                 f'<w:vAlign w:val="center"/></w:tcPr>{self.cell_paras(e)}</w:tc>')
                    for k in range(1, cs):
                        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{w[start + k]}" w:type="dxa"/>'
                                     f'<w:hMerge w:val="continue"/><w:vAlign w:val="center"/></w:tcPr>'
                                     f'<w:p w:rsidR="{self.rsid()}"><w:pPr><w:jc w:val="center"/></w:pPr></w:p></w:tc>')
                    continue
                gs = f'<w:gridSpan w:val="{cs}"/>' if cs > 1 else ""
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{wid}" w:type="dxa"/>{gs}{vm}{td}'
                             f'<w:vAlign w:val="center"/></w:tcPr>{self.cell_paras(e)}</w:tc>')
            out.append(f'<w:tr w:rsidR="{self.rsid()}"><w:trPr>{trpr_extra}<w:trHeight w:val="397"/>'
                       f'<w:jc w:val="center"/></w:trPr>{"".join(cells)}</w:tr>')
        out.append("</w:tbl>")
        return "".join(out)

    def document(self, blocks):
        body = []
        for b in blocks:
            if b[0] == "title":
                body += [self.para(x, "title") for x in b[1]]
            elif b[0] == "h":
                body.append(self.para(b[1], "h"))
            elif b[0] == "p":
                body.append(self.para(b[1]))
            elif b[0] == "pb":
                body.append(f'<w:p w:rsidR="{self.rsid()}"><w:r><w:br w:type="page"/></w:r></w:p>')
            elif b[0] == "t":
                body.append(self.table(b[1]))
                body.append(f'<w:p w:rsidR="{self.rsid()}"><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:p>')
        if not self.bm:  # a _GoBack bookmark in the last paragraph, as Word leaves it
            last = body[-1]
            body[-1] = last.replace("</w:pPr>", '</w:pPr><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>', 1)
        sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" '
                'w:left="1587" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/>'
                '<w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>')
        ns = W_NS_WPS if self.wps else W_NS_WORD
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                f'<w:document {ns}><w:body>{"".join(body)}{sect}</w:body></w:document>')


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
          '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" '
          'w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="22"/>'
          '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>'
          '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/>'
          '<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>'
          '<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/>'
          '<w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
          '<w:style w:type="table" w:default="1" w:styleId="a1"><w:name w:val="Normal Table"/><w:semiHidden/>'
          '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
          '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
          '</w:tblCellMar></w:tblPr></w:style>'
          '<w:style w:type="table" w:styleId="a3"><w:name w:val="Table Grid"/><w:basedOn w:val="a1"/>'
          '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr>'
          '</w:style></w:styles>')


def zip_bytes(entries):
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0
            zi.external_attr = 0
            z.writestr(zi, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def render_docx(rep, blocks, wps=False):
    dw = DocxWriter(wps, grid_before=rep["opts"].get("grid_before", False))
    doc = dw.document(blocks)
    hdr = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    ct = (hdr + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
          '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
          '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
          + ('<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>' if wps else "")
          + '</Types>')
    rels = (hdr + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + ('<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>' if wps else "")
            + '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    drels = (hdr + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
             '</Relationships>')
    author = "Administrator" if not wps else "WPS_1600000000"
    core = (hdr + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{xesc(rep["title"])}</dc:title><dc:creator>{author}</dc:creator>'
            f'<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>3</cp:revision>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified></cp:coreProperties>')
    appname = "WPS Office_11.1.0.10356_F1E327BC-269C-435d-A152-05C5408002CA" if wps else "Microsoft Office Word"
    app = (hdr + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f'<Template>Normal.dotm</Template><TotalTime>12</TotalTime><Pages>6</Pages><Application>{appname}</Application>'
           '<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate>'
           f'<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>{"11.1" if wps else "16.0000"}</AppVersion></Properties>')
    entries = [("[Content_Types].xml", ct), ("_rels/.rels", rels), ("docProps/app.xml", app),
               ("docProps/core.xml", core)]
    if wps:
        entries.append(("docProps/custom.xml", hdr + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
                        '<vt:lpwstr>2052-11.1.0.10356</vt:lpwstr></property></Properties>'))
    entries += [("word/document.xml", doc), ("word/_rels/document.xml.rels", drels), ("word/styles.xml", STYLES)]
    return zip_bytes(entries)


# ---- html (Word "Save as Web Page", GBK)

HTML_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Administrator</o:Author>
  <o:LastAuthor>Administrator</o:LastAuthor>
  <o:Revision>2</o:Revision>
  <o:Created>{date}</o:Created>
  <o:LastSaved>{date}</o:LastSaved>
  <o:Pages>6</o:Pages>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
	{{font-family:宋体;
	panose-1:2 1 6 0 3 1 1 1 1 1;
	mso-font-alt:SimSun;
	mso-font-charset:134;
	mso-generic-font-family:auto;
	mso-font-pitch:variable;}}
@font-face
	{{font-family:仿宋_GB2312;
	mso-font-charset:134;
	mso-generic-font-family:modern;}}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{{mso-style-unhide:no;
	mso-style-qformat:yes;
	mso-style-parent:"";
	margin:0cm;
	margin-bottom:.0001pt;
	text-align:justify;
	text-justify:inter-ideograph;
	mso-pagination:none;
	font-size:10.5pt;
	mso-bidi-font-size:11.0pt;
	font-family:"Calibri",sans-serif;
	mso-fareast-font-family:宋体;
	mso-font-kerning:1.0pt;}}
@page WordSection1
	{{size:595.3pt 841.9pt;
	margin:104.9pt 73.7pt 99.2pt 79.4pt;
	mso-header-margin:42.55pt;
	mso-footer-margin:49.6pt;
	mso-paper-source:0;
	layout-grid:15.6pt;}}
div.WordSection1
	{{page:WordSection1;}}
-->
</style>
</head>
"""

HTML_WRAP_TOP = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<title>{title}_{site}</title>
<link rel="stylesheet" type="text/css" href="/images/common.css">
<style>
p.MsoNormal {{margin:0cm;text-align:justify;font-size:10.5pt;font-family:宋体;}}
</style>
</head>
<body>
<div class="top"><div class="logo"><a href="/">{site}</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjdq/">走进{short}</a></li></ul></div></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/xxgknb/">政府信息公开年报</a></div>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info">发布日期：{pub}&nbsp;&nbsp;来源：{site}&nbsp;&nbsp;字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div class="content" id="zoom">
"""

HTML_WRAP_BOTTOM = """</div>
<div class="share"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer">
<p>主办单位：{site}&nbsp;&nbsp;承办单位：{site}办公室</p>
<p>网站标识码：{code}&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/">{icp}</a>&nbsp;&nbsp;<img src="/images/ga.png">{police}</p>
</div>
</body>
</html>
"""


def h_esc(s):
    return html.escape(s, quote=False)


def html_text_spans(text, font, size, fragment=False):
    parts = []
    for p in re.findall(r"\d+(?:\.\d+)?|[^\d]+", text):
        if p[0].isdigit():
            if fragment and len(p) >= 4:
                parts.append(f"<span lang=EN-US>{p[:2]}</span><span lang=EN-US style='font-family:{font}'>{p[2:]}</span>")
            else:
                parts.append(f"<span lang=EN-US>{p}</span>")
        else:
            parts.append(h_esc(p))
    return "".join(parts)


def render_html(rep, blocks):
    o = rep["opts"]
    frag = o.get("html_fragment", False)
    out = []
    irow = 0
    for b in blocks:
        if b[0] == "title":
            for x in b[1]:
                out.append(f"<p class=MsoNormal align=center style='text-align:center;line-height:30.0pt;"
                           f"mso-line-height-rule:exactly'><span style='font-size:22.0pt;font-family:方正小标宋简体'>"
                           f"{html_text_spans(x, '方正小标宋简体', 22)}<span lang=EN-US><o:p></o:p></span></span></p>")
            out.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
        elif b[0] in ("h", "p"):
            font = "黑体" if b[0] == "h" else "仿宋_GB2312"
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;"
                       f"mso-line-height-rule:exactly'><span style='font-size:16.0pt;font-family:{font}'>"
                       f"{html_text_spans(b[1], font, 16, frag)}<span lang=EN-US><o:p></o:p></span></span></p>")
        elif b[0] == "pb":
            out.append("<span lang=EN-US style='font-size:10.5pt;mso-bidi-font-size:11.0pt;font-family:\"Calibri\",sans-serif'>"
                       "<br clear=all style='page-break-before:always'></span>")
        elif b[0] == "t":
            t = b[1]
            px = [round(x / 15) for x in t.widths]
            out.append(f"<div align=center>\n<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width={sum(px)}"
                       f" style='width:{sum(t.widths) / 20:.1f}pt;border-collapse:collapse;border:none;mso-border-alt:"
                       f"solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>")
            for i, row in enumerate(t.rows):
                out.append(f" <tr style='mso-yfti-irow:{irow};height:19.85pt'>")
                irow += 1
                col = 0
                for e in row:
                    cs = e["cs"]
                    if e["t"] == "cover":
                        col += cs
                        continue
                    w = sum(px[col:col + cs])
                    wpt = sum(t.widths[col:col + cs]) / 20
                    col += cs
                    attrs = f"width={w}"
                    if cs > 1:
                        attrs += f" colspan={cs}"
                    if e["rs"] > 1:
                        attrs += f" rowspan={e['rs']}"
                    style = (f"width:{wpt:.1f}pt;border:solid windowtext 1.0pt;border-top:none;mso-border-top-alt:"
                             f"solid windowtext .5pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt;"
                             f"height:19.85pt")
                    if e["kw"].get("vertical"):
                        style += ";layout-flow:vertical-ideographic"
                    txt = e["text"]
                    if txt.strip() == "":
                        inner = "<span lang=EN-US style='font-size:10.5pt'>&nbsp;<o:p></o:p></span>"
                    else:
                        inner = ("<span style='font-size:10.5pt;font-family:宋体'>"
                                 + "<br>".join(html_text_spans(x, "宋体", 10.5) for x in txt.split("\n"))
                                 + "<span lang=EN-US><o:p></o:p></span></span>")
                    out.append(f"  <td {attrs} valign=center style='{style}'>\n  <p class=MsoNormal align=center "
                               f"style='text-align:center'>{inner}</p>\n  </td>")
                out.append(" </tr>")
            out.append(" <![if !supportMisalignedColumns]>\n <tr height=0>")
            for x in px:
                out.append(f"  <td width={x} style='border:none'></td>")
            out.append(" </tr>\n <![endif]>\n</table>\n\n</div>")
            out.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
    body = "\n\n".join(out)
    word_div = f"<div class=WordSection1 style='layout-grid:15.6pt'>\n\n{body}\n\n</div>\n"
    if o.get("site"):
        s = o["site"]
        page = (HTML_WRAP_TOP.format(title=h_esc(rep["title"]), site=s["name"], short=s["short"], pub=s["pub"])
                + word_div + HTML_WRAP_BOTTOM.format(site=s["name"], code=s["code"], icp=s["icp"], police=s["police"]))
    else:
        page = (HTML_HEAD.format(title=h_esc(rep["title"]), date=FIXED_DATE)
                + "<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n\n"
                + word_div + "\n</body>\n\n</html>\n")
    return page.replace("\n", "\r\n").encode("gbk")


# ----------------------------------------------------------------- specs --

SITE_BJ = {"name": "北京市东城区人民政府", "short": "东城", "code": "1101010001", "icp": "京ICP备05083208号",
           "police": "京公网安备 11010102000001号", "pub": "2021-01-29"}


def site(name, short, code, icp, police, pub):
    return {"name": name, "short": short, "code": code, "icp": icp, "police": police, "pub": pub}


SEED_T2 = {"proactive.rules.made": "0", "proactive.rules.published": "0", "proactive.rules.total_published": "0",
           "proactive.normative.made": "0", "proactive.normative.published": "0",
           "proactive.normative.total_published": "0",
           "proactive.licensing.prev_items": "0", "proactive.licensing.change": "0", "proactive.licensing.decisions": "0",
           "proactive.other_services.inspection.prev_items": "0", "proactive.other_services.inspection.change": "0",
           "proactive.other_services.inspection.decisions": "0",
           "proactive.other_services.confirmation.prev_items": "0",
           "proactive.other_services.confirmation.change": "+10",
           "proactive.other_services.confirmation.decisions": "0",
           "proactive.punishment.prev_items": "0", "proactive.punishment.change": "+337",
           "proactive.punishment.decisions": "122",
           "proactive.coercion.prev_items": "0", "proactive.coercion.change": "+20", "proactive.coercion.decisions": "0",
           "proactive.fees.prev_items": "0", "proactive.fees.change": "0",
           "proactive.procurement.items": "26", "proactive.procurement.amount": "183.2867"}


def seed_t3():
    v = {r: [0] * 7 for r in t3_rows("2019")}
    v["new"] = [8, 0, 0, 0, 0, 0, 8]
    v["granted"] = [7, 0, 0, 0, 0, 0, 7]
    v["withheld_law_forbidden"] = [1, 0, 0, 0, 0, 0, 1]
    v["total"] = [8, 0, 0, 0, 0, 0, 8]
    return v


SEED_OPTS = {"seed_style": True, "subrows": [("行政检查", "inspection"), ("行政确认", "confirmation")],
             "hdr_map": {"采购总金额": "采购总金额（万元，保留四位小数）"}}
SUBROWS_XINHUA = [("行政检查", "inspection"), ("行政确认", "confirmation")]
HUBEI_HDR = {"上一年项目数量": "上一年项目数量 (指2019年事项数)",
             "本年增/减": "本年增/减 (指2020年增加或减 少的事项 数,减用负 值表示,如 -8)",
             "处理决定数量": "处理决定数量 (指2020年办 件量)"}
HUBEI_LAB = {"规章": "规章(设区的市、自治州人民政府应提供相关数据)",
             "规范性文件": "规范性文件(行政机关制定发布的决定、公告、通告、意见、通知,以及标题采用“规定”“办法”“细则”“规范”“规程”“规则”等字样的公文,一般情况下属于规范性文件)",
             "其他对外管理服务事项": "其他对外管理服务事项(指行政许可以外的政务服务事项,含行政确认、行政奖励、行政给付、行政裁决等)"}


def specs():
    """(stem, renderer, org_in_title, year, template, kind, size, options)."""
    S_ = []
    add = lambda *a, **k: S_.append((a, k))
    # ---- 2019 template
    add("seed_jingshan_2020", "txt", "景山街道", 2020, "2019", "街道", 8, seed=True,
        variants=["seed", "seed_jingshan_2020.txt: txt seed style", "seed_jingshan_2020.docx: docx-word",
                  "seed_jingshan_2020.html: html-gbk with site wrapper", "other_services sub-rows 行政检查/行政确认",
                  "procurement header 采购总金额（万元，保留四位小数）", "signed values +10/+337/+20", "headings 1、 总体情况 + 二、…"])
    add("seed_jingshan_2020", "docx", "景山街道", 2020, "2019", "街道", 8, seed=True,
        variants=["seed", "seed_jingshan_2020.txt: txt seed style", "seed_jingshan_2020.docx: docx-word",
                  "seed_jingshan_2020.html: html-gbk with site wrapper", "other_services sub-rows 行政检查/行政确认",
                  "procurement header 采购总金额（万元，保留四位小数）", "signed values +10/+337/+20", "headings 1、 总体情况 + 二、…"])
    add("seed_jingshan_2020", "html", "景山街道", 2020, "2019", "街道", 8, seed=True, site=SITE_BJ,
        variants=["seed", "seed_jingshan_2020.txt: txt seed style", "seed_jingshan_2020.docx: docx-word",
                  "seed_jingshan_2020.html: html-gbk with site wrapper", "other_services sub-rows 行政检查/行政确认",
                  "procurement header 采购总金额（万元，保留四位小数）", "signed values +10/+337/+20", "headings 1、 总体情况 + 二、…"])
    add("v2019_01_xinhua_2019", "html", "新华街道", 2019, "2019", "街道", 14, subrows=SUBROWS_XINHUA,
        hdr_map={"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量"},
        variants=["html-gbk", "broken header 本年新<br>制作数量", "other_services sub-rows"])
    add("v2019_02_xinhua_2020", "docx", "北京市通州区新华街道办事处", 2020, "2019", "街道", 11, subrows=SUBROWS_XINHUA,
        prev="v2019_01_xinhua_2019", variants=["docx-word", "consecutive year (上年结转 = 2019 结转下年度)", "other_services sub-rows"])
    add("v2019_03_shanghai_bgt_2019", "html", "上海市人民政府办公厅", 2019, "2019", "市", 60, title_year_first=True,
        blank_zero=True, blank_total_results=True, site=site("上海市人民政府", "上海", "3100000001", "沪ICP备05050403号",
                                                              "沪公网安备 31010102002533号", "2020-03-30"),
        hdr_map={"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量"},
        t2_raw={"proactive.procurement.items": "6", "proactive.procurement.amount": "251000元"},
        heading_over={"problems": "五、政府信息公开工作存在的主要问题及改进情况"},
        variants=["html-gbk", "site wrapper", "Shanghai 2019 blanks for zeros", "总计 column blank in result rows",
                  "broken header 本年新<br>制作数量", "元 unit 251000元 -> 25.1", "title starts with year"])
    add("v2019_04_tuoshi_2020", "docx-wps", "天门市拖市镇人民政府", 2020, "2019", "镇", 9, signed=True,
        hdr_map=HUBEI_HDR, label_map=HUBEI_LAB, extra_t2_rows=[(0, "其他主动公开文件(含以本单位或本单位办公室名义正式签发的公文)", ["35", "35", "214"])],
        t2_raw={"proactive.licensing.prev_items": "1200", "proactive.licensing.change": "+1036",
                "proactive.other_services.change": "-8", "proactive.other_services.prev_items": "40"},
        notes=["table 二 has an extra row 其他主动公开文件 (35/35/214) that is not a canonical field"],
        variants=["docx-wps", "hMerge", "Hubei annotated labels and headers", "extra row 其他主动公开文件",
                  "signed values +1036 / -8"])
    add("v2019_05_guihua_2019", "md", "株洲市荷塘区桂花街道办事处", 2019, "2019", "街道", 5,
        hdr_map={"本年新制作数量": "本年新", "本年新公开数量": "本年新"},
        t2_raw={"proactive.procurement.items": "", "proactive.procurement.amount": ""},
        variants=["md", "lost second halves 本年新 | 本年新 | 对外公开总数量", "政府集中采购 left empty (null)"])
    add("v2019_06_liangcheng_2020", "txt", "微山县两城镇人民政府", 2020, "2019", "镇", 6,
        na_rows=["withheld_state_secret", "withheld_security_stability", "withheld_enforcement_file", "withheld_admin_query",
                 "declined_publication", "declined_mass_repeated"],
        carry_label="四、结转下一年度继续办理", subnum="1、",
        variants=["txt-seed-style", "/ cells in table 三 (na)", "结转下一年度继续办理", "sub-item numbering 1、"])
    add("v2019_07_shuyang_sfj_2020", "docx", "沭阳县司法局", 2020, "2019", "部门", 23, split_t3=True, subnum="1．",
        variants=["docx-word", "table 三 split into two tables after （四）1 (page break)", "sub-item numbering 1．"])
    add("v2019_08_jiangning_fgw_2019", "docx-wps", "南京市江宁区发展和改革委员会", 2019, "2019", "部门", 12, grid_before=True,
        lp_label="法人或者其他组织", fw_keys=["requests.new.natural_person", "requests.total.natural_person",
                                          "requests.new.total", "requests.total.total"],
        t2_raw={"proactive.licensing.decisions": "1,234", "proactive.punishment.decisions": "1,036"},
        variants=["docx-wps", "hMerge", "gridBefore on a table 二 row", "full-width digits １２", "thousands separators 1,234",
                  "header 法人或者其他组织"])
    add("v2019_09_donghu_2020", "html", "越城区东湖街道", 2020, "2019", "街道", 7, quote="ascii", headings="nonum", signed=True,
        site=site("绍兴市越城区人民政府", "越城", "3306020001", "浙ICP备05007024号", "浙公网安备 33060202000123号", "2021-01-20"),
        variants=["html-gbk", "site wrapper", 'ASCII quotes 危及"三安全一稳定"', "headings without numbers", "signed values"])
    add("v2019_10_qidu_2020", "txt", "鹿城区七都街道", 2020, "2019", "街道", 9, total_label="合计", inconsistent="T3-COL",
        variants=["txt-seed-style", "总计 row labelled 合计", "deliberately inconsistent T3-COL"])
    add("v2019_11_chengbei_2019", "md", "昌平区城北街道", 2019, "2019", "街道", 10, quote="single", headings="arabic",
        hdr_map={"本年新制作数量": "本年新 制作数量", "本年新公开数量": "本年新 公开数量"},
        variants=["md", "single quotes 危及'三安全一稳定'", "headings 1、 总体情况", "header with space 本年新 制作数量"])
    add("v2019_12_tuofenglu_2020", "html", "榆阳区驼峰路街道", 2020, "2019", "街道", 4, total_only=True,
        variants=["html-gbk", "table 三 fills only the 总计 column (others blank)"])
    add("v2019_13_qiaoxi_xzsp_2019", "docx", "桥西区行政审批局", 2019, "2019", "部门", 18, blank_zero_t4=True,
        subrows=[("行政检查", "inspection"), ("行政给付", "payment")],
        t2_raw={"proactive.procurement.items": "3", "proactive.procurement.amount": "86500元"},
        variants=["docx-word", "元 unit 86500元 -> 8.65", "other_services sub-rows 行政检查/行政给付", "table 四 blanks for zeros"])
    # ---- 2021 template
    add("v2021_01_jingshan_2021", "docx", "北京市东城区景山街道办事处", 2021, "2021", "街道", 9, prev="seed_jingshan_2020",
        variants=["docx-word", "consecutive year (上年结转 = seed 2020 结转下年度)", "long organisation name in title"])
    add("v2021_02_jingshan_2022", "html", "景山街道", 2022, "2021", "街道", 12, prev="v2021_01_jingshan_2021", site=SITE_BJ,
        variants=["html-gbk", "site wrapper", "consecutive year (上年结转 = 2021 结转下年度)"])
    add("v2021_03_shuyang_fgj_2022", "md", "沭阳县发展和改革局", 2022, "2021", "部门", 15, quote="ascii", subnum="1. ",
        variants=["md", 'ASCII quotes 危及"三安全一稳定"', "sub-item numbering '1. '"])
    add("v2021_04_shuyang_fgj_2023", "html", "沭阳县发展和改革局", 2023, "2021", "部门", 13, prev="v2021_03_shuyang_fgj_2022",
        html_fragment=True, t2_raw={"proactive.fees.amount": "0.092"},
        variants=["html-gbk", "consecutive year", "numbers split across spans in narrative", "decimal fee 0.092"])
    add("v2021_05_donghu_2023", "docx-wps", "越城区东湖街道", 2023, "2021", "街道", 6, t2_title_row=True,
        hdr_map={"本年制发件数": "本年(2023)制发件数", "本年废止件数": "本年(2023)废止件数", "本年处理决定数量": "本年(2023)处理决定"},
        label_map={"行政规范性文件": "规范性文件"},
        variants=["docx-wps", "hMerge", "year inside headers 本年(2023)制发件数", "规范性文件 label in 2021",
                  "title row 主动公开政府信息情况 inside table 二"])
    add("v2021_06_shuyang_zf_2024", "txt", "沭阳县人民政府", 2024, "2021", "市", 95, other6_label="（六）其他", sep6="，",
        subnum="1. ", t2_raw={"proactive.fees.amount": "4068.208"},
        variants=["txt-seed-style", "（六）其他处理 shortened to （六）其他", "， separator in （六） sub-items",
                  "sub-item numbering '1. '", "decimal fee 4068.208"])
    add("v2021_07_shanghai_kw_2023", "html", "上海市科学技术委员会", 2023, "2021", "部门", 30, headings="shanghai",
        label_map={"行政规范性文件": "规范性文件"}, t2_raw={"proactive.fees.amount": "0"},
        site=site("上海市科学技术委员会", "科委", "3100000047", "沪ICP备05010258号", "沪公网安备 31010402001234号", "2024-01-31"),
        variants=["html-gbk", "site wrapper", "Shanghai local structure (extra parts, tables renumbered 一/二/三)"])
    add("v2021_08_shanghai_bgt_2024", "docx", "上海市人民政府办公厅", 2024, "2021", "市", 70, title_year_first=True,
        t2_raw={"proactive.rules.issued": "22（其中修订 16 件）", "proactive.rules.repealed": "55（含自然失效 29 件）",
                "proactive.rules.in_force": "312"}, total_label="合计", t4_footnote=True,
        variants=["docx-word", "annotated cells 22（其中修订 16 件）", "总计 row labelled 合计", "table 四 footnote",
                  "title starts with year"])
    add("v2021_09_guanzhou_2023", "md", "海珠区官洲街道", 2023, "2021", "街道", 7, inconsistent="T4-SUM",
        variants=["md", "deliberately inconsistent T4-SUM (行政复议 总计)"])
    add("v2021_10_gaoling_xzsp_2021", "docx-wps", "西安市高陵区行政审批服务局", 2021, "2021", "部门", 0, na_all=True,
        grid_before=True,
        variants=["docx-wps", "hMerge", "gridBefore", "/ in every cell of tables 二 and 三 (na)"])
    add("v2021_11_zhongshan_2021", "html", "桥西区中山街道", 2021, "2021", "街道", 12, lp_label="法人或者其他组织",
        fw_keys=["requests.new.natural_person", "requests.granted.natural_person", "review.total"],
        t2_raw={"proactive.punishment.decisions": "1,472", "proactive.fees.amount": "0.092"},
        variants=["html-gbk", "full-width digits", "thousands separator 1,472", "header 法人或者其他组织", "decimal fee 0.092"])
    add("v2021_12_luoyang_2022", "txt", "路桥区螺洋街道", 2022, "2021", "街道", 10, split_t3=True, headings="nonum",
        carry_label="四、结转下一年度继续办理", t2_raw={"proactive.fees.amount": "12000元"},
        variants=["txt-seed-style", "table 三 split into two tables", "headings without numbers", "元 unit fee 12000元 -> 1.2",
                  "结转下一年度继续办理"])
    add("v2021_13_minzhi_2024", "md", "民治街道", 2024, "2021", "街道", 21, headings="arabic", five_parts=True, subnum="1、",
        variants=["md", "headings 1、 总体情况", "5 parts (no 六)", "sub-item numbering 1、"])
    add("v2021_14_xiacun_2022", "docx", "乳山市夏村镇人民政府", 2022, "2021", "镇", 5, blank_zero=True, quote="single",
        variants=["docx-word", "blanks for zeros in tables 三 and 四", "single quotes 危及'三安全一稳定'"])
    add("v2021_15_tongyu_2024", "html", "路桥区桐屿街道", 2024, "2021", "街道", 8, subnum="1．", quote="ascii",
        heading_over={"review_litigation": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"},
        site=site("台州市路桥区人民政府", "路桥", "3310040001", "浙ICP备05013578号", "浙公网安备 33100402000456号", "2025-01-20"),
        variants=["html-gbk", "site wrapper", "sub-item numbering 1．", 'ASCII quotes', "heading 四 variant 因政府信息公开工作被申请…"])
    add("v2021_16_hongze_jyj_2022", "docx-wps", "淮安市洪泽区教育体育局", 2022, "2021", "部门", 17,
        partial_label="（二）部分公开", carry_label="四、结转下一年度继续办理",
        variants=["docx-wps", "hMerge", "（二）部分公开 without parenthetical", "结转下一年度继续办理"])
    return S_


# ------------------------------------------------------------------ main --

def read_seed(path):
    """Headings and narrative paragraphs of the seed report (sections 一, 五, 六)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    keys = {"总体情况": "overview", "主动公开政府信息情况": "proactive", "收到和处理政府信息公开申请情况": "requests",
            "政府信息公开行政复议、行政诉讼情况": "review_litigation", "存在的主要问题及改进情况": "problems",
            "其他需要报告的事项": "other"}
    heads, texts, cur = {}, {k: [] for k in keys.values()}, None
    for ln in lines[3:]:
        if ln.startswith("\t") or ln.strip() == "":
            continue
        m = re.match(r"^(?:[一二三四五六]|\d)、\s*(.+?)\s*$", ln)
        if m and m.group(1) in keys:
            cur = keys[m.group(1)]
            heads[cur] = ln
            continue
        if cur in ("overview", "problems", "other"):
            texts[cur].append(ln)
    if len(heads) != 6:
        return None
    return {"title_lines": [lines[0], lines[1]], "headings": heads, "texts": texts}


def fmt_t3_t4(rep, v, t4):
    o = rep["opts"]
    raw = {}
    rr = set(result_rows(rep["template"]))
    for r in t3_rows(rep["template"]):
        for ci, c in enumerate(COLS):
            x = v[r][ci]
            s = str(x)
            if o.get("na_all") or r in o.get("na_rows", []):
                s = "/"
            elif o.get("blank_zero") and x == 0:
                s = ""
            elif o.get("blank_total_results") and c == "total" and r in rr:
                s = ""
            elif o.get("total_only") and c != "total":
                s = ""
            key = f"requests.{r}.{c}"
            if key in o.get("fw_keys", []) and s:
                s = to_fullwidth(s)
            raw[key] = s
    raw4 = {}
    for k, x in zip(T4_KEYS, t4):
        s = "" if (x == 0 and (o.get("blank_zero") or o.get("blank_zero_t4"))) else str(x)
        if k in o.get("fw_keys", []) and s:
            s = to_fullwidth(s)
        raw4[k] = s
    return raw, raw4


def build_report(idx, spec, seedinfo, done):
    (stem, renderer, org, year, tpl, kind, size), o = spec
    o = dict(o)
    rng = random.Random(1000 + idx * 7919 + year)
    notes = list(o.pop("notes", []))
    variants = o.pop("variants", [])
    rep = {"stem": stem, "renderer": renderer, "org": org, "year": year, "template": tpl, "opts": o,
           "org_short": org}
    if o.get("title_year_first"):
        rep["title"] = f"{year}年{org}政府信息公开工作年度报告"
    else:
        rep["title"] = f"{org}{year}年政府信息公开工作年度报告"
    if o.get("seed"):
        o.update(SEED_OPTS)
        t2raw = dict(SEED_T2)
        v = seed_t3()
        t4 = [0] * 15
        if seedinfo:
            rep["title_lines"] = seedinfo["title_lines"]
            rep["seed_headings"] = seedinfo["headings"]
            rep["narrative"] = dict(seedinfo["texts"], proactive=[], requests=[], review_litigation=[])
        else:
            print("warning: seed not readable, using placeholder narrative for", stem, file=sys.stderr)
            o["headings"] = "arabic"
    else:
        carried = None
        if o.get("prev"):
            pv = done[o["prev"]]["t3"]["carry_forward"]
            carried = pv[:6]
            notes.append(f"上年结转 equals 结转下年度继续办理 of {o['prev']} (X-CARRY holds)")
        zero_rows = set(o.get("na_rows", []))
        if o.get("na_all"):
            v = {r: [0] * 7 for r in t3_rows(tpl)}
        else:
            v = gen_t3(rng, tpl, size, carried, zero_rows, busy=kind in ("部门", "市"))
        t4 = gen_t4(rng, busy=kind in ("部门", "市"))
        t2raw = gen_t2(rng, tpl, kind, o.get("subrows"), sign=o.get("signed", False))
        if o.get("na_all"):
            t2raw = {k: "/" for k in t2raw}
        t2raw.update(o.get("t2_raw", {}))
    if o.get("inconsistent") == "T3-COL":
        v["new"][0] += 2
        v["new"][6] += 2
        notes.append("DELIBERATELY INCONSISTENT: 一、本年新收 自然人 and 总计 are 2 higher than the balance "
                     "(一+二 ≠ （七）+四 in columns natural_person and total); T3-COL fails, T3-SUM/T3-ROW hold")
    t4 = list(t4)
    if o.get("inconsistent") == "T4-SUM":
        t4[4] += 1
        notes.append("DELIBERATELY INCONSISTENT: table 四 行政复议 总计 is 1 more than 维持+纠正+其他+尚未审结; T4-SUM fails")
    rep["t3"], rep["t4"] = v, t4
    rep["t2raw"] = t2raw
    rep["t3raw"], rep["t4raw"] = fmt_t3_t4(rep, v, t4)
    raws = {**t2raw, **rep["t3raw"], **rep["t4raw"]}
    keys = all_keys(tpl, [s for s in (o.get("subrows") or [])] or None)
    missing = [k for k in keys if k not in raws]
    if missing:
        raise SystemExit(f"{stem}: missing raw cells {missing[:5]}")
    fields = {k: parse_cell(raws[k], k in MONEY_KEYS) for k in keys}
    for k, r in raws.items():
        if r.translate(FW).replace(",", "") != r or re.search(r"元|（|^[+-]", r):
            if r.strip() not in ("", "/"):
                notes.append(f"{k}: printed {r!r} -> {fields[k]!r}")
    if o.get("headings") == "shanghai":
        notes.append("Shanghai local structure: parts 一 总体情况 … 六 政府信息公开平台建设, then tables under 一/二/三, "
                     "problems under 四, other under 五")
    if o.get("split_t3"):
        notes.append("table 三 is split into two tables after （四）1; the second has no header rows")
    exp = [o["inconsistent"]] if o.get("inconsistent") else []
    rep["truth"] = {"organization": org, "year": year, "template": tpl, "fields": fields,
                    "notes": notes, "variants": variants, "expected_violations": exp,
                    "previous_report": o.get("prev")}
    rep["blocks"] = compose(rep, rng)
    return rep


# Renditions of generated reports made by scripts/make_renditions.sh (LibreOffice, WPS- and
# Word-style docx, MHT, encoding variants, misnamed files): not written or deleted here.
RENDITION_PREFIXES = ("lo_", "wps_", "word_", "mht_", "enc_", "misnamed_")


def is_rendition(name):
    return name.startswith(RENDITION_PREFIXES)


def render(rep):
    r = rep["renderer"]
    if r == "txt":
        return ".txt", render_txt(rep, rep["blocks"])
    if r == "md":
        return ".md", render_md(rep, rep["blocks"])
    if r == "html":
        return ".html", render_html(rep, rep["blocks"])
    if r == "docx":
        return ".docx", render_docx(rep, rep["blocks"], wps=False)
    if r == "docx-wps":
        return ".docx", render_docx(rep, rep["blocks"], wps=True)
    raise ValueError(r)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "corpus"))
    ap.add_argument("--truth", default=str(ROOT / "expected" / "truth"))
    ap.add_argument("--seed", default=os.environ.get("XXGK_SEED", DEFAULT_SEED))
    ap.add_argument("--render", action="append", default=[], metavar="STEM:RENDERER:PATH",
                    help="only write report STEM with RENDERER (docx, docx-wps, html, txt, md) to PATH; "
                         "corpus/ and truth/ are left alone (used by make_renditions.sh)")
    a = ap.parse_args()
    if a.render:
        wanted = [r.split(":", 2) for r in a.render]
        seedinfo = read_seed(a.seed)
        done = {}
        for idx, spec in enumerate(specs()):
            rep = build_report(idx, spec, seedinfo, done)
            done[rep["stem"]] = rep
        for stem, renderer, path in wanted:
            rep = dict(done[stem], renderer=renderer)
            Path(path).write_bytes(render(rep)[1])
        return
    out = Path(a.out)
    truth = Path(a.truth)
    out.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    for p in list(out.glob("*")) + list(truth.glob("*.json")):
        if p.is_file() and p.suffix in (".txt", ".md", ".html", ".docx", ".json") and not is_rendition(p.name):
            p.unlink()
    seedinfo = read_seed(a.seed)
    done = {}
    for idx, spec in enumerate(specs()):
        rep = build_report(idx, spec, seedinfo, done)
        done[rep["stem"]] = rep
        ext, data = render(rep)
        (out / (rep["stem"] + ext)).write_bytes(data)
        (truth / (rep["stem"] + ".json")).write_text(
            json.dumps(rep["truth"], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(done)} truth files and {len(specs())} documents to {out}")


if __name__ == "__main__":
    main()
