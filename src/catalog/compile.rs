//! Compiling a payload into the typed [`Catalog`]: duplicate ids, the caps, programs and
//! promotions each on its own, then every product (limits, terms, methods, price rows, the
//! template loan and its fees, parties, references), each problem with its JSON path.
//! The engine stops at the first problem; lint reports them all.

use super::product::{invalid, Catalog, OfferedPromotion, Price, Product, ProductError};
use super::wire::{
    amount_at, pre_eligibility_wire, score_error, term_at, BundlePayload, PartyRequest, PartyRole,
    ProductRequest, PRE_ELIGIBILITY,
};
use crate::apr::YearDays;
use crate::caps::CapSet;
use crate::error::{from_json_slice, ErrorCode};
use crate::schedule::{Loan, Method, ScheduleError};
use crate::score::CompiledModel;
use crate::subsidy::Program;
use rust_decimal::Decimal;

impl Catalog {
    /// Parses and compiles payload bytes (already verified, or a draft being linted).
    pub fn from_slice(payload_bytes: &[u8]) -> Result<Catalog, ProductError> {
        let payload: BundlePayload =
            from_json_slice(payload_bytes).map_err(ProductError::Schema)?;
        let has_model = payload.pre_eligibility.is_some();
        let mut catalog = Catalog::compile(payload)?;
        if has_model {
            catalog.pre_eligibility = Some(pre_eligibility_model(payload_bytes)?);
        }
        Ok(catalog)
    }

    /// Compiles a parsed payload: the first problem is returned with its JSON path.
    pub fn compile(payload: BundlePayload) -> Result<Catalog, ProductError> {
        let all_caps = CapSet::from_wire(&payload.caps, &payload.lpr).map_err(|e| {
            let path = e.path().unwrap_or_else(|| "caps".into());
            invalid(path, e.to_string())
        })?;
        check_unique(payload.caps.iter().map(|c| c.id.as_str()), "caps", ".id")?;
        check_unique(
            payload
                .subsidy_programs
                .iter()
                .map(|p| p.id.as_deref().unwrap_or("")),
            "subsidyPrograms",
            ".id",
        )?;
        check_unique(
            payload.promotions.iter().map(|p| p.id.as_str()),
            "promotions",
            ".id",
        )?;
        check_unique(
            payload.products.iter().map(|p| p.id.as_str()),
            "products",
            ".id",
        )?;
        let mut programs = Vec::with_capacity(payload.subsidy_programs.len());
        for (idx, program) in payload.subsidy_programs.iter().enumerate() {
            let path = format!("subsidyPrograms[{idx}]");
            if program.id.as_deref().is_none_or(str::is_empty) {
                return Err(invalid(
                    format!("{path}.id"),
                    "a bundle program needs an id",
                ));
            }
            programs.push(
                program.to_program(&path).map_err(|e| {
                    invalid(e.path().unwrap_or_else(|| path.clone()), e.to_string())
                })?,
            );
        }
        let mut promotions = Vec::with_capacity(payload.promotions.len());
        for (idx, named) in payload.promotions.iter().enumerate() {
            let path = format!("promotions[{idx}].promotion");
            let promotion = named
                .promotion
                .to_promotion(&path)
                .map_err(|e| invalid(e.path().unwrap_or_else(|| path.clone()), e.to_string()))?;
            promotions.push(OfferedPromotion {
                id: named.id.clone(),
                name: named.name.clone(),
                promotion,
            });
        }
        let mut products = Vec::with_capacity(payload.products.len());
        for (idx, wire) in payload.products.iter().enumerate() {
            products.push(compile_product(
                wire,
                idx,
                &all_caps,
                &programs,
                &promotions,
            )?);
        }
        if let Some(conflict) = party_conflicts(&payload.products).into_iter().next() {
            return Err(conflict);
        }
        Ok(Catalog {
            payload,
            products,
            pre_eligibility: None,
        })
    }
}

fn pre_eligibility_model(payload_bytes: &[u8]) -> Result<CompiledModel, ProductError> {
    let model = pre_eligibility_wire(payload_bytes)?
        .ok_or_else(|| invalid(PRE_ELIGIBILITY, "preEligibility is missing"))?;
    CompiledModel::compile(&model).map_err(|e| score_error(&e))
}

fn check_unique<'a>(
    ids: impl Iterator<Item = &'a str>,
    list: &str,
    field: &str,
) -> Result<(), ProductError> {
    let mut seen: Vec<&str> = Vec::new();
    for (idx, id) in ids.enumerate() {
        if !id.is_empty() && seen.contains(&id) {
            return Err(ProductError::DuplicateId {
                path: format!("{list}[{idx}]{field}"),
                id: id.to_owned(),
            });
        }
        seen.push(id);
    }
    Ok(())
}

