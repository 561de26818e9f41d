//! Compiling a payload into the typed [`Catalog`], one stage at a time, each problem a
//! [`ProductError`] with its JSON path reported to `Problems`: the caps and the LPR table,
//! duplicate ids, the subsidy programs, the named promotions, every product (limits, price rows,
//! the template loan, parties, references) and the parties shared across products.
//! [`Catalog::compile`] runs the stages in that order and stops at the first problem; lint runs
//! the same stages collecting every problem, between checks of its own.

use super::product::{invalid, Catalog, OfferedPromotion, Price, Product, ProductError};
use super::wire::{
    pre_eligibility_wire, score_error, BundlePayload, OfferLimits, PartyRequest, PartyRole,
    ProductRequest, PRE_ELIGIBILITY,
};
use crate::caps::{Cap, CapSet};
use crate::error::ErrorCode;
use crate::schedule::{Loan, Method, ScheduleError};
use crate::score::CompiledModel;
use crate::subsidy::Program;
use rust_decimal::Decimal;

/// Where the compile stages report problems: [`Problems::first`] makes the first problem end
/// the compile (the engine's gate), [`Problems::every`] records each and lets the stages go on
/// with what compiled (lint).
#[derive(Debug, Default)]
pub(crate) struct Problems {
    every: bool,
    found: Vec<ProductError>,
}

/// The compile stopped at the problem just reported ([`Problems::first`] only).
#[derive(Debug)]
pub(crate) struct Stop;

impl Problems {
    /// Stops at the first problem.
    pub(crate) fn first() -> Problems {
        Problems::default()
    }

    /// Records every problem.
    pub(crate) fn every() -> Problems {
        Problems {
            every: true,
            found: Vec::new(),
        }
    }

    /// Records a problem; `Err(Stop)` unless every problem is wanted.
    pub(crate) fn report(&mut self, problem: ProductError) -> Result<(), Stop> {
        self.found.push(problem);
        if self.every {
            Ok(())
        } else {
            Err(Stop)
        }
    }

    /// The problems recorded since the last call.
    pub(crate) fn take(&mut self) -> Vec<ProductError> {
        std::mem::take(&mut self.found)
    }
}

/// The bundle-wide parts every product is compiled against.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The caps that compiled and the LPR table.
    pub(crate) caps: CapSet,
    /// The subsidy programs that compiled.
    pub(crate) programs: Vec<Program>,
    /// The named promotions that compiled.
    pub(crate) promotions: Vec<OfferedPromotion>,
}

impl Catalog {
    /// Parses and compiles payload bytes (already verified, or a draft being linted).
    pub fn from_slice(payload_bytes: &[u8]) -> Result<Catalog, ProductError> {
        let payload = BundlePayload::from_json(payload_bytes).map_err(ProductError::Schema)?;
        let has_model = payload.pre_eligibility.is_some();
        let mut catalog = Catalog::compile(payload)?;
        if has_model {
            catalog.pre_eligibility = Some(pre_eligibility_model(payload_bytes)?);
        }
        Ok(catalog)
    }

    /// Compiles a parsed payload: the first problem is returned with its JSON path.
    pub fn compile(payload: BundlePayload) -> Result<Catalog, ProductError> {
        let mut problems = Problems::first();
        let products = compile_stages(&payload, &mut problems);
        match (products, problems.take().into_iter().next()) {
            (Ok(products), None) => Ok(Catalog {
                payload,
                products,
                pre_eligibility: None,
            }),
            (_, Some(problem)) => Err(problem),
            (Err(Stop), None) => Err(invalid("", "the compile stopped without a problem")),
        }
    }
}

/// Every stage in the engine's order; products that did not compile are left out.
fn compile_stages(payload: &BundlePayload, problems: &mut Problems) -> Result<Vec<Product>, Stop> {
    let caps = compile_caps(payload, problems)?;
    unique_ids(payload, problems)?;
    let shared = Shared {
        caps,
        programs: compile_programs(payload, problems)?,
        promotions: compile_promotions(payload, problems)?,
    };
    let mut products = Vec::with_capacity(payload.products.len());
    for (idx, wire) in payload.products.iter().enumerate() {
        products.extend(compile_product(payload, idx, wire, &shared, problems)?);
    }
    shared_parties(payload, problems)?;
    Ok(products)
}

