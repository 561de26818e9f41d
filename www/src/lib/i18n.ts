// The message catalog: every label and message of the pages in zh-CN (default) and English,
// and the engine's and loader's stable error codes translated for people. The engine's own
// English `message` is never shown to a consumer; unknown codes fall back to a generic text in
// the current language (the code itself goes into the technical details only).
import type { ErrorCode } from "./types";
import { LIMIT_VARS } from "./limits";

export type Lang = "zh-CN" | "en";
export const LANGS: readonly Lang[] = ["zh-CN", "en"];

const zh = {
  "app.brand": "普惠",
  "app.title": "普惠借款计算器",
  "app.tagline": "借款前，先看清每一分钱",
  "app.skip": "跳到计算器",
  "app.lang": "English",
  "app.langLabel": "切换到英文",
  "app.privacy": "所有计算都在您的设备上完成，您输入的内容不会离开本机。",
  "app.staff": "机构人员链接",
  "app.partners": "合作机构名单",
  "app.studio": "产品预览（机构人员）",
  "app.partnerDemo": "合作方嵌入示例",
  "engine.loading": "正在准备计算器…",
  "engine.failed": "计算器加载失败，请刷新页面重试。",
  "calc.title": "借款计算器",
  "calc.amount": "借款金额（元）",
  "calc.amountHint": "例如 10000、1万、¥10,000",
  "calc.term": "期数（月）",
  "calc.rate": "年利率（%）",
  "calc.feeRate": "每期手续费率（%）",
  "calc.rateHint": "例如 7.2 表示每年 7.2%",
  "calc.feeRateHint": "每月按借款金额收取：0.6 表示每期 0.6%",
  "calc.method": "还款方式",
  "calc.start": "放款日",
  "calc.submit": "计算",
  "method.equal-installment": "等额本息",
  "method.equal-principal": "等额本金",
  "method.interest-only": "先息后本",
  "method.bullet": "到期一次还本付息",
  "method.flat-fee": "信用卡分期（按期收手续费）",
  "result.apr": "年化利率（单利，IRR口径）",
  "result.aprCompound": "复利年化",
  "result.perPeriodFee": "每期手续费率",
  "result.perPeriodFeeNote": "每期费率看起来低，折算成年化利率是 {apr}。",
  "result.payment": "每期还款",
  "result.firstPayment": "首期还款",
  "result.lastPayment": "末期还款",
  "result.interest": "总利息",
  "result.fees": "总费用",
  "result.totalRepaid": "还款总额",
  "result.costPer10000": "每借1万元的成本",
  "result.asOf": "按 {date} 的规定判断",
  "result.calculating": "正在计算…",
  "result.empty": "填写完整后显示结果",
  "result.live": "{aprLabel} {apr}，{paymentLabel} {payment}。",
  "rate.cn-daily": "年化利率（单利）",
  "warn.cap24": "年化利率 {rate} 超过 24%：持牌机构的综合融资成本不得高于 24%。",
  "warn.lpr": "年化利率 {rate} 超过一年期 LPR 的 {k} 倍（{limit}）：超出部分的民间借贷利息不受法律保护。",
  "warn.cap": "年化利率 {rate} 超过上限 {limit}。",
  "chart.title": "每期还款构成",
  "chart.principal": "本金",
  "chart.interest": "利息",
  "chart.fee": "费用",
  "chart.balance": "剩余本金",
  "chart.summary": "共 {n} 期：本金 {principal}，利息 {interest}，费用 {fee}。",
  "table.caption": "还款计划",
  "table.period": "期",
  "table.due": "还款日",
  "table.payment": "还款额",
  "table.principal": "本金",
  "table.interest": "利息",
  "table.fee": "费用",
  "table.balance": "剩余本金",
  "table.showAll": "显示全部 {n} 期",
  "table.collapse": "收起",
  "table.prev": "上一页",
  "table.next": "下一页",
  "table.page": "第 {from}–{to} 期，共 {n} 期",
  "table.gap": "…… 中间 {n} 期 ……",
  "offers.title": "今日可借",
  "offers.loading": "正在获取最新产品和价格…",
  "offers.offline": "暂时无法连接网络，无法获取产品和价格。上面的计算器仍可使用。",
  "offers.unverifiable": "产品数据未能通过安全校验，为保护您，暂不显示报价。请稍后再试。",
  "offers.stale": "产品价格可能已过期（未能获取最新数据），仅供参考。",
  "offers.cached": "未能获取最新数据，显示的是上次获取的产品价格。",
  "offers.preview": "预览草稿，未签名，不是正式报价",
  "offers.details": "技术详情",
  "offers.signedBy": "签名",
  "offers.version": "版本",
  "offers.issued": "发布时间",
  "offers.product": "产品",
  "offers.amount": "借款金额（元）",
  "offers.term": "期数",
  "offers.termOption": "{n} 个月",
  "offers.method": "还款方式",
  "offers.band": "信用等级",
  "offers.bandHint": "做完下方预审会自动选择",
  "offers.bandChosenHint": "报价按所选等级计算，实际等级以审批结果为准",
  "offers.used": "今年已享受的贴息（元）",
  "offers.start": "放款日",
  "offers.promotions": "优惠",
  "offers.promoSaving": "优惠节省",
  "offers.rateBeforeAfter": "优惠前 {before} → 优惠后 {after}",
  "offers.subsidy": "财政贴息",
  "offers.subsidyBeforeAfter": "贴息前 {before} → 贴息后 {after}",
  "offers.noSubsidy": "本笔不享受贴息",
  "offers.firstBeforeAfter": "原 {before}",
  "offers.totalAfter": "实际还款总额",
  "offers.caps": "利率上限检查",
  "offers.capPass": "未超过",
  "offers.capOver": "超过上限",
  "offers.capLine": "{name}：上限 {limit}，本笔 {rate}",
  "cap.comprehensive-24": "综合融资成本 24% 上限",
  "cap.lpr": "一年期 LPR 的 {k} 倍",
  "cap.other": "利率上限",
  "offers.productRange": "可借 {min} – {max}",
  "band.A": "优质", "band.B": "良好", "band.C": "一般",
  "parties.title": "谁借钱给您、谁提供服务、各收多少",
  "parties.role.funder": "资金方（放款机构）",
  "parties.role.platform": "助贷机构（服务平台）",
  "parties.role.guarantor": "增信方（担保）",
  "parties.role.insurer": "增信方（保险）",
  "parties.licence": "机构类型：{value}",
  "parties.phoneLine": "客服电话：",
  "list.sep": "、",
  "parties.phone": "客服电话",
  "parties.charges": "收取",
  "parties.total": "合计",
  "charge.interest": "利息",
  "charge.installment-fee": "分期手续费",
  "charge.guarantee": "担保费",
  "charge.insurance": "保险费",
  "charge.service": "服务费",
  "charge.membership": "会员费",
  "charge.other": "其他费用",
  "elig.title": "我能借到吗？（预审）",
  "elig.privacy": "您的回答只在本机计算，不会发送到任何地方。",
  "elig.age": "年龄（周岁）",
  "elig.income": "月收入（元，税后）",
  "elig.repay": "现有每月还款（元，没有填 0）",
  "elig.housing": "住房情况",
  "elig.residency": "居住地",
  "elig.choose": "请选择",
  "housing.own": "自有住房", "housing.rent": "租房", "housing.free": "与家人同住 / 免费居住",
  "residency.CN": "中国内地", "residency.HK": "香港", "residency.MO": "澳门", "residency.OTHER": "其他国家或地区",
  "elig.submit": "开始预审",
  "elig.likely": "大概率可以通过",
  "elig.refer": "需要人工审核",
  "elig.unlikely": "暂时不太可能通过",
  "elig.limit": "参考额度最高 {limit}",
  "elig.noLimit": "按您填写的收入和现有还款，目前没有可借的额度。",
  "elig.reasonsTitle": "影响结果的原因，以及您可以怎么做",
  "elig.offersTitle": "参考报价",
  "elig.offerLine": "{amount}，{term} 个月，年化利率 {rate}，首期 {first}，总成本 {cost}",
  "elig.note": "预审只是估算，不是审批结果，也不会影响您的征信。",
  "reason.K01": "申请人需年满 18 周岁。",
  "reason.K02": "目前只服务中国内地、香港和澳门居民。",
  "reason.K03": "现有每月还款超过月收入的一半。先还清或减少部分负债，再来试试。",
  "reason.AGE": "年龄段对评分有影响。这一项无法改变，其他条件更好时结果也会更好。",
  "reason.INC": "月收入较低。收入提高、或能提供更完整的收入证明时，可获得更好的结果。",
  "reason.HOU": "住房情况会影响评分。有稳定住所（自有或长期租住）时结果更好。",
  "reason.generic": "“{name}”一项拉低了评分。",
  "partners.title": "合作机构名单",
  "partners.intro": "以下是当前产品的全部合作机构：谁放款（资金方）、谁提供服务（助贷机构）、谁提供担保或保险（增信方）。",
  "partners.updated": "更新于 {date}",
  "partners.search": "搜索机构名称、类型或电话",
  "partners.count": "共 {n} 家机构",
  "partners.none": "当前产品数据中没有合作机构信息。",
  "partners.noMatch": "没有找到匹配的机构。",
  "partners.products": "相关产品：{list}",
  "partners.back": "返回计算器",
  "err.field.required": "请填写这一项。",
  "err.field.choose": "请选择一项。",
  "err.field.not-a-number": "请输入数字。",
  "err.field.not-a-number.amount": "请输入数字，例如 10000 或 1万。",
  "err.field.not-a-number.rate": "请输入数字，例如 7.2 或 7.2%。",
  "err.field.not-a-number.feeRate": "请输入数字，例如 0.6 或 0.6%。",
  "err.field.not-a-number.term": "请输入月数，例如 12 或 12个月。",
  "err.field.not-a-number.age": "请输入周岁，例如 35。",
  "err.field.negative": "不能是负数。",
  "err.field.bad-grouping": "千位分隔符的位置不对，例如应写 10,000。",
  "err.field.not-integer": "请输入整数。",
  "err.field.not-integer.term": "请输入整数个月，例如 12。",
  "err.field.not-integer.age": "请输入整数周岁，例如 35。",
  "err.field.age-range": "请输入 {min} 到 {max} 之间的年龄。",
  "err.over-precise-amount": "金额最多精确到分（小数点后两位）。",
  "err.malformed-decimal": "请输入数字。",
  "err.invalid-principal": "借款金额必须大于 0。",
  "err.invalid-rate": "利率不在有效范围内。",
  "err.invalid-term": "期数须在 {minTerm} 到 {maxTerm} 个月之间。",
  "err.amount-out-of-range": "金额须在 {min} 到 {max} 之间。",
  "err.amount-off-step": "金额须是 {step} 的整数倍。",
  "err.term-not-offered": "本产品不提供这个期数。",
  "err.method-not-offered": "本产品不提供这种还款方式。",
  "err.no-price": "请先选择信用等级。",
  "err.unknown-product": "没有这个产品。",
  "err.invalid-date": "日期格式不正确。",
  "err.fees-exceed-principal": "费用超过了借款金额。",
  "err.negative-amortization": "每期还款不足以偿还利息。",
  "err.no-solution": "无法为这组数字计算年化利率。",
  "err.overflow": "数字太大，无法计算。",
  "err.number-out-of-range": "数字超出可计算范围。",
  "err.generic": "无法计算，请检查输入。",
  "err.bundle": "无法加载产品数据。",
} as const;

