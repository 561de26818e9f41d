//! The texts of reasons and assumptions: one static template per code in both display
//! languages, filled with the program's name and one detail.
//!
//! Static text plus one filler instead of a `format!` per message keeps the wasm small.
//! It must not decide which reason applies; the stages that find one call [`reason`] or
//! [`loan_note`].

use super::{LocalizedText, Program, Reason};

/// Message templates per reason and assumption code: (code, zh-CN, en). `{n}` stands for the
/// program's display name, `{d}` for the detail. Static text plus one filler instead of a
/// `format!` per message keeps the wasm small.
const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "outside-window",
        "贷款计息期不在{n}的贴息期内（{d}）",
        "the loan accrues no interest inside the window of {n} ({d})",
    ),
    (
        "contract-date-outside-window",
        "合同日期不在{n}的适用期内（{d}）",
        "the contract date is outside the contract window of {n} ({d})",
    ),
    (
        "institution-not-eligible",
        "贷款机构类型（{d}）不在{n}的经办机构范围内",
        "institution type {d} does not take part in {n}",
    ),
    (
        "loan-kind-not-eligible",
        "贷款类型（{d}）不适用{n}",
        "loan kind {d} is not covered by {n}",
    ),
    (
        "category-not-eligible",
        "消费类别（{d}）不在{n}的重点领域内",
        "category {d} is not among the areas covered by {n}",
    ),
    (
        "amount-above-max",
        "贷款金额超过{n}的上限（{d}）",
        "the loan amount exceeds the limit of {n} ({d})",
    ),
    (
        "cap-exhausted",
        "{n}的贴息额度已用完",
        "the subsidy cap of {n} is already used up",
    ),
    (
        "no-interest-charged",
        "本贷款在{n}的贴息期内没有需支付的利息",
        "no interest is payable inside the window of {n}",
    ),
    (
        "below-one-fen",
        "按{n}计算的贴息每期不足一分钱",
        "the subsidy under {n} is below one fen in every period",
    ),
    (
        "covered-by-other-program",
        "{n}的贴息期已由列在前面的政策覆盖",
        "the days of {n} are already covered by an earlier program",
    ),
    (
        "undated-loan",
        "贷款没有起始日期且未提供评估日期：视为全部计息期均在贴息期和合同适用期内",
        "the loan has no start date and no asOf: every period is treated as inside the program and contract windows",
    ),
    (
        "as-of-as-start",
        "贷款没有起始日期：以评估日期 {d} 作为起息日",
        "the loan has no start date: it is taken to start on asOf {d}",
    ),
    (
        "institution-unknown",
        "未提供机构类型：假定符合{n}的机构范围",
        "no institution type given: assumed to take part in {n}",
    ),
    (
        "category-unknown",
        "未提供消费类别：假定符合{n}的领域要求",
        "no category given: assumed to be covered by {n}",
    ),
    (
        "loan-kind-inferred",
        "未提供贷款类型：按还款方式视为 {d}",
        "no loan kind given: taken as {d} from the repayment method",
    ),
    (
        "small-used-assumed",
        "未提供小额消费已用贴息：按已用贴息全部计入{n}的小额上限",
        "small-consumption use not given: all subsidy used is counted against the small-consumption cap of {n}",
    ),
    (
        "per-year-undated",
        "贷款没有日期：{n}的年度上限按一个年度计算",
        "the loan has no dates: the per-year cap of {n} is applied once",
    ),
];

/// `template` with `{n}` replaced by `name` and `{d}` by `detail` (one pass over the template,
/// so braces inside the values are left alone).
#[inline(never)]
fn fill(template: &str, name: &str, detail: &str) -> String {
    let mut out = String::with_capacity(template.len() + name.len() + detail.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{n}") {
            out.push_str(name);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{d}") {
            out.push_str(detail);
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Localized messages for every reason and assumption code; `name` is the program's
/// display name in each language (empty for loan-wide notes).
#[inline(never)]
fn message(code: &str, name: &str, name_en: &str, detail: &str) -> LocalizedText {
    match MESSAGES.iter().find(|(known, _, _)| *known == code) {
        Some((_, zh_cn, en)) => LocalizedText {
            zh_cn: fill(zh_cn, name, detail),
            en: fill(en, name_en, detail),
        },
        None => LocalizedText {
            zh_cn: detail.to_owned(),
            en: detail.to_owned(),
        },
    }
}

/// The reason `code` about `program`, in both languages.
#[inline(never)]
pub(super) fn reason(code: &'static str, program: &Program, detail: &str) -> Reason {
    let (name, name_en) = match &program.name {
        Some(name) => (name.zh_cn.as_str(), name.en.as_str()),
        None => (program.id.as_str(), program.id.as_str()),
    };
    Reason {
        program: Some(program.id.clone()),
        code,
        message: message(code, name, name_en, detail),
    }
}

/// A note about the loan as a whole (no program), in both languages.
pub(super) fn loan_note(code: &'static str, detail: &str) -> Reason {
    Reason {
        program: None,
        code,
        message: message(code, "", "", detail),
    }
}