/// Stage: a party id shared by several products describes one party.
pub(crate) fn shared_parties(payload: &BundlePayload, problems: &mut Problems) -> Result<(), Stop> {
    for conflict in party_conflicts(&payload.products) {
        problems.report(conflict)?;
    }
    Ok(())
}

/// Stage: each cap on its own, then the LPR table (the caps module's codes, kept for lint).
pub(crate) fn compile_caps(
    payload: &BundlePayload,
    problems: &mut Problems,
) -> Result<CapSet, Stop> {
    let nested = |e: &dyn ErrorCode, fallback: &str, reason: String| ProductError::Checked {
        code: e.code(),
        path: e.path().unwrap_or_else(|| fallback.to_owned()),
        reason,
    };
    let mut caps: Vec<Cap> = Vec::with_capacity(payload.caps.len());
    for (idx, cap) in payload.caps.iter().enumerate() {
        match cap.to_cap(&format!("caps[{idx}]")) {
            Ok(cap) => caps.push(cap),
            Err(e) => problems.report(nested(&e, "caps", e.to_string()))?,
        }
    }
    let lpr = match CapSet::from_wire(&[], &payload.lpr) {
        Ok(set) => set.lpr,
        Err(e) => {
            problems.report(nested(&e, "caps", e.to_string()))?;
            Vec::new()
        }
    };
    Ok(CapSet { caps, lpr })
}

/// Stage: ids unique within caps, subsidy programs, promotions and products.
pub(crate) fn unique_ids(payload: &BundlePayload, problems: &mut Problems) -> Result<(), Stop> {
    let lists: [(&str, Vec<&str>); 4] = [
        ("caps", payload.caps.iter().map(|c| c.id.as_str()).collect()),
        (
            "subsidyPrograms",
            payload
                .subsidy_programs
                .iter()
                .map(|p| p.id.as_deref().unwrap_or(""))
                .collect(),
        ),
        (
            "promotions",
            payload.promotions.iter().map(|p| p.id.as_str()).collect(),
        ),
        (
            "products",
            payload.products.iter().map(|p| p.id.as_str()).collect(),
        ),
    ];
    for (list, ids) in lists {
        for (idx, id) in ids.iter().enumerate() {
            if !id.is_empty() && ids[..idx].contains(id) {
                problems.report(ProductError::DuplicateEntry {
                    path: format!("{list}[{idx}].id"),
                    id: (*id).to_owned(),
                })?;
            }
        }
    }
    Ok(())
}

/// Stage: each subsidy program (a bundle program needs an id).
pub(crate) fn compile_programs(
    payload: &BundlePayload,
    problems: &mut Problems,
) -> Result<Vec<Program>, Stop> {
    let mut programs = Vec::with_capacity(payload.subsidy_programs.len());
    for (idx, program) in payload.subsidy_programs.iter().enumerate() {
        let path = format!("subsidyPrograms[{idx}]");
        if program.id.as_deref().is_none_or(str::is_empty) {
            problems.report(ProductError::Checked {
                code: "missing-id",
                path: format!("{path}.id"),
                reason: "a bundle program needs an id".into(),
            })?;
        }
        match program.to_program(&path) {
            Ok(program) => programs.push(program),
            Err(e) => problems.report(ProductError::Checked {
                code: e.code(),
                path: e.path().unwrap_or(path),
                reason: e.to_string(),
            })?,
        }
    }
    Ok(programs)
}

/// Stage: each named promotion.
pub(crate) fn compile_promotions(
    payload: &BundlePayload,
    problems: &mut Problems,
) -> Result<Vec<OfferedPromotion>, Stop> {
    let mut promotions = Vec::with_capacity(payload.promotions.len());
    for (idx, named) in payload.promotions.iter().enumerate() {
        let path = format!("promotions[{idx}].promotion");
        match named.promotion.to_promotion(&path) {
            Ok(promotion) => promotions.push(OfferedPromotion {
                id: named.id.clone(),
                name: named.name.clone(),
                promotion,
            }),
            Err(e) => problems.report(ProductError::Checked {
                code: e.code(),
                path: e.path().unwrap_or(path),
                reason: e.to_string(),
            })?,
        }
    }
    Ok(promotions)
}

