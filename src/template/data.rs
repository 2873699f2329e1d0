//! The two official formats as data: row and column labels, their aliases, canonical keys.
//!
//! Adding a label variant is a one-line change here. Aliases and markers are written in their
//! normalised form (see [`super::label::normalize`]: no spaces, quotes or punctuation), so
//! matching never re-normalises them; a test holds every entry to that.

/// Template vintage (templates.md): 国办公开办函〔2019〕60号 or 〔2021〕30号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vintage {
    V2019,
    V2021,
}

impl Vintage {
    pub fn as_str(self) -> &'static str {
        match self {
            Vintage::V2019 => "2019",
            Vintage::V2021 => "2021",
        }
    }
}

/// Which template years a row or column belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Years {
    Both,
    Only(Vintage),
}

impl Years {
    pub fn includes(self, v: Vintage) -> bool {
        match self {
            Years::Both => true,
            Years::Only(x) => x == v,
        }
    }
}

/// A row of table 三.
#[derive(Debug)]
pub struct Table3Row {
    pub key: &'static str,
    /// Official label as printed in the template.
    pub label: &'static str,
    /// Other ways reports print it.
    pub aliases: &'static [&'static str],
    /// 0 for the top-level rows 一/二/四; 1..=7 for the groups （一）…（七）.
    pub group: u8,
    /// Sub-item number inside a group (（三）1. → 1), 0 when the row is the group itself.
    pub item: u8,
    pub years: Years,
}

const fn r3(
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    group: u8,
    item: u8,
    years: Years,
) -> Table3Row {
    Table3Row {
        key,
        label,
        aliases,
        group,
        item,
        years,
    }
}

const B: Years = Years::Both;
const Y19: Years = Years::Only(Vintage::V2019);
const Y21: Years = Years::Only(Vintage::V2021);