pub(crate) fn compile_product(
    wire: &ProductRequest,
    index: usize,
    all_caps: &CapSet,
    programs: &[Program],
    promotions: &[OfferedPromotion],
) -> Result<Product, ProductError> {
    let at = |field: &str| format!("products[{index}].{field}");
    if wire.id.is_empty() {
        return Err(invalid(at("id"), "must not be empty"));
    }
    let amount_min = amount_at(&wire.amount.min, at("amount.min"))?;
    let amount_max = amount_at(&wire.amount.max, at("amount.max"))?;
    let amount_step = amount_at(&wire.amount.step, at("amount.step"))?;
    if amount_min > amount_max {
        return Err(invalid(at("amount"), "min is greater than max"));
    }
    if wire.terms.is_empty() {
        return Err(invalid(at("terms"), "at least one term is required"));
    }
    let terms = wire
        .terms
        .iter()
        .enumerate()
        .map(|(idx, term)| term_at(*term, at(&format!("terms[{idx}]"))))
        .collect::<Result<Vec<_>, _>>()?;
    if wire.methods.is_empty() {
        return Err(invalid(at("methods"), "at least one method is required"));
    }
    let methods = wire
        .methods
        .iter()
        .enumerate()
        .map(|(idx, name)| {
            Method::parse(name).ok_or_else(|| {
                invalid(
                    at(&format!("methods[{idx}]")),
                    format!("unknown method {name:?}"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let year_days = match wire.daily_rate_year_days {
        None => YearDays::D360,
        Some(days) => {
            YearDays::parse(days).ok_or_else(|| invalid(at("dailyRateYearDays"), "360 or 365"))?
        }
    };
    if wire.price.is_empty() {
        return Err(invalid(at("price"), "at least one price row is required"));
    }
    let mut price = Vec::with_capacity(wire.price.len());
    for (idx, row) in wire.price.iter().enumerate() {
        price.push(row.to_row(&at(&format!("price[{idx}]")), year_days)?);
    }
    let flat = methods.contains(&Method::FlatFee);
    for (idx, row) in price.iter().enumerate() {
        let is_fee = matches!(row.price, Price::FeeRate(_));
        if is_fee && methods.iter().any(|m| *m != Method::FlatFee) {
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
    let template = template_loan(wire, amount_min, terms[0]).map_err(|e| {
        let path = e.path().map_or_else(|| at("fees"), |p| at(&p));
        invalid(path, e.to_string())
    })?;
    if let Some(problem) = party_problems(wire, index).into_iter().next() {
        return Err(problem);
    }
    let funder = wire
        .parties
        .iter()
        .position(|p| p.role == PartyRole::Funder)
        .ok_or_else(|| no_funder(index))?;
    let fee_parties = wire
        .fees
        .iter()
        .enumerate()
        .map(|(idx, fee)| {
            fee.party
                .as_deref()
                .and_then(|id| wire.parties.iter().position(|p| p.id == id))
                .ok_or_else(|| fee_without_party(index, idx))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut cap_list = Vec::with_capacity(wire.caps.len());
    for (idx, id) in wire.caps.iter().enumerate() {
        let cap = all_caps.caps.iter().find(|c| &c.id == id).ok_or_else(|| {
            ProductError::UnknownReference {
                path: at(&format!("caps[{idx}]")),
                what: "cap",
                id: id.clone(),
            }
        })?;
        cap_list.push(cap.clone());
    }
    let mut product_programs = Vec::with_capacity(wire.subsidy_programs.len());
    for (idx, id) in wire.subsidy_programs.iter().enumerate() {
        let program = programs.iter().find(|p| &p.id == id).ok_or_else(|| {
            ProductError::UnknownReference {
                path: at(&format!("subsidyPrograms[{idx}]")),
                what: "subsidy program",
                id: id.clone(),
            }
        })?;
        product_programs.push(program.clone());
    }
    let mut product_promotions = Vec::with_capacity(wire.promotions.len());
    for (idx, id) in wire.promotions.iter().enumerate() {
        let promotion = promotions.iter().find(|p| &p.id == id).ok_or_else(|| {
            ProductError::UnknownReference {
                path: at(&format!("promotions[{idx}]")),
                what: "promotion",
                id: id.clone(),
            }
        })?;
        product_promotions.push(promotion.clone());
    }
    Ok(Product {
        wire: wire.clone(),
        index,
        amount_min,
        amount_max,
        amount_step,
        terms,
        methods,
        year_days,
        price,
        caps: CapSet {
            caps: cap_list,
            lpr: all_caps.lpr.clone(),
        },
        programs: product_programs,
        promotions: product_promotions,
        template,
        funder,
        fee_parties,
    })
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
/// `compile_product` stops at the first; lint reports them all.
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
                problems.push(ProductError::UnknownReference {
                    path: at(format!("fees[{idx}].party")),
                    what: "party",
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
}