fn pre_eligibility_model(payload_bytes: &[u8]) -> Result<CompiledModel, ProductError> {
    let model = pre_eligibility_wire(payload_bytes)?
        .ok_or_else(|| invalid(PRE_ELIGIBILITY, "preEligibility is missing"))?;
    CompiledModel::compile(&model).map_err(|e| score_error(&e))
}

/// What a product's own values compile to: limits, price rows, the template loan.
struct Values {
    limits: OfferLimits,
    price: Vec<crate::product::PriceRow>,
    template: Loan,
}

/// Stage: one product. Its values stop at their first problem (each depends on the one
/// before); then every party problem and every unknown reference is reported. `None` when
/// the product did not compile.
pub(crate) fn compile_product(
    payload: &BundlePayload,
    index: usize,
    wire: &ProductRequest,
    shared: &Shared,
    problems: &mut Problems,
) -> Result<Option<Product>, Stop> {
    let values = match product_values(wire, index) {
        Ok(values) => Some(values),
        Err(problem) => {
            problems.report(problem)?;
            None
        }
    };
    let parties = product_parties(wire, index, problems)?;
    let references = product_references(payload, index, wire, shared, problems)?;
    let (Some(values), Some((funder, fee_parties)), Some((caps, programs, promotions))) =
        (values, parties, references)
    else {
        return Ok(None);
    };
    Ok(Some(Product {
        wire: wire.clone(),
        index,
        amount_min: values.limits.amount_min,
        amount_max: values.limits.amount_max,
        amount_step: values.limits.amount_step,
        terms: values.limits.terms,
        methods: values.limits.methods,
        year_days: values.limits.year_days,
        price: values.price,
        caps: CapSet {
            caps,
            lpr: shared.caps.lpr.clone(),
        },
        programs,
        promotions,
        template: values.template,
        funder,
        fee_parties,
    }))
}

/// A product's id, limits, price rows (each priced the way the methods require) and template.
fn product_values(wire: &ProductRequest, index: usize) -> Result<Values, ProductError> {
    let at = |field: &str| format!("products[{index}].{field}");
    if wire.id.is_empty() {
        return Err(invalid(at("id"), "must not be empty"));
    }
    let limits = wire.offer_limits(index)?;
    if wire.price.is_empty() {
        return Err(invalid(at("price"), "at least one price row is required"));
    }
    let mut price = Vec::with_capacity(wire.price.len());
    for (idx, row) in wire.price.iter().enumerate() {
        price.push(row.to_row(&at(&format!("price[{idx}]")), limits.year_days)?);
    }
    let flat = limits.methods.contains(&Method::FlatFee);
    for (idx, row) in price.iter().enumerate() {
        let is_fee = matches!(row.price, Price::FeeRate(_));
        if is_fee && limits.methods.iter().any(|m| *m != Method::FlatFee) {
            return Err(invalid(
                at(&format!("price[{idx}].feeRate")),
                "feeRate prices only flat-fee products",
            ));
        }
        if !is_fee && flat {
            return Err(invalid(
                at(&format!("price[{idx}]")),
                "a flat-fee product is priced by feeRate",
            ));
        }
    }
    // The template carries day count, rounding and fees; validation of those happens here once.
    let first_term = limits.terms.first().copied().unwrap_or(1);
    let template = template_loan(wire, limits.amount_min, first_term).map_err(|e| {
        let path = e.path().map_or_else(|| at("fees"), |p| at(&p));
        invalid(path, e.to_string())
    })?;
    Ok(Values {
        limits,
        price,
        template,
    })
}

