//! Root finding for rate equations, in exact decimal arithmetic.
//!
//! Owns the safeguarded Newton iteration (Newton steps kept inside a sign-change bracket,
//! bisection when a step leaves it), the sign-change analysis that decides between a
//! unique root, `no-solution` and `multiple-roots`, and root bracketing: walking outward
//! until the sign changes ([`expand_bracket`]), scanning a grid ([`scan_bracket`]) and
//! narrowing a bracket at an interior point ([`narrow_bracket`]).
//! It knows nothing of loans: callers pass a function that returns `(f(x), f'(x))`.
//!
//! Precision: every iterate is rounded to a caller-chosen number of decimals
//! ([`Newton::iterate_dp`]) before `f` is evaluated. That bounds the digits carried through
//! the evaluation (the main cost of decimal arithmetic) without bounding the accuracy of
//! `f` itself: `f` is still evaluated in 28 significant digits, so the root is found to
//! about `10^−iterate_dp`, which callers choose far below the 10^−6 reporting precision.

use crate::money::CheckedOps;
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

impl From<crate::money::Overflow> for SolveIssue {
    fn from(_: crate::money::Overflow) -> Self {
        SolveIssue::Overflow
    }
}

/// Evaluation of `f` and its derivative at one point; `None` on overflow.
pub type Evaluation = Option<(Decimal, Decimal)>;

/// A sign-change bracket: `f(lo)` has the sign `lo_negative`, `f(hi)` the other one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bracket {
    /// Lower end.
    pub lo: Decimal,
    /// Upper end.
    pub hi: Decimal,
    /// Whether `f(lo) < 0` (then `f(hi) > 0`).
    pub lo_negative: bool,
}

/// Settings of one safeguarded Newton run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Newton {
    /// Decimals every iterate is rounded to before evaluation.
    pub iterate_dp: u32,
    /// Stop when a step or the bracket is at most this wide.
    pub x_tolerance: Decimal,
    /// Most evaluations of `f`.
    pub max_evaluations: u32,
}

impl Default for Newton {
    fn default() -> Self {
        Newton {
            iterate_dp: 24,
            x_tolerance: Decimal::new(1, 22),
            max_evaluations: 400,
        }
    }
}

/// What a bracket narrowed at a point says about the root (see [`narrow_bracket`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    /// `f` is exactly zero here.
    Root(Decimal),
    /// The half of the bracket that holds the root.
    Bracket(Bracket),
}

/// Finds the unique root of a monotone `f` in `[lo, hi]`, where `f(lo)` and `f(hi)` have
/// opposite signs (or one is zero). Evaluates both ends, then runs [`newton_in_bracket`]
/// from the midpoint.
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
    let bracket = Bracket {
        lo,
        hi,
        lo_negative: f_lo.is_sign_negative(),
    };
    let start = midpoint(lo, hi)?;
    newton_in_bracket(f, bracket, start, Newton::default())
}

/// Where an outward walk for a sign change ended (see [`expand_bracket`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expansion {
    /// `f` is exactly zero at this point of the walk.
    Root(Decimal),
    /// The sign-change bracket between the anchor and the point the walk reached.
    Bracket(Bracket),
    /// `f` could not be evaluated at a point of the walk (it overflowed there).
    Unevaluable,
    /// The walk ended (its step said stop, or the steps ran out) before the sign changed.
    Exhausted,
}

/// How an outward walk (see [`expand_bracket`]) moves from one point to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Double the point; stop once it is beyond `limit` (a walk toward +∞).
    Double {
        /// The walk stops after evaluating a point above this.
        limit: Decimal,
    },
    /// Double the point while the double stays above `switch`; past it, halve the distance
    /// to `pole` instead, so the walk approaches the pole (such as −100 %) without crossing.
    TowardPole {
        /// The last value doubling may reach.
        switch: Decimal,
        /// The point the walk must never reach.
        pole: Decimal,
    },
}

impl Step {
    /// The next point after `x`; `None` when the walk stops.
    fn next(self, x: Decimal) -> Result<Option<Decimal>, SolveIssue> {
        match self {
            Step::Double { limit } if x > limit => Ok(None),
            Step::Double { .. } => x
                .times(Decimal::TWO)
                .map(Some)
                .map_err(|_| SolveIssue::Overflow),
            Step::TowardPole { switch, pole } => {
                let doubled = x.times(Decimal::TWO)?;
                if doubled > switch {
                    return Ok(Some(doubled));
                }
                x.plus(pole)
                    .and_then(|sum| sum.over(Decimal::TWO))
                    .map(Some)
                    .map_err(|_| SolveIssue::Overflow)
            }
        }
    }
}