/// Table 三 rows in template order (2019 and 2021 interleaved; filter with `years`).
pub const TABLE3_ROWS: &[Table3Row] = &[
    r3(
        "new",
        "一、本年新收政府信息公开申请数量",
        &[
            "本年新收政府信息公开申请数量",
            "本年新收申请数量",
            "本年新收",
        ],
        0,
        1,
        B,
    ),
    r3(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        &[
            "上年结转政府信息公开申请数量",
            "上年结转申请数量",
            "上年结转",
        ],
        0,
        2,
        B,
    ),
    r3("granted", "（一）予以公开", &["予以公开"], 1, 0, B),
    r3(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        &["部分公开"],
        2,
        0,
        B,
    ),
    r3(
        "withheld_state_secret",
        "1.属于国家秘密",
        &["属于国家秘密", "国家秘密"],
        3,
        1,
        B,
    ),
    r3(
        "withheld_law_forbidden",
        "2.其他法律行政法规禁止公开",
        &["其他法律行政法规禁止公开", "法律行政法规禁止公开"],
        3,
        2,
        B,
    ),
    r3(
        "withheld_security_stability",
        "3.危及“三安全一稳定”",
        &["危及三安全一稳定", "三安全一稳定"],
        3,
        3,
        B,
    ),
    r3(
        "withheld_third_party",
        "4.保护第三方合法权益",
        &["保护第三方合法权益", "第三方合法权益"],
        3,
        4,
        B,
    ),
    r3(
        "withheld_internal_affairs",
        "5.属于三类内部事务信息",
        &["属于三类内部事务信息", "三类内部事务信息", "内部事务信息"],
        3,
        5,
        B,
    ),
    r3(
        "withheld_process_info",
        "6.属于四类过程性信息",
        &["属于四类过程性信息", "四类过程性信息", "过程性信息"],
        3,
        6,
        B,
    ),
    r3(
        "withheld_enforcement_file",
        "7.属于行政执法案卷",
        &["属于行政执法案卷", "行政执法案卷"],
        3,
        7,
        B,
    ),
    r3(
        "withheld_admin_query",
        "8.属于行政查询事项",
        &["属于行政查询事项", "行政查询事项"],
        3,
        8,
        B,
    ),
    r3(
        "unable_not_held",
        "1.本机关不掌握相关政府信息",
        &["本机关不掌握相关政府信息", "不掌握相关政府信息"],
        4,
        1,
        B,
    ),
    r3(
        "unable_needs_creation",
        "2.没有现成信息需要另行制作",
        &["没有现成信息需要另行制作", "需要另行制作"],
        4,
        2,
        B,
    ),
    r3(
        "unable_unclear",
        "3.补正后申请内容仍不明确",
        &["补正后申请内容仍不明确", "申请内容仍不明确"],
        4,
        3,
        B,
    ),
    r3(
        "declined_petition",
        "1.信访举报投诉类申请",
        &["信访举报投诉类申请", "信访举报投诉"],
        5,
        1,
        B,
    ),
    r3("declined_duplicate", "2.重复申请", &["重复申请"], 5, 2, B),
    r3(
        "declined_publication",
        "3.要求提供公开出版物",
        &["要求提供公开出版物", "公开出版物"],
        5,
        3,
        B,
    ),
    r3(
        "declined_mass_repeated",
        "4.无正当理由大量反复申请",
        &["无正当理由大量反复申请", "大量反复申请"],
        5,
        4,
        B,
    ),
    r3(
        "declined_confirm_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        &["要求行政机关确认或重新出具已获取信息", "重新出具已获取信息"],
        5,
        5,
        B,
    ),
    r3("other", "（六）其他处理", &["其他处理"], 6, 0, Y19),
    r3(
        "other_overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        &[
            "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请",
            "逾期不补正",
        ],
        6,
        1,
        Y21,
    ),
    r3(
        "other_overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        &[
            "申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",
            "缴纳费用",
        ],
        6,
        2,
        Y21,
    ),
    r3("other_misc", "3.其他", &["其他"], 6, 3, Y21),
    r3(
        "total",
        "（七）总计",
        &["总计", "合计", "办理结果总计"],
        7,
        0,
        B,
    ),
    r3(
        "carry_forward",
        "四、结转下年度继续办理",
        &[
            "结转下年度继续办理",
            "结转下一年度继续办理",
            "结转下年度",
            "结转下一年度",
        ],
        0,
        4,
        B,
    ),
];

/// Group labels of table 三 （一）…（七）, for reading a group cell without its number.
pub const TABLE3_GROUPS: &[(u8, &[&str])] = &[
    (1, &["予以公开"]),
    (2, &["部分公开"]),
    (3, &["不予公开"]),
    (4, &["无法提供"]),
    (5, &["不予处理"]),
    (6, &["其他处理"]),
    (7, &["总计"]),
];

/// A value column (applicant kind) of table 三.
#[derive(Debug)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub aliases: &'static [&'static str],
}

pub const TABLE3_COLUMNS: &[Column] = &[
    Column {
        key: "natural_person",
        label: "自然人",
        aliases: &["自然人"],
    },
    Column {
        key: "commercial",
        label: "商业企业",
        aliases: &["商业企业", "商业"],
    },
    Column {
        key: "research",
        label: "科研机构",
        aliases: &["科研机构", "科研"],
    },
    Column {
        key: "social_org",
        label: "社会公益组织",
        aliases: &["社会公益组织", "社会公益"],
    },
    Column {
        key: "legal_service",
        label: "法律服务机构",
        aliases: &["法律服务机构", "法律服务"],
    },
    Column {
        key: "other_org",
        label: "其他",
        aliases: &["其他"],
    },
    Column {
        key: "total",
        label: "总计",
        aliases: &["总计", "合计"],
    },
];

/// Header cells of table 三 that span several value columns: (label aliases, first column
/// index, column count).
pub const TABLE3_COLUMN_GROUPS: &[(&[&str], usize, usize)] = &[
    (&["法人或其他组织", "法人或者其他组织"], 1, 5),
    (&["申请人情况"], 0, 7),
];