/// Every party problem of a product; without any, the funder's index and each fee's party.
fn product_parties(
    wire: &ProductRequest,
    index: usize,
    problems: &mut Problems,
) -> Result<Option<(usize, Vec<usize>)>, Stop> {
    let found = party_problems(wire, index);
    let clean = found.is_empty();
    for problem in found {
        problems.report(problem)?;
    }
    if !clean {
        return Ok(None);
    }
    let Some(funder) = wire
        .parties
        .iter()
        .position(|p| p.role == PartyRole::Funder)
    else {
        return Ok(None);
    };
    let mut fee_parties = Vec::with_capacity(wire.fees.len());
    for fee in &wire.fees {
        let party = fee
            .party
            .as_deref()
            .and_then(|id| wire.parties.iter().position(|p| p.id == id));
        match party {
            Some(party) => fee_parties.push(party),
            None => return Ok(None),
        }
    }
    Ok(Some((funder, fee_parties)))
}

/// The product's caps, programs and promotions, looked up among those that compiled. An id
/// the payload does not define is an unknown reference; one whose entry failed to compile
/// was reported with that entry.
#[allow(clippy::type_complexity)]
fn product_references(
    payload: &BundlePayload,
    index: usize,
    wire: &ProductRequest,
    shared: &Shared,
    problems: &mut Problems,
) -> Result<Option<(Vec<Cap>, Vec<Program>, Vec<OfferedPromotion>)>, Stop> {
    let caps = resolve(
        &wire.caps,
        |id| shared.caps.caps.iter().find(|c| c.id == id),
        |id| payload.caps.iter().any(|c| c.id == id),
        (index, "caps", "cap"),
        problems,
    )?;
    let programs = resolve(
        &wire.subsidy_programs,
        |id| shared.programs.iter().find(|p| p.id == id),
        |id| {
            payload
                .subsidy_programs
                .iter()
                .any(|p| p.id.as_deref() == Some(id))
        },
        (index, "subsidyPrograms", "subsidy program"),
        problems,
    )?;
    let promotions = resolve(
        &wire.promotions,
        |id| shared.promotions.iter().find(|p| p.id == id),
        |id| payload.promotions.iter().any(|p| p.id == id),
        (index, "promotions", "promotion"),
        problems,
    )?;
    Ok(caps
        .zip(programs)
        .zip(promotions)
        .map(|((c, p), o)| (c, p, o)))
}

