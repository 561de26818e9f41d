//! The batched price grid: every amount × term × band × method of a product, quoted by the
//! core engine in one call, optionally side by side with the live bundle.
//!
//! Owns the grid request ([`GridSpec`]), the choice of default axes (the product's own terms,
//! bands and methods, and amounts spread over its range on its step) and the per-cell change
//! against the baseline (rate in percentage points, total cost in yuan), computed on decimals.
//! Every figure comes from [`puhui::engine::Engine::quote_cn_only`]: the path of `puhui quote` and
//! the consumer page, without the US and EU rates the grid does not show. This module only
//! selects figures and subtracts the live ones.
//! It must not price anything itself, read clocks, or cross into JS.

use puhui::engine::{Engine, Quote, QuoteRequest};
use puhui::error::{from_json_slice, ApiError, ErrorCode};
use puhui::money::{fmt_dp, fmt_money, parse_amount, Rounding};
use puhui::product::Product;
use puhui::subsidy::ContextRequest;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Most cells one grid call quotes (per side), so a hostile spec cannot stall the page.
pub const MAX_CELLS: usize = 20_000;
/// Most amounts spread over a product's range when none are given.
pub const MAX_AMOUNT_COUNT: usize = 100;
/// Amounts spread over a product's range when the spec gives neither list nor count.
pub const DEFAULT_AMOUNT_COUNT: usize = 10;

/// What to quote. Every axis is optional; absent axes default to what the product offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GridSpec {
    /// Product ids (default: every product of the draft, in bundle order).
    #[serde(default)]
    pub products: Option<Vec<String>>,
    /// Amounts as decimal strings, used for every product (cells a product does not offer
    /// carry the engine's error). Default: `amountCount` amounts spread over each range.
    #[serde(default)]
    pub amounts: Option<Vec<String>>,
    /// How many amounts to spread from `min` to `max` on the product's step (default 10).
    #[serde(default)]
    pub amount_count: Option<usize>,
    /// Terms in months (default: the product's terms).
    #[serde(default)]
    pub terms: Option<Vec<i64>>,
    /// Risk bands (default: the bands the product's price table names, or none).
    #[serde(default)]
    pub bands: Option<Vec<String>>,
    /// Repayment methods (default: the product's methods).
    #[serde(default)]
    pub methods: Option<Vec<String>>,
    /// `YYYY-MM-DD`: the day caps, the LPR and subsidy programs are judged on.
    pub as_of: String,
}

/// A cap as a cell reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapFlag {
    /// Cap id.
    pub id: String,
    /// The ceiling on `asOf`, display percent.
    pub limit_percent: String,
    /// The rate the cap measures, display percent.
    pub rate_percent: String,
    /// `rate ≤ limit`.
    pub pass: bool,
}

/// The figures of one quote: strings as the engine formats them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// Price row that matched (first hit).
    pub row: usize,
    /// Annualized rate 单利 (IRR method), display percent, 2 decimals.
    pub percent: String,
    /// Annualized rate 复利, display percent.
    pub effective_percent: String,
    /// First installment, yuan.
    pub first_payment: String,
    /// Interest plus every fee, yuan.
    pub total_cost: String,
    /// Total cost per 10,000 yuan of principal (每万元成本).
    pub cost_per_10000: String,
    /// Subsidy and promotions total, yuan (`0.00` when no program applies).
    pub subsidy: String,
    /// Annualized rate after the subsidy, display percent.
    pub net_percent: String,
    /// Every applicable cap on `asOf`.
    pub caps: Vec<CapFlag>,
    /// Some non-legacy cap fails.
    pub breaks_cap: bool,
    /// Unrounded: CN rate, for the delta (not serialized).
    #[serde(skip)]
    rate: Decimal,
    /// Unrounded total cost, for the delta (not serialized).
    #[serde(skip)]
    total: Decimal,
}

/// Why a cell has no quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellError {
    /// The engine's stable code (`no-price`, `amount-out-of-range`, …).
    pub code: String,
    /// The engine's message.
    pub message: String,
}