/// Table 四: review, then litigation without review, then litigation after review.
pub const TABLE4_GROUPS: &[(&str, &str, &[&str])] = &[
    ("review", "行政复议", &["行政复议"]),
    (
        "litigation_direct",
        "未经复议直接起诉",
        &["未经复议直接起诉", "直接起诉"],
    ),
    ("litigation_after_review", "复议后起诉", &["复议后起诉"]),
];

pub const TABLE4_COLUMNS: &[Column] = &[
    Column {
        key: "upheld",
        label: "结果维持",
        aliases: &["结果维持", "维持"],
    },
    Column {
        key: "corrected",
        label: "结果纠正",
        aliases: &["结果纠正", "纠正"],
    },
    Column {
        key: "other",
        label: "其他结果",
        aliases: &["其他结果"],
    },
    Column {
        key: "pending",
        label: "尚未审结",
        aliases: &["尚未审结", "审结"],
    },
    Column {
        key: "total",
        label: "总计",
        aliases: &["总计", "合计"],
    },
];

/// What a table 二 value column means, per block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table2Column {
    pub key: &'static str,
    pub label: &'static str,
    pub aliases: &'static [&'static str],
    /// Money in 万元: decimals allowed, 元 converted.
    pub money: bool,
    /// May be negative (2019 本年增/减).
    pub signed: bool,
}

const fn c2(
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
) -> Table2Column {
    Table2Column {
        key,
        label,
        aliases,
        money: false,
        signed: false,
    }
}

pub const T2_DOCS_2021: &[Table2Column] = &[
    c2(
        "issued",
        "本年制发件数",
        &["本年制发件数", "制发件数", "制发"],
    ),
    c2(
        "repealed",
        "本年废止件数",
        &["本年废止件数", "废止件数", "废止"],
    ),
    c2("in_force", "现行有效件数", &["现行有效件数", "现行有效"]),
];
pub const T2_DECISIONS_2021: &[Table2Column] = &[c2(
    "decisions",
    "本年处理决定数量",
    &["本年处理决定数量", "处理决定数量", "处理决定"],
)];
pub const T2_FEES_2021: &[Table2Column] = &[Table2Column {
    key: "amount",
    label: "本年收费金额（单位：万元）",
    aliases: &["本年收费金额", "收费金额"],
    money: true,
    signed: false,
}];
pub const T2_DOCS_2019: &[Table2Column] = &[
    c2(
        "made",
        "本年新制作数量",
        &["本年新制作数量", "新制作数量", "制作数量"],
    ),
    c2(
        "published",
        "本年新公开数量",
        &["本年新公开数量", "新公开数量", "公开数量"],
    ),
    c2(
        "total_published",
        "对外公开总数量",
        &["对外公开总数量", "公开总数量", "总数量"],
    ),
];
pub const T2_ITEMS_2019: &[Table2Column] = &[
    c2(
        "prev_items",
        "上一年项目数量",
        &["上一年项目数量", "上一年项目", "上年项目数量"],
    ),
    Table2Column {
        key: "change",
        label: "本年增/减",
        aliases: &["本年增/减", "本年增减", "增/减", "增减"],
        money: false,
        signed: true,
    },
    c2("decisions", "处理决定数量", &["处理决定数量", "处理决定"]),
];
pub const T2_FEE_ITEMS_2019: &[Table2Column] = &[
    c2(
        "prev_items",
        "上一年项目数量",
        &["上一年项目数量", "上一年项目", "上年项目数量"],
    ),
    Table2Column {
        key: "change",
        label: "本年增/减",
        aliases: &["本年增/减", "本年增减", "增/减", "增减"],
        money: false,
        signed: true,
    },
];
pub const T2_PROCUREMENT_2019: &[Table2Column] = &[
    c2("items", "采购项目数量", &["采购项目数量", "项目数量"]),
    Table2Column {
        key: "amount",
        label: "采购总金额",
        aliases: &["采购总金额", "总金额"],
        money: true,
        signed: false,
    },
];