/// Looks up each id of a product's list; `None` when one is missing.
fn resolve<'a, T: Clone + 'a>(
    ids: &[String],
    compiled: impl Fn(&str) -> Option<&'a T>,
    defined: impl Fn(&str) -> bool,
    (index, field, what): (usize, &str, &'static str),
    problems: &mut Problems,
) -> Result<Option<Vec<T>>, Stop> {
    let mut found = Some(Vec::with_capacity(ids.len()));
    for (idx, id) in ids.iter().enumerate() {
        match compiled(id) {
            Some(item) => {
                if let Some(list) = found.as_mut() {
                    list.push(item.clone());
                }
            }
            None => {
                found = None;
                if !defined(id) {
                    problems.report(ProductError::UnknownReference {
                        path: format!("products[{index}].{field}[{idx}]"),
                        what,
                        id: id.clone(),
                    })?;
                }
            }
        }
    }
    Ok(found)
}

fn no_funder(index: usize) -> ProductError {
    ProductError::Party {
        code: "no-funder",
        path: format!("products[{index}].parties"),
        reason: "a product needs exactly one party with role \"funder\" (资金方)".into(),
    }
}

fn fee_without_party(index: usize, fee: usize) -> ProductError {
    ProductError::Party {
        code: "fee-without-party",
        path: format!("products[{index}].fees[{fee}].party"),
        reason: "every fee names the party that charges it".into(),
    }
}

/// Every problem of one product's parties and fee attributions, in payload order: empty ids,
/// duplicate ids, no funder or more than one, fees without a party or naming an unknown one.
/// The engine's compile stops at the first; lint reports them all.
pub fn party_problems(wire: &ProductRequest, index: usize) -> Vec<ProductError> {
    let at = |field: String| format!("products[{index}].{field}");
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut funders = 0_usize;
    for (idx, party) in wire.parties.iter().enumerate() {
        if party.id.is_empty() {
            problems.push(invalid(
                at(format!("parties[{idx}].id")),
                "must not be empty",
            ));
        } else if seen.contains(&party.id.as_str()) {
            problems.push(ProductError::DuplicateId {
                path: at(format!("parties[{idx}].id")),
                id: party.id.clone(),
            });
        }
        seen.push(&party.id);
        for (field, text) in [
            ("legalName", &party.legal_name),
            ("licence", &party.licence),
        ] {
            for (language, value) in [("zh-CN", &text.zh_cn), ("en", &text.en)] {
                if value.trim().is_empty() {
                    problems.push(invalid(
                        at(format!("parties[{idx}].{field}.{language}")),
                        "must not be empty",
                    ));
                }
            }
        }
        if party.service_phone.trim().is_empty() {
            problems.push(invalid(
                at(format!("parties[{idx}].servicePhone")),
                "must not be empty",
            ));
        }
        if party.role == PartyRole::Funder {
            funders += 1;
            if funders > 1 {
                problems.push(ProductError::Party {
                    code: "multiple-funders",
                    path: at(format!("parties[{idx}].role")),
                    reason: "a product has exactly one funder (资金方)".into(),
                });
            }
        }
    }
    if funders == 0 {
        problems.push(no_funder(index));
    }
    for (idx, fee) in wire.fees.iter().enumerate() {
        match fee.party.as_deref() {
            None | Some("") => problems.push(fee_without_party(index, idx)),
            Some(id) if !wire.parties.iter().any(|p| p.id == id) => {
                problems.push(ProductError::UnknownParty {
                    path: at(format!("fees[{idx}].party")),
                    id: id.to_owned(),
                });
            }
            Some(_) => {}
        }
    }
    problems
}

/// Parties that share an id across products but differ (role, names, licence or phone): the
/// partner list shows one entry per id, so one id must mean one party.
pub fn party_conflicts(products: &[ProductRequest]) -> Vec<ProductError> {
    let mut first: Vec<&PartyRequest> = Vec::new();
    let mut problems = Vec::new();
    for (index, product) in products.iter().enumerate() {
        for (idx, party) in product.parties.iter().enumerate() {
            match first.iter().find(|p| p.id == party.id) {
                Some(earlier) if *earlier != party => problems.push(ProductError::Party {
                    code: "conflicting-party",
                    path: format!("products[{index}].parties[{idx}]"),
                    reason: format!(
                        "party {:?} is described differently by an earlier product",
                        party.id
                    ),
                }),
                Some(_) => {}
                None => first.push(party),
            }
        }
    }
    problems
}

/// The product's template loan: its day count, rounding and fees on the smallest amount and
/// the first term, validated as every quoted loan will be.
fn template_loan(
    wire: &ProductRequest,
    principal: Decimal,
    term_months: u32,
) -> Result<Loan, ScheduleError> {
    let (day_count, rounding, fees) = wire.loan_conventions()?;
    let loan = Loan {
        principal,
        annual_rate: Decimal::ZERO,
        term_months,
        method: Method::EqualInstallment,
        fee_rate: Decimal::ZERO,
        start_date: None,
        first_due_date: None,
        day_count,
        rounding,
        fees,
    };
    loan.validate()?;
    Ok(loan)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::template_loan;
    use crate::catalog::wire::{ProductFeeRequest, ProductRequest};
    use crate::schedule::{FeeRequest, ScheduleRequest};
    use rust_decimal::Decimal;

    fn product(
        day_count: Option<&str>,
        rounding: Option<&str>,
        fees: &[[Option<&str>; 4]],
    ) -> ProductRequest {
        let mut wire: ProductRequest = serde_json::from_value(serde_json::json!({
            "id": "p", "name": {"zh-CN": "p", "en": "p"}, "kind": "consumer-loan",
            "amount": {"min": "1000.00", "max": "2000.00", "step": "100.00"},
            "terms": [12], "methods": ["equal-installment"], "price": [{"annualRate": "0.1"}]
        }))
        .unwrap();
        wire.day_count = day_count.map(str::to_owned);
        wire.rounding = rounding.map(str::to_owned);
        wire.fees = fees
            .iter()
            .map(|[kind, timing, amount, rate]| ProductFeeRequest {
                kind: kind.unwrap_or_default().to_owned(),
                timing: timing.unwrap_or_default().to_owned(),
                amount: amount.map(str::to_owned),
                rate: rate.map(str::to_owned),
                party: None,
            })
            .collect();
        wire
    }

    /// The typed template reports exactly what the schedule's own wire reader reports for the
    /// same day count, rounding and fees (the catalog used to build that string request).
    #[test]
    fn the_template_reports_what_the_schedule_reports() {
        let cases = [
            product(None, None, &[]),
            product(Some("act/365"), None, &[]),
            product(Some("act/366"), None, &[]),
            product(None, Some("up"), &[]),
            product(
                None,
                Some("half-even"),
                &[[
                    Some("service"),
                    Some("upfront-deducted"),
                    Some("50.00"),
                    None,
                ]],
            ),
            product(
                None,
                None,
                &[[Some("tip"), Some("per-period"), Some("1.00"), None]],
            ),
            product(
                None,
                None,
                &[[Some("service"), Some("later"), Some("1.00"), None]],
            ),
            product(
                None,
                None,
                &[[Some("service"), Some("per-period"), Some("-1.00"), None]],
            ),
            product(
                None,
                None,
                &[[Some("service"), Some("per-period"), Some("1.001"), None]],
            ),
            product(
                None,
                None,
                &[[Some("service"), Some("per-period"), Some("x"), None]],
            ),
            product(
                None,
                None,
                &[[Some("insurance"), Some("per-period"), None, Some("-0.01")]],
            ),
            product(
                None,
                None,
                &[[Some("insurance"), Some("per-period"), None, Some("0.001")]],
            ),
            product(
                None,
                None,
                &[[
                    Some("insurance"),
                    Some("per-period"),
                    Some("1.00"),
                    Some("0.01"),
                ]],
            ),
            product(
                None,
                None,
                &[[Some("insurance"), Some("per-period"), None, None]],
            ),
            product(
                None,
                None,
                &[[Some("service"), Some("upfront-paid"), Some("2000.00"), None]],
            ),
        ];
        for wire in cases {
            let request = ScheduleRequest {
                principal: wire.amount.min.clone(),
                annual_rate: Some("0".into()),
                term_months: 12,
                method: "equal-installment".into(),
                day_count: wire.day_count.clone(),
                rounding: wire.rounding.clone(),
                fees: wire
                    .fees
                    .iter()
                    .map(|f| FeeRequest {
                        kind: f.kind.clone(),
                        timing: f.timing.clone(),
                        amount: f.amount.clone(),
                        rate: f.rate.clone(),
                    })
                    .collect(),
                ..ScheduleRequest::default()
            };
            let principal: Decimal = "1000.00".parse().unwrap();
            assert_eq!(
                template_loan(&wire, principal, 12),
                request.to_loan(),
                "{wire:?}"
            );
        }
    }

    /// One set of stages, two sinks: the engine's compile stops at the first problem, lint
    /// reports every one (values, parties, references and duplicate ids of one draft).
    #[test]
    fn the_engine_stops_at_the_first_problem_lint_reports_them_all() {
        use crate::catalog::product::Catalog;
        use crate::error::ErrorCode;
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample-bundle.json");
        let mut payload: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        payload["products"][0]["amount"]["min"] = "x".into();
        payload["products"][0]["caps"][0] = "no-such-cap".into();
        payload["products"][1]["parties"] = serde_json::json!([]);
        payload["promotions"][1]["id"] = payload["promotions"][0]["id"].clone();
        let bytes = serde_json::to_vec(&payload).unwrap();
        let first = Catalog::from_slice(&bytes).unwrap_err();
        assert_eq!(
            (first.code(), first.payload_path()),
            ("duplicate-id", "promotions[1].id".to_owned())
        );
        let found: Vec<(String, String)> = crate::lint::lint(&bytes)
            .into_iter()
            .map(|d| (d.code, d.path))
            .collect();
        for (code, path) in [
            ("duplicate-id", "promotions[1].id"),
            ("invalid-bundle", "products[0].amount.min"),
            ("unknown-reference", "products[0].caps[0]"),
            ("no-funder", "products[1].parties"),
        ] {
            assert!(
                found.contains(&(code.to_owned(), path.to_owned())),
                "{code} at {path} in {found:?}"
            );
        }
    }
}