/// Walks away from `anchor` (where `f` has the sign `anchor_negative`) until `f` takes the
/// other sign, and returns the bracket between the two: the outward search for the far end
/// of a root whose side of the anchor is known (Descartes' rule) but whose distance is not.
///
/// The walk evaluates `f` at `start`, then at each next point of `step`, at most
/// `max_steps` times.
pub fn expand_bracket<F>(
    mut f: F,
    anchor: Decimal,
    anchor_negative: bool,
    start: Decimal,
    max_steps: u32,
    step: Step,
) -> Result<Expansion, SolveIssue>
where
    F: FnMut(Decimal) -> Evaluation,
{
    let mut x = start;
    for _ in 0..max_steps {
        match f(x) {
            None => return Ok(Expansion::Unevaluable),
            Some((value, _)) if value.is_zero() => return Ok(Expansion::Root(x)),
            Some((value, _)) if value.is_sign_negative() != anchor_negative => {
                let bracket = if x > anchor {
                    Bracket {
                        lo: anchor,
                        hi: x,
                        lo_negative: anchor_negative,
                    }
                } else {
                    Bracket {
                        lo: x,
                        hi: anchor,
                        lo_negative: !anchor_negative,
                    }
                };
                return Ok(Expansion::Bracket(bracket));
            }
            Some(_) => {}
        }
        match step.next(x)? {
            Some(next) => x = next,
            None => break,
        }
    }
    Ok(Expansion::Exhausted)
}

/// Narrows a sign-change bracket `[lo, hi]` at an interior `point` to the half that holds
/// the root: `Root(point)` when `f(point)` is zero, otherwise the half whose ends differ in
/// sign. Evaluates `f` at `point`, then at `lo`.
pub fn narrow_bracket<F>(
    mut f: F,
    lo: Decimal,
    hi: Decimal,
    point: Decimal,
) -> Result<Ends, SolveIssue>
where
    F: FnMut(Decimal) -> Evaluation,
{
    let (at_point, _) = f(point).ok_or(SolveIssue::Overflow)?;
    if at_point.is_zero() {
        return Ok(Ends::Root(point));
    }
    let (at_lo, _) = f(lo).ok_or(SolveIssue::Overflow)?;
    let point_negative = at_point.is_sign_negative();
    Ok(Ends::Bracket(
        if at_lo.is_sign_negative() == point_negative {
            Bracket {
                lo: point,
                hi,
                lo_negative: point_negative,
            }
        } else {
            Bracket {
                lo,
                hi: point,
                lo_negative: !point_negative,
            }
        },
    ))
}

fn midpoint(lo: Decimal, hi: Decimal) -> Result<Decimal, SolveIssue> {
    lo.plus(hi)
        .and_then(|s| s.over(Decimal::TWO))
        .map_err(|_| SolveIssue::Overflow)
}

/// Safeguarded Newton from `start` inside a known bracket: a Newton step that leaves the
/// bracket (or a zero slope) is replaced by bisection, and the bracket shrinks with every
/// evaluation, so the iteration cannot diverge. Returns the last iterate once a step or the
/// bracket is within [`Newton::x_tolerance`].
pub fn newton_in_bracket<F>(
    mut f: F,
    bracket: Bracket,
    start: Decimal,
    settings: Newton,
) -> Result<Decimal, SolveIssue>
where
    F: FnMut(Decimal) -> Evaluation,
{
    newton_dyn(&mut f, bracket, start, settings)
}

/// [`newton_in_bracket`] compiled once: each caller's closure is reached through a vtable
/// instead of copying the whole iteration per closure type (one evaluation costs far more).
fn newton_dyn(
    f: &mut dyn FnMut(Decimal) -> Evaluation,
    bracket: Bracket,
    start: Decimal,
    settings: Newton,
) -> Result<Decimal, SolveIssue> {
    let Bracket {
        mut lo,
        mut hi,
        lo_negative,
    } = bracket;
    let inside = |x: Decimal, lo: Decimal, hi: Decimal| x > lo && x < hi;
    let mut x = start.round_dp(settings.iterate_dp);
    if !inside(x, lo, hi) {
        x = midpoint(lo, hi)?.round_dp(settings.iterate_dp);
    }
    for _ in 0..settings.max_evaluations {
        let (fx, dfx) = f(x).ok_or(SolveIssue::Overflow)?;
        if fx.is_zero() {
            return Ok(x);
        }
        if fx.is_sign_negative() == lo_negative {
            lo = x;
        } else {
            hi = x;
        }
        let width = hi.minus(lo)?;
        if width <= settings.x_tolerance {
            return Ok(x);
        }
        let newton = if dfx.is_zero() {
            None
        } else {
            fx.over(dfx).and_then(|step| x.minus(step)).ok()
        };
        let newton = newton.map(|c| c.round_dp(settings.iterate_dp));
        if let Some(candidate) = newton {
            // Converged: the step is below the tolerance (the candidate may coincide with
            // x, which is now a bracket end, so this test must come before the bracket test).
            let step = candidate.minus(x)?.abs();
            if step <= settings.x_tolerance {
                return Ok(candidate);
            }
        }
        let next = match newton {
            Some(candidate) if inside(candidate, lo, hi) => candidate,
            _ => {
                let mid = midpoint(lo, hi)?.round_dp(settings.iterate_dp);
                if !inside(mid, lo, hi) {
                    // The bracket is narrower than the iterate precision: x is as good as it gets.
                    return Ok(x);
                }
                mid
            }
        };
        let step = next.minus(x)?.abs();
        if step <= settings.x_tolerance {
            return Ok(next);
        }
        x = next;
    }
    Ok(x)
}