/// A row of table 二.
#[derive(Debug)]
pub struct Table2Row {
    /// Key under `proactive.`.
    pub key: &'static str,
    pub label: &'static str,
    pub aliases: &'static [&'static str],
    pub vintage: Vintage,
    pub columns: &'static [Table2Column],
    /// 其他对外管理服务事项 may be split into sub-rows.
    pub has_sub_rows: bool,
}

const fn r2(
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    vintage: Vintage,
    columns: &'static [Table2Column],
) -> Table2Row {
    Table2Row {
        key,
        label,
        aliases,
        vintage,
        columns,
        has_sub_rows: false,
    }
}

pub const TABLE2_ROWS: &[Table2Row] = &[
    r2("rules", "规章", &["规章"], Vintage::V2021, T2_DOCS_2021),
    r2(
        "normative",
        "行政规范性文件",
        &["行政规范性文件", "规范性文件"],
        Vintage::V2021,
        T2_DOCS_2021,
    ),
    r2(
        "licensing",
        "行政许可",
        &["行政许可"],
        Vintage::V2021,
        T2_DECISIONS_2021,
    ),
    r2(
        "punishment",
        "行政处罚",
        &["行政处罚"],
        Vintage::V2021,
        T2_DECISIONS_2021,
    ),
    r2(
        "coercion",
        "行政强制",
        &["行政强制"],
        Vintage::V2021,
        T2_DECISIONS_2021,
    ),
    r2(
        "fees",
        "行政事业性收费",
        &["行政事业性收费"],
        Vintage::V2021,
        T2_FEES_2021,
    ),
    r2("rules", "规章", &["规章"], Vintage::V2019, T2_DOCS_2019),
    r2(
        "normative",
        "规范性文件",
        &["规范性文件", "行政规范性文件"],
        Vintage::V2019,
        T2_DOCS_2019,
    ),
    r2(
        "licensing",
        "行政许可",
        &["行政许可"],
        Vintage::V2019,
        T2_ITEMS_2019,
    ),
    Table2Row {
        key: "other_services",
        label: "其他对外管理服务事项",
        aliases: &["其他对外管理服务事项", "对外管理服务事项"],
        vintage: Vintage::V2019,
        columns: T2_ITEMS_2019,
        has_sub_rows: true,
    },
    r2(
        "punishment",
        "行政处罚",
        &["行政处罚"],
        Vintage::V2019,
        T2_ITEMS_2019,
    ),
    r2(
        "coercion",
        "行政强制",
        &["行政强制"],
        Vintage::V2019,
        T2_ITEMS_2019,
    ),
    r2(
        "fees",
        "行政事业性收费",
        &["行政事业性收费"],
        Vintage::V2019,
        T2_FEE_ITEMS_2019,
    ),
    r2(
        "procurement",
        "政府集中采购",
        &["政府集中采购", "集中采购"],
        Vintage::V2019,
        T2_PROCUREMENT_2019,
    ),
];

/// Sub-rows of 其他对外管理服务事项 (contract: `proactive.other_services.<sub>`).
pub const OTHER_SERVICES_SUBROWS: &[(&str, &[&str])] = &[
    ("inspection", &["行政检查"]),
    ("confirmation", &["行政确认"]),
    ("payment", &["行政给付"]),
    ("reward", &["行政奖励"]),
    ("adjudication", &["行政裁决"]),
    ("other", &["其他"]),
];

/// Words that say a table is table 二 / 三 / 四 (used to find them, and to tell vintages apart).
pub const TABLE2_MARKERS: &[&str] = &[
    "信息内容",
    "第二十条",
    "规章",
    "行政许可",
    "行政处罚",
    "行政事业性收费",
];
pub const TABLE3_MARKERS: &[&str] = &[
    "申请人情况",
    "本年新收",
    "上年结转",
    "予以公开",
    "本年度办理结果",
    "结转下年度",
    "结转下一年度",
];
pub const TABLE4_MARKERS: &[&str] = &["行政复议", "行政诉讼", "复议后起诉", "直接起诉"];