export type MessageKey = keyof typeof zh;

// Every `err.<code>` key of the catalog must be an engine code (the registry's `ErrorCode`
// union, generated from src/error_codes.rs): a renamed or invented code fails `tsc` here,
// naming the key. `err.field.*`, `err.generic` and `err.bundle` are the page's own messages.
type CatalogCodeKey = Exclude<Extract<MessageKey, `err.${string}`>, `err.field.${string}` | "err.generic" | "err.bundle">;
type UnknownCodeKey = Exclude<CatalogCodeKey, `err.${ErrorCode}`>;
const catalogCodesAreEngineCodes: [UnknownCodeKey] extends [never] ? true : UnknownCodeKey = true;
void catalogCodesAreEngineCodes;

const en: Record<MessageKey, string> = {
  "app.brand": "Puhui",
  "app.title": "Puhui loan calculator",
  "app.tagline": "See exactly what a loan costs before you borrow",
  "app.skip": "Skip to the calculator",
  "app.lang": "中文",
  "app.langLabel": "Switch to Chinese",
  "app.privacy": "Every figure is computed on your device; nothing you type leaves it.",
  "app.staff": "Links for lender staff",
  "app.partners": "Partner list",
  "app.studio": "Product preview (lender staff)",
  "app.partnerDemo": "Partner embed demo",
  "engine.loading": "Getting the calculator ready…",
  "engine.failed": "The calculator could not load. Please reload the page.",
  "calc.title": "Loan calculator",
  "calc.amount": "Amount (yuan)",
  "calc.amountHint": "e.g. 10000 or ¥10,000",
  "calc.term": "Term (months)",
  "calc.rate": "Annual rate (%)",
  "calc.feeRate": "Fee per period (%)",
  "calc.rateHint": "e.g. 7.2 means 7.2 % a year",
  "calc.feeRateHint": "Every month: 0.6 means 0.6 % of the amount",
  "calc.method": "Repayment",
  "calc.start": "Start date",
  "calc.submit": "Calculate",
  "method.equal-installment": "Equal installments",
  "method.equal-principal": "Equal principal",
  "method.interest-only": "Interest only, principal at the end",
  "method.bullet": "Everything at the end",
  "method.flat-fee": "Card installment (fee per period)",
  "result.apr": "Annualized rate (simple, IRR method)",
  "result.aprCompound": "Compound",
  "result.perPeriodFee": "Fee per period",
  "result.perPeriodFeeNote": "The per-period fee looks small; as an annualized rate it is {apr}.",
  "result.payment": "Each payment",
  "result.firstPayment": "First payment",
  "result.lastPayment": "Last payment",
  "result.interest": "Total interest",
  "result.fees": "Total fees",
  "result.totalRepaid": "Total repaid",
  "result.costPer10000": "Cost per ¥10,000 borrowed",
  "result.asOf": "Judged by the rules in force on {date}",
  "result.calculating": "Calculating…",
  "result.empty": "Results appear once every field is filled in",
  "result.live": "{aprLabel} {apr}, {paymentLabel} {payment}.",
  "rate.cn-daily": "Annualized rate (simple, daily rate × {yearDays})",
  "warn.cap24": "The annualized rate {rate} is above 24 %: licensed lenders may not charge a total cost above 24 %.",
  "warn.lpr": "The annualized rate {rate} is above {k} × the one-year LPR ({limit}): interest above it is not protected by law in private lending.",
  "warn.cap": "The annualized rate {rate} is above the limit of {limit}.",
  "chart.title": "What each payment is made of",
  "chart.principal": "Principal",
  "chart.interest": "Interest",
  "chart.fee": "Fees",
  "chart.balance": "Balance",
  "chart.summary": "{n} payments: principal {principal}, interest {interest}, fees {fee}.",
  "table.caption": "Repayment schedule",
  "table.period": "#",
  "table.due": "Due",
  "table.payment": "Payment",
  "table.principal": "Principal",
  "table.interest": "Interest",
  "table.fee": "Fee",
  "table.balance": "Balance",
  "table.showAll": "Show all {n} payments",
  "table.collapse": "Show less",
  "table.prev": "Previous",
  "table.next": "Next",
  "table.page": "Payments {from}–{to} of {n}",
  "table.gap": "… {n} more payments …",
  "offers.title": "Loans on offer today",
  "offers.loading": "Getting today's products and prices…",
  "offers.offline": "You seem to be offline, so products and prices cannot be fetched. The calculator above still works.",
  "offers.unverifiable": "The product data failed its security check, so no offers are shown to protect you. Please try again later.",
  "offers.stale": "These prices may be out of date (the latest data could not be fetched). For reference only.",
  "offers.cached": "The latest data could not be fetched; these are the prices fetched last time.",
  "offers.preview": "Preview draft, unsigned: not an offer",
  "offers.details": "Technical details",
  "offers.signedBy": "Signed by",
  "offers.version": "Version",
  "offers.issued": "Issued",
  "offers.product": "Product",
  "offers.amount": "Amount (yuan)",
  "offers.term": "Term",
  "offers.termOption": "{n} months",
  "offers.method": "Repayment",
  "offers.band": "Credit grade",
  "offers.bandHint": "Set automatically by the check below",
  "offers.bandChosenHint": "Priced for the grade chosen; your actual grade is set on approval",
  "offers.used": "Subsidy already received this year (yuan)",
  "offers.start": "Start date",
  "offers.promotions": "Promotions",
  "offers.promoSaving": "Promotion saves you",
  "offers.rateBeforeAfter": "Before {before} → after {after}",
  "offers.subsidy": "Fiscal interest subsidy",
  "offers.subsidyBeforeAfter": "Before subsidy {before} → after {after}",
  "offers.noSubsidy": "No subsidy applies to this loan",
  "offers.firstBeforeAfter": "was {before}",
  "offers.totalAfter": "You repay in total",
  "offers.caps": "Rate cap check",
  "offers.capPass": "within the cap",
  "offers.capOver": "over the cap",
  "offers.capLine": "{name}: limit {limit}, this loan {rate}",
  "cap.comprehensive-24": "24 % total-cost cap",
  "cap.lpr": "{k} × one-year LPR",
  "cap.other": "Rate cap",
  "offers.productRange": "From {min} to {max}",
  "band.A": "Excellent", "band.B": "Good", "band.C": "Fair",
  "parties.title": "Who lends, who serves you, and what each charges",
  "parties.role.funder": "Lender (funds the loan)",
  "parties.role.platform": "Platform (serves the loan)",
  "parties.role.guarantor": "Guarantor",
  "parties.role.insurer": "Insurer",
  "parties.licence": "Licence: {value}",
  "parties.phoneLine": "Service phone: ",
  "list.sep": ", ",
  "parties.phone": "Service phone",
  "parties.charges": "Charges",
  "parties.total": "Total",
  "charge.interest": "Interest",
  "charge.installment-fee": "Installment fee",
  "charge.guarantee": "Guarantee fee",
  "charge.insurance": "Insurance premium",
  "charge.service": "Service fee",
  "charge.membership": "Membership fee",
  "charge.other": "Other fees",
  "elig.title": "Am I likely to qualify?",
  "elig.privacy": "Your answers are scored on this device and sent nowhere.",
  "elig.age": "Age (years)",
  "elig.income": "Monthly income after tax (yuan)",
  "elig.repay": "Existing monthly repayments (yuan, 0 if none)",
  "elig.housing": "Housing",
  "elig.residency": "Where you live",
  "elig.choose": "Choose…",
  "housing.own": "I own my home", "housing.rent": "I rent", "housing.free": "I live with family / rent-free",
  "residency.CN": "Mainland China", "residency.HK": "Hong Kong", "residency.MO": "Macau", "residency.OTHER": "Elsewhere",
  "elig.submit": "Check",
  "elig.likely": "You are likely to qualify",
  "elig.refer": "A person will need to review this",
  "elig.unlikely": "You are unlikely to qualify right now",
  "elig.limit": "Indicative limit up to {limit}",
  "elig.noLimit": "With the income and repayments you entered, there is no amount we can lend for now.",
  "elig.reasonsTitle": "What shaped this result, and what you could change",
  "elig.offersTitle": "Indicative offers",
  "elig.offerLine": "{amount} over {term} months, annualized rate {rate}, first payment {first}, total cost {cost}",
  "elig.note": "This is an estimate, not an approval, and it does not touch your credit record.",
  "reason.K01": "Applicants must be at least 18 years old.",
  "reason.K02": "We currently serve residents of mainland China, Hong Kong and Macau only.",
  "reason.K03": "Your existing monthly repayments are more than half of your income. Paying some debt down first would help.",
  "reason.AGE": "Your age band affects the score. You cannot change it, but the other answers count too.",
  "reason.INC": "Your monthly income is on the low side. A higher or better-documented income gives a better result.",
  "reason.HOU": "Housing affects the score: a stable home (owned or a long-term rent) gives a better result.",
  "reason.generic": "The answer on “{name}” lowered the score.",
  "partners.title": "Partner institutions",
  "partners.intro": "Every institution behind the current products: who lends the money (funder), who serves the loan (platform), who guarantees or insures it.",
  "partners.updated": "Updated on {date}",
  "partners.search": "Search by name, type or phone",
  "partners.count": "{n} institutions",
  "partners.none": "The current product data lists no partner institutions.",
  "partners.noMatch": "No institution matches.",
  "partners.products": "Products: {list}",
  "partners.back": "Back to the calculator",
  "err.field.required": "Please fill this in.",
  "err.field.choose": "Please choose one.",
  "err.field.not-a-number": "Please enter a number.",
  "err.field.not-a-number.amount": "Please enter a number, e.g. 10000.",
  "err.field.not-a-number.rate": "Please enter a number, e.g. 7.2 or 7.2%.",
  "err.field.not-a-number.feeRate": "Please enter a number, e.g. 0.6 or 0.6%.",
  "err.field.not-a-number.term": "Please enter a number of months, e.g. 12.",
  "err.field.not-a-number.age": "Please enter your age in years, e.g. 35.",
  "err.field.negative": "This cannot be negative.",
  "err.field.bad-grouping": "The thousands separators are misplaced; write e.g. 10,000.",
  "err.field.not-integer": "Please enter a whole number.",
  "err.field.not-integer.term": "Please enter a whole number of months, e.g. 12.",
  "err.field.not-integer.age": "Please enter a whole number of years, e.g. 35.",
  "err.field.age-range": "Please enter an age between {min} and {max}.",
  "err.over-precise-amount": "Amounts go down to the fen (two decimal places) at most.",
  "err.malformed-decimal": "Please enter a number.",
  "err.invalid-principal": "The amount must be more than 0.",
  "err.invalid-rate": "This rate is outside the range that can be calculated.",
  "err.invalid-term": "The term must be between {minTerm} and {maxTerm} months.",
  "err.amount-out-of-range": "The amount must be between {min} and {max}.",
  "err.amount-off-step": "The amount must be a multiple of {step}.",
  "err.term-not-offered": "This product does not offer that term.",
  "err.method-not-offered": "This product does not offer that repayment method.",
  "err.no-price": "Please choose a credit grade first.",
  "err.unknown-product": "This product is not offered.",
  "err.invalid-date": "The date is not valid.",
  "err.fees-exceed-principal": "The fees exceed the amount borrowed.",
  "err.negative-amortization": "The payments do not even cover the interest.",
  "err.no-solution": "No annualized rate can be computed for these figures.",
  "err.overflow": "These numbers are too large to calculate.",
  "err.number-out-of-range": "This number is outside the range that can be calculated.",
  "err.generic": "This could not be calculated; please check the inputs.",
  "err.bundle": "The product data could not be loaded.",
};