/// Draft minus live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delta {
    /// Annualized rate (单利) change in percentage points, signed, 2 decimals (`+0.35`).
    pub rate_points: String,
    /// Total cost change in yuan, signed (`+42.10`).
    pub total_cost: String,
}

/// One cell of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    /// Amount, yuan.
    pub amount: String,
    /// Term, months.
    pub term_months: i64,
    /// Band, if the product prices by band.
    pub band: Option<String>,
    /// Repayment method.
    pub method: String,
    /// The draft's figures.
    pub figures: Option<Figures>,
    /// Why the draft cannot quote this cell.
    pub error: Option<CellError>,
    /// The live bundle's figures (absent without a baseline or when live cannot quote it).
    pub baseline: Option<Figures>,
    /// Why live cannot quote this cell (e.g. `unknown-product` for a new product).
    pub baseline_error: Option<CellError>,
    /// Draft minus live, when both quote.
    pub delta: Option<Delta>,
    /// Some figure, cap flag or quotability differs from live.
    pub changed: bool,
}

/// One product's block of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductGrid {
    /// Product id.
    pub product_id: String,
    /// The axes quoted.
    pub amounts: Vec<String>,
    /// Terms quoted.
    pub terms: Vec<i64>,
    /// Bands quoted (`[null]` for a product without bands).
    pub bands: Vec<Option<String>>,
    /// Methods quoted.
    pub methods: Vec<String>,
    /// Cells in amount, term, band, method order (method varies fastest).
    pub cells: Vec<Cell>,
}

/// The grid response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grid {
    /// Always true for a draft: every figure here is a preview.
    pub preview: bool,
    /// The day judged on.
    pub as_of: String,
    /// Quotes computed (draft and baseline together; a product live has unchanged is quoted once).
    pub quotes: usize,
    /// Cells that differ from live.
    pub changed: usize,
    /// Cells whose draft figures break a cap.
    pub breaking_cap: usize,
    /// One block per product.
    pub products: Vec<ProductGrid>,
}

fn cell_error(error: &ApiError) -> CellError {
    CellError {
        code: error.code.clone(),
        message: error.message.clone(),
    }
}

fn invalid(path: &str, message: impl Into<String>) -> ApiError {
    ApiError::new("invalid-request", message, Some(path.to_owned()))
}

/// `count` amounts from the product's minimum to its maximum, each on the step.
fn spread_amounts(product: &Product, count: usize) -> Result<Vec<String>, ApiError> {
    let overflow = || ApiError::new("overflow", "amount range overflows", None);
    let steps = product
        .amount_max
        .checked_sub(product.amount_min)
        .and_then(|span| span.checked_div(product.amount_step))
        .ok_or_else(overflow)?
        .floor();
    let count = count.clamp(1, MAX_AMOUNT_COUNT);
    let mut amounts: Vec<String> = Vec::with_capacity(count);
    for idx in 0..count {
        let at = if count == 1 {
            Decimal::ZERO
        } else {
            steps
                .checked_mul(Decimal::from(idx))
                .and_then(|v| v.checked_div(Decimal::from(count - 1)))
                .ok_or_else(overflow)?
                .floor()
        };
        let amount = at
            .checked_mul(product.amount_step)
            .and_then(|offset| product.amount_min.checked_add(offset))
            .ok_or_else(overflow)?;
        let text = fmt_money(amount);
        if !amounts.contains(&text) {
            amounts.push(text);
        }
    }
    Ok(amounts)
}

fn figures(quote: &Quote) -> Figures {
    let d = &quote.disclosure;
    let (subsidy, net_percent) = match &quote.subsidy {
        Some(s) => (fmt_money(s.total), s.net_apr.percent.clone()),
        None => ("0.00".to_owned(), d.cn.percent.clone()),
    };
    let caps: Vec<CapFlag> = quote
        .caps
        .results
        .iter()
        .filter(|r| !r.legacy)
        .map(|r| CapFlag {
            id: r.id.clone(),
            limit_percent: r.limit_percent.clone(),
            rate_percent: r.rate_percent.clone(),
            pass: r.pass,
        })
        .collect();
    Figures {
        row: quote.price.row,
        percent: d.cn.percent.clone(),
        effective_percent: d.cn.effective_percent.clone(),
        first_payment: quote
            .schedule
            .installments
            .first()
            .map_or_else(|| "0.00".to_owned(), |i| fmt_money(i.payment)),
        total_cost: fmt_money(d.total_cost),
        cost_per_10000: fmt_money(d.cost_per_10000),
        subsidy,
        net_percent,
        breaks_cap: caps.iter().any(|c| !c.pass),
        caps,
        rate: d.cn.rate,
        total: d.total_cost,
    }
}