/// templates.md "Quick discriminator".
pub const V2021_MARKERS: &[&str] = &[
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年收费金额",
    "制发件数",
    "废止件数",
    "逾期不补正",
    "缴纳费用",
];
pub const V2019_MARKERS: &[&str] = &[
    "本年新制作数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "第二十条第九项",
    "政府集中采购",
    "新制作数量",
];
pub const LEGACY_MARKERS: &[&str] = &[
    "依申请公开政府信息情况",
    "政府信息公开的收费及减免情况",
    "收费及减免情况",
];

/// The six parts of a report: key, official heading text, and other headings seen.
pub const SECTIONS: &[(&str, &[&str])] = &[
    ("overview", &["总体情况", "概述", "基本情况"]),
    ("proactive", &["主动公开政府信息情况", "主动公开政府信息"]),
    (
        "requests",
        &[
            "收到和处理政府信息公开申请情况",
            "收到和处理政府信息公开申请",
            "依申请公开政府信息情况",
        ],
    ),
    (
        "review_litigation",
        &[
            "政府信息公开行政复议行政诉讼情况",
            "行政复议行政诉讼情况",
            "被申请行政复议提起行政诉讼情况",
            "被申请行政复议和提起行政诉讼情况",
            "行政复议和行政诉讼情况",
            "行政复议行政诉讼",
        ],
    ),
    (
        "problems",
        &[
            "存在的主要问题及改进情况",
            "存在的主要问题及改进措施",
            "存在的主要问题及整改措施",
            "存在问题及改进情况",
            "主要问题及改进情况",
            "存在的主要问题和改进措施",
            "主要问题和改进措施",
        ],
    ),
    (
        "other",
        &[
            "其他需要报告的事项",
            "其他需报告事项",
            "其他需要报告事项",
            "其他事项",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::label::normalize;

    fn all_aliases() -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::new();
        TABLE3_ROWS.iter().for_each(|r| v.extend(r.aliases));
        TABLE3_GROUPS.iter().for_each(|g| v.extend(g.1));
        TABLE3_COLUMNS
            .iter()
            .chain(TABLE4_COLUMNS)
            .for_each(|c| v.extend(c.aliases));
        TABLE3_COLUMN_GROUPS.iter().for_each(|g| v.extend(g.0));
        TABLE4_GROUPS.iter().for_each(|g| v.extend(g.2));
        for set in [
            T2_DOCS_2021,
            T2_DECISIONS_2021,
            T2_FEES_2021,
            T2_DOCS_2019,
            T2_ITEMS_2019,
            T2_FEE_ITEMS_2019,
            T2_PROCUREMENT_2019,
        ] {
            set.iter().for_each(|c| v.extend(c.aliases));
        }
        TABLE2_ROWS.iter().for_each(|r| v.extend(r.aliases));
        OTHER_SERVICES_SUBROWS.iter().for_each(|s| v.extend(s.1));
        SECTIONS.iter().for_each(|s| v.extend(s.1));
        for m in [
            TABLE2_MARKERS,
            TABLE3_MARKERS,
            TABLE4_MARKERS,
            V2021_MARKERS,
            V2019_MARKERS,
            LEGACY_MARKERS,
        ] {
            v.extend(m);
        }
        v
    }

    #[test]
    fn aliases_are_written_normalised() {
        for a in all_aliases() {
            assert_eq!(normalize(a), a, "alias {a:?} is not in normalised form");
        }
    }

    #[test]
    fn every_table3_row_label_is_covered_by_an_alias() {
        for r in TABLE3_ROWS {
            let core = crate::template::label::core(r.label);
            assert!(
                r.aliases.iter().any(|a| core.starts_with(a) || core == *a),
                "{}",
                r.label
            );
        }
    }
}