const catalogs: Record<Lang, Record<MessageKey, string>> = { "zh-CN": zh, en };

/** The text of `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template = catalogs[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** What a number field holds, so its messages give an example of that (a rate is not 1万). */
export type FieldKind = "amount" | "rate" | "feeRate" | "term" | "age";

/**
 * The message for a normalizer code (`not-a-number`, `negative`, …) at a field of `kind`: the
 * kind's own wording when the catalog has one (`err.field.<code>.<kind>`), else the general one.
 */
export function fieldErrorText(lang: Lang, code: string, kind: FieldKind, vars: Record<string, string | number> = {}): string {
  const specific = `err.field.${code}.${kind}`;
  if (has(specific)) return t(lang, specific, vars);
  const general = `err.field.${code}`;
  return has(general) ? t(lang, general, vars) : t(lang, "err.generic");
}

/**
 * A label the engine writes beside a figure (`年化利率(单利)`, the regulatory wording) in `lang`:
 * the engine's own text in Chinese, the catalog's translation under `key` in English (or when the
 * engine gave none). The engine's Chinese label is never printed on an English page.
 */
export function engineLabel(lang: Lang, label: string | undefined, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return lang === "zh-CN" && label ? label : t(lang, key, vars);
}

/** A credit grade's name ("A" → 优质 / Excellent); a grade the catalog does not know as given. */
export function bandText(lang: Lang, band: string): string {
  const key = `band.${band}`;
  return has(key) ? t(lang, key) : band;
}

/** True when the catalog has `key` (for keys built from engine codes). */
export function has(key: string): key is MessageKey {
  return key in zh;
}

/**
 * The message for an engine error code, in `lang`; a generic text for codes it does not know.
 * The engine's bounds (`{maxTerm}`, …) come from lib/limits.ts, never from a number in a message.
 */
export function errorText(lang: Lang, code: string | undefined, vars: Record<string, string | number> = {}): string {
  const key = `err.${code ?? ""}`;
  return has(key) ? t(lang, key, { ...LIMIT_VARS, ...vars }) : t(lang, "err.generic");
}

/** Every key, for the catalog completeness test. */
export function catalogKeys(): { zh: string[]; en: string[] } {
  return { zh: Object.keys(zh), en: Object.keys(en) };
}

/** The language saved by the toggle, else zh-CN. */
export function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem("puhui:lang");
    if (saved === "en" || saved === "zh-CN") return saved;
  } catch {
    // storage blocked: default language
  }
  return "zh-CN";
}

export function saveLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem("puhui:lang", lang);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}