/// `+0.35` / `-1.20` / `0.00`.
fn signed(value: Decimal, dp: u32) -> String {
    let text = fmt_dp(value, dp, Rounding::HalfUp);
    if value > Decimal::ZERO && !text.chars().all(|c| c == '0' || c == '.') {
        format!("+{text}")
    } else {
        text
    }
}

fn delta(draft: &Figures, live: &Figures) -> Option<Delta> {
    let points = draft
        .rate
        .checked_sub(live.rate)?
        .checked_mul(Decimal::ONE_HUNDRED)?;
    let cost = draft.total.checked_sub(live.total)?;
    Some(Delta {
        rate_points: signed(points, 2),
        total_cost: signed(cost, 2),
    })
}

type Quoted = Result<Figures, CellError>;

/// Amounts, terms, bands and methods of one product's grid.
type Axes = (Vec<String>, Vec<i64>, Vec<Option<String>>, Vec<String>);

fn quote_cell(engine: &Engine, request: &QuoteRequest) -> Quoted {
    engine
        .quote_request_cn_only(request)
        .map(|q| figures(&q))
        .map_err(|e| cell_error(&e.to_api()))
}

/// Quotes the grid of `spec` on `draft`, and on `baseline` for the change columns.
///
/// Errors: `invalid-request` (malformed spec, bad `asOf`, too many cells, unknown product id
/// in `products`) with its JSON path. Cells the engine refuses carry the engine's code.
pub fn grid(draft: &Engine, baseline: Option<&Engine>, spec: &GridSpec) -> Result<Grid, ApiError> {
    if puhui::date::Date::parse(&spec.as_of).is_none() {
        return Err(invalid("asOf", "not a valid YYYY-MM-DD date"));
    }
    if let Some(amounts) = &spec.amounts {
        for (idx, amount) in amounts.iter().enumerate() {
            parse_amount(amount).map_err(|e| invalid(&format!("amounts[{idx}]"), e.to_string()))?;
        }
    }
    let catalog = draft.catalog();
    let chosen: Vec<&Product> = match &spec.products {
        None => catalog.products.iter().collect(),
        Some(ids) => ids
            .iter()
            .enumerate()
            .map(|(idx, id)| {
                catalog.product(id).ok_or_else(|| {
                    invalid(
                        &format!("products[{idx}]"),
                        format!("unknown product {id:?}"),
                    )
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let context = ContextRequest {
        as_of: Some(spec.as_of.clone()),
        ..ContextRequest::default()
    };
    let mut out = Grid {
        preview: draft.preview(),
        as_of: spec.as_of.clone(),
        quotes: 0,
        changed: 0,
        breaking_cap: 0,
        products: Vec::with_capacity(chosen.len()),
    };
    let mut budget = MAX_CELLS;
    for product in chosen {
        let (amounts, terms, bands, methods) = axes(product, spec)?;
        let size = amounts.len() * terms.len() * bands.len() * methods.len();
        budget = budget
            .checked_sub(size)
            .ok_or_else(|| invalid("", format!("the grid has more than {MAX_CELLS} cells")))?;
        let product_id = product.wire.id.clone();
        // A product the draft leaves exactly as live has (price, fees, caps, LPR, programs,
        // promotions: the whole compiled product) quotes the same figures on both sides, so
        // live is not asked again; quotes depend on nothing else of the catalog.
        let unchanged = baseline
            .and_then(|engine| engine.catalog().product(&product_id))
            .is_some_and(|live| live == product);
        let mut cells = Vec::with_capacity(size);
        for amount in &amounts {
            for term in &terms {
                for band in &bands {
                    for method in &methods {
                        let request = QuoteRequest {
                            product_id: product_id.clone(),
                            amount: amount.clone(),
                            term_months: *term,
                            method: Some(method.clone()),
                            band: band.clone(),
                            context: Some(context.clone()),
                            ..QuoteRequest::default()
                        };
                        let drafted = quote_cell(draft, &request);
                        out.quotes += 1;
                        let live = baseline.map(|engine| {
                            if unchanged {
                                return drafted.clone();
                            }
                            out.quotes += 1;
                            quote_cell(engine, &request)
                        });
                        cells.push(make_cell(&request, drafted, live));
                    }
                }
            }
        }
        out.changed += cells.iter().filter(|c| c.changed).count();
        out.breaking_cap += cells
            .iter()
            .filter(|c| c.figures.as_ref().is_some_and(|f| f.breaks_cap))
            .count();
        out.products.push(ProductGrid {
            product_id,
            amounts,
            terms,
            bands,
            methods,
            cells,
        });
    }
    Ok(out)
}

/// The grid's axes for one product: the spec's lists where given, else the product's own
/// amounts (spread over its range), terms, price bands (one `None` band when it has none) and
/// methods.
fn axes(product: &Product, spec: &GridSpec) -> Result<Axes, ApiError> {
    let amounts = match &spec.amounts {
        Some(list) => list.clone(),
        None => spread_amounts(product, spec.amount_count.unwrap_or(DEFAULT_AMOUNT_COUNT))?,
    };
    let terms: Vec<i64> = match &spec.terms {
        Some(list) => list.clone(),
        None => product.terms.iter().map(|t| i64::from(*t)).collect(),
    };
    let mut product_bands: Vec<String> = Vec::new();
    for row in &product.price {
        for band in row.bands.iter().flatten() {
            if !product_bands.contains(band) {
                product_bands.push(band.clone());
            }
        }
    }
    let bands: Vec<Option<String>> = if product_bands.is_empty() {
        vec![None]
    } else {
        match &spec.bands {
            Some(list) => list.iter().cloned().map(Some).collect(),
            None => product_bands.into_iter().map(Some).collect(),
        }
    };
    let methods: Vec<String> = match &spec.methods {
        Some(list) => list.clone(),
        None => product
            .methods
            .iter()
            .map(|m| m.as_str().to_owned())
            .collect(),
    };
    Ok((amounts, terms, bands, methods))
}

fn make_cell(request: &QuoteRequest, drafted: Quoted, live: Option<Quoted>) -> Cell {
    let (figures, error) = split(drafted);
    let (baseline, baseline_error, changed) = match live {
        None => (None, None, false),
        Some(live) => {
            let (baseline, baseline_error) = split(live);
            let changed = figures != baseline || error.is_some() != baseline_error.is_some();
            (baseline, baseline_error, changed)
        }
    };
    let delta = match (&figures, &baseline) {
        (Some(d), Some(l)) => delta(d, l),
        _ => None,
    };
    Cell {
        amount: request.amount.clone(),
        term_months: request.term_months,
        band: request.band.clone(),
        method: request.method.clone().unwrap_or_default(),
        figures,
        error,
        baseline,
        baseline_error,
        delta,
        changed,
    }
}

fn split(quoted: Quoted) -> (Option<Figures>, Option<CellError>) {
    match quoted {
        Ok(f) => (Some(f), None),
        Err(e) => (None, Some(e)),
    }
}

/// [`grid`] on a JSON spec, returning compact JSON text.
pub fn grid_json(
    draft: &Engine,
    baseline: Option<&Engine>,
    spec_json: &[u8],
) -> Result<String, ApiError> {
    let spec: GridSpec = from_json_slice(spec_json)?;
    let grid = grid(draft, baseline, &spec)?;
    serde_json::to_string(&grid)
        .map_err(|e| ApiError::new("internal", format!("grid serialization: {e}"), None))
}
