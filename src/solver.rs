//! Root finding for rate equations, in exact decimal arithmetic.
//!
//! Owns the safeguarded Newton iteration (Newton steps kept inside a sign-change bracket,
//! bisection when a step leaves it) and the sign-change analysis that decides between a
//! unique root, `no-solution` and `multiple-roots`.
//! It knows nothing of loans: callers pass a function that returns `(f(x), f'(x))`.

use rust_decimal::Decimal;

/// Why no rate could be returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolveIssue {
    /// The function has no sign change on the searched domain.
    NoSolution,
    /// The function changes sign more than once: several rates reproduce the flows.
    MultipleRoots,
    /// An intermediate value left the decimal range.
    Overflow,
}

/// Evaluation of `f` and its derivative at one point; `None` on overflow.
pub type Evaluation = Option<(Decimal, Decimal)>;

/// Absolute tolerance on x at which iteration stops (far below the 1e-6 reporting precision).
fn x_tolerance() -> Decimal {
    Decimal::new(1, 22)
}

/// Finds the unique root of an increasing-or-decreasing `f` in `[lo, hi]`, where
/// `f(lo)` and `f(hi)` have opposite signs (or one is zero).
pub fn solve_bracketed<F>(mut f: F, lo: Decimal, hi: Decimal) -> Result<Decimal, SolveIssue>
where
    F: FnMut(Decimal) -> Evaluation,
{
    let (f_lo, _) = f(lo).ok_or(SolveIssue::Overflow)?;
    let (f_hi, _) = f(hi).ok_or(SolveIssue::Overflow)?;
    if f_lo.is_zero() {
        return Ok(lo);
    }
    if f_hi.is_zero() {
        return Ok(hi);
    }
    if f_lo.is_sign_negative() == f_hi.is_sign_negative() {
        return Err(SolveIssue::NoSolution);
    }
    let lo_negative = f_lo.is_sign_negative();
    let (mut lo, mut hi) = (lo, hi);
    let two = Decimal::TWO;
    let mut x = (lo + hi) / two;
    for _ in 0..400 {
        let (fx, dfx) = f(x).ok_or(SolveIssue::Overflow)?;
        if fx.is_zero() {
            return Ok(x);
        }
        if fx.is_sign_negative() == lo_negative {
            lo = x;
        } else {
            hi = x;
        }
        if (hi - lo).abs() <= x_tolerance() {
            return Ok(x);
        }
        // Newton step; fall back to bisection when it leaves the bracket or stalls.
        let newton = if dfx.is_zero() {
            None
        } else {
            fx.checked_div(dfx).and_then(|s| x.checked_sub(s))
        };
        let next = match newton {
            Some(candidate) if candidate > lo.min(hi) && candidate < lo.max(hi) => candidate,
            _ => (lo + hi) / two,
        };
        if (next - x).abs() <= x_tolerance() {
            return Ok(next);
        }
        x = next;
    }
    Ok(x)
}

/// Counts sign changes of a coefficient sequence, zeros skipped (Descartes' rule of signs
/// bounds the number of positive roots of the polynomial by this count).
pub fn sign_changes(coefficients: impl IntoIterator<Item = Decimal>) -> usize {
    let mut changes = 0;
    let mut last_negative: Option<bool> = None;
    for c in coefficients.into_iter().filter(|c| !c.is_zero()) {
        let negative = c.is_sign_negative();
        if last_negative.is_some_and(|last| last != negative) {
            changes += 1;
        }
        last_negative = Some(negative);
    }
    changes
}

/// Locates a sign-change bracket of `f` on `(lo, hi)` by sampling `points`; refuses when
/// the samples show no change or more than one.
pub fn scan_bracket<F>(mut f: F, points: &[Decimal]) -> Result<(Decimal, Decimal), SolveIssue>
where
    F: FnMut(Decimal) -> Evaluation,
{
    let mut bracket = None;
    let mut changes = 0;
    let mut previous: Option<(Decimal, Decimal)> = None;
    for &x in points {
        let (fx, _) = f(x).ok_or(SolveIssue::Overflow)?;
        if let Some((px, pfx)) = previous {
            let changed =
                (pfx.is_sign_negative() != fx.is_sign_negative() && !pfx.is_zero()) || fx.is_zero();
            if changed {
                changes += 1;
                bracket = Some((px, x));
            }
        }
        previous = Some((x, fx));
    }
    match (changes, bracket) {
        (1, Some(bracket)) => Ok(bracket),
        (0, _) | (_, None) => Err(SolveIssue::NoSolution),
        _ => Err(SolveIssue::MultipleRoots),
    }
}