/// Counts sign changes of a coefficient sequence, zeros skipped (Descartes' rule of signs
/// bounds the number of positive roots of the polynomial by this count; the rule also holds
/// for sums of powers with real exponents, taken in exponent order).
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

/// Locates a sign-change bracket of `f` on `(lo, hi)` by sampling `points` (increasing);
/// refuses when the samples show no change or more than one. Points where `f` overflows
/// are skipped (they lie outside the representable domain).
pub fn scan_bracket<F>(mut f: F, points: &[Decimal]) -> Result<(Decimal, Decimal), SolveIssue>
where
    F: FnMut(Decimal) -> Evaluation,
{
    let mut bracket = None;
    let mut changes = 0;
    let mut previous: Option<(Decimal, Decimal)> = None;
    for &x in points {
        let Some((fx, _)) = f(x) else {
            continue;
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_finds_square_root_of_two() {
        let f = |x: Decimal| Some((x * x - Decimal::TWO, Decimal::TWO * x));
        let root = solve_bracketed(f, Decimal::ONE, Decimal::TWO).unwrap();
        let expected: Decimal = "1.4142135623730950488016887242".parse().unwrap();
        assert!((root - expected).abs() < Decimal::new(1, 20), "{root}");
    }

    #[test]
    fn no_sign_change_is_no_solution() {
        let f = |x: Decimal| Some((x * x + Decimal::ONE, Decimal::TWO * x));
        assert_eq!(
            solve_bracketed(f, Decimal::ZERO, Decimal::TWO),
            Err(SolveIssue::NoSolution)
        );
    }

    #[test]
    fn scan_sees_two_crossings() {
        // (x − 1)(x − 3): crossings at 1 and 3.
        let f = |x: Decimal| Some(((x - Decimal::ONE) * (x - Decimal::from(3)), Decimal::ZERO));
        let points: Vec<Decimal> = (0..10).map(|k| Decimal::new(k * 5, 1)).collect();
        assert_eq!(scan_bracket(f, &points), Err(SolveIssue::MultipleRoots));
        assert_eq!(sign_changes([1, -2, 3].map(Decimal::from)), 2);
    }

    #[test]
    fn expand_bracket_walks_out_to_the_sign_change() {
        // f(x) = x − 5: negative at the anchor 0, positive from 5 on.
        let f = |x: Decimal| Some((x - Decimal::from(5), Decimal::ONE));
        let double = Step::Double {
            limit: Decimal::from(1000),
        };
        let walk = expand_bracket(f, Decimal::ZERO, true, Decimal::ONE, 10, double);
        let bracket = Bracket {
            lo: Decimal::ZERO,
            hi: Decimal::from(8),
            lo_negative: true,
        };
        assert_eq!(walk, Ok(Expansion::Bracket(bracket)));
        let walk = expand_bracket(f, Decimal::ZERO, true, Decimal::ONE, 2, double);
        assert_eq!(walk, Ok(Expansion::Exhausted));
        let walk = expand_bracket(f, Decimal::ZERO, true, Decimal::from(5), 2, double);
        assert_eq!(walk, Ok(Expansion::Root(Decimal::from(5))));
        let stop = Step::Double {
            limit: Decimal::ZERO,
        };
        let walk = expand_bracket(f, Decimal::ZERO, true, Decimal::ONE, 10, stop);
        assert_eq!(walk, Ok(Expansion::Exhausted));
    }

    #[test]
    fn narrow_bracket_keeps_the_half_with_the_root() {
        let f = |x: Decimal| Some((x - Decimal::from(3), Decimal::ONE));
        let (lo, hi) = (Decimal::ZERO, Decimal::from(10));
        let Ok(Ends::Bracket(half)) = narrow_bracket(f, lo, hi, Decimal::from(5)) else {
            panic!("a bracket");
        };
        assert_eq!(
            (half.lo, half.hi, half.lo_negative),
            (lo, Decimal::from(5), true)
        );
        let Ok(Ends::Bracket(half)) = narrow_bracket(f, lo, hi, Decimal::ONE) else {
            panic!("a bracket");
        };
        assert_eq!(
            (half.lo, half.hi, half.lo_negative),
            (Decimal::ONE, hi, true)
        );
        assert_eq!(
            narrow_bracket(f, lo, hi, Decimal::from(3)),
            Ok(Ends::Root(Decimal::from(3)))
        );
    }
}
