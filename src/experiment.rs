//! Experiments: is variant B's rate really different from A's? [`compare`] two count
//! [`Ratio`]s (conversion of two landing pages, win rate of two lead sources), [`compare_all`]
//! several variants against one control with a correction for multiple comparisons, the
//! [`wilson`] interval of one rate, and the [`sample_size`] a test needs.
//!
//! The statistics are the standard ones, so a data team can reproduce each figure with
//! statsmodels or R:
//!
//! | figure | definition | statsmodels |
//! | --- | --- | --- |
//! | interval of a rate `x/n` | Wilson score interval: `(p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)` | `proportion_confint(x, n, method="wilson")` |
//! | difference `p_B - p_A` | Newcombe's hybrid score interval (method 10) from the two Wilson intervals: `d - sqrt((p_B-l_B)² + (u_A-p_A)²)` to `d + sqrt((u_B-p_B)² + (p_A-l_A)²)` | `confint_proportions_2indep(..., method="newcomb")` |
//! | p-value | two-sided two-proportion z test with the pooled rate: `z = (p_B - p_A) / sqrt(p(1-p)(1/n_A + 1/n_B))` | `proportions_ztest([x_B, x_A], [n_B, n_A])` |
//! | several variants | each against the control; Holm's step-down (or Bonferroni's) adjusted p-values; intervals at the Bonferroni level `1 - alpha/m` | `multipletests(p, method="holm")` |
//! | sample size | per group, two-sided, equal groups, without continuity correction (Fleiss): `n = (z_{a/2} sqrt(2 p̄ q̄) + z_b sqrt(p_A q_A + p_B q_B))² / δ²`, rounded up | — |
//!
//! `z` is the standard normal quantile at the confidence level (1.96 at 95%).
//!
//! # Verdicts, and when there is none
//!
//! A [`RateComparison`]'s verdict says the variant is higher or lower when the (adjusted) p-value
//! is below `1 - confidence`, and that there is no significant difference otherwise. Nothing
//! is invented where the statistics are undefined:
//! - a rate with no trials (`0/0`) has no interval and no comparison (`None`);
//! - when both rates are 0% or both 100%, the pooled variance is zero: the z statistic, the
//!   p-value and the verdict are `None` (the intervals still exist);
//! - a sample size for an effect that leaves `[0, 1]`, or of zero, is `None`.
//!
//! A "rate" above one (`5/3`) is not a proportion: [`ErrorKind::InvalidValue`]. The figures are
//! `f64` (a statistical model: this module allows float arithmetic); the counts stay exact in
//! the [`Ratio`]s the result carries.
//!
//! # Example
//!
//! ```
//! use revops::experiment::{Verdict, compare};
//! use revops::{Probability, Ratio};
//!
//! // Landing page A converted 48 of 80 visitors, B 56 of 70.
//! let result = compare(Ratio::new(48, 80), Ratio::new(56, 70), Probability::from_percent(95)?)?;
//! let result = result.ok_or("a rate without trials")?;
//! assert!((result.difference - 0.2).abs() < 1e-12);
//! assert_eq!(result.verdict, Some(Verdict::VariantHigher));
//! assert!((result.interval.lower - 0.0524).abs() < 1e-4); // Newcombe (1998), example (a)
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![allow(clippy::float_arithmetic)] // statistical model: intervals and p-values in f64

mod normal;
#[cfg(test)]
mod tests;

use crate::{Error, ErrorKind, Probability, Ratio};

/// An interval `[lower, upper]` of a rate or of a difference of rates, as fractions.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Interval {
    /// The lower bound.
    pub lower: f64,
    /// The upper bound.
    pub upper: f64,
}

impl Interval {
    /// Whether the interval holds `value`.
    #[must_use]
    pub fn contains(&self, value: f64) -> bool {
        self.lower <= value && value <= self.upper
    }
}

/// What a comparison concludes at its confidence level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Verdict {
    /// The variant's rate is significantly higher than the control's.
    VariantHigher,
    /// The variant's rate is significantly lower than the control's.
    VariantLower,
    /// The data do not show a difference at this level (which is not evidence of none).
    NoSignificantDifference,
}

/// How [`compare_all`] corrects for testing several variants against one control.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Correction {
    /// Holm's step-down method: controls the family-wise error rate, never less powerful than
    /// Bonferroni. The default.
    #[default]
    Holm,
    /// Bonferroni: each p-value times the number of tests.
    Bonferroni,
    /// No correction (each comparison at the nominal level).
    None,
}

/// Variant against control: the difference of rates, its interval, the test, the verdict.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RateComparison {
    /// The control's rate (A), exact.
    pub control: Ratio,
    /// The variant's rate (B), exact.
    pub variant: Ratio,
    /// The confidence level of the intervals and the verdict (after any correction).
    pub confidence: f64,
    /// The control's Wilson interval.
    pub control_interval: Interval,
    /// The variant's Wilson interval.
    pub variant_interval: Interval,
    /// `p_B - p_A`, as a fraction.
    pub difference: f64,
    /// `p_B / p_A - 1`; `None` when the control's rate is zero.
    pub lift: Option<f64>,
    /// Newcombe's interval of the difference.
    pub interval: Interval,
    /// The pooled two-proportion z statistic; `None` when the pooled variance is zero.
    pub z: Option<f64>,
    /// Its two-sided p-value (adjusted, in [`compare_all`]); `None` when `z` is.
    pub p_value: Option<f64>,
    /// The verdict at the confidence level; `None` when the p-value is.
    pub verdict: Option<Verdict>,
}

/// The Wilson score interval of `rate` at `confidence`; `None` for a rate with no trials.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] if `confidence` is not strictly between 0 and 1, or the rate's
/// numerator exceeds its denominator.
///
/// # Example
///
/// ```
/// use revops::experiment::wilson;
/// use revops::{Probability, Ratio};
///
/// let ci = wilson(Ratio::new(81, 263), Probability::from_percent(95)?)?.ok_or("no trials")?;
/// assert!((ci.lower - 0.2553).abs() < 1e-4 && (ci.upper - 0.3662).abs() < 1e-4);
/// assert_eq!(wilson(Ratio::new(0, 0), Probability::from_percent(95)?)?, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn wilson(rate: Ratio, confidence: Probability) -> Result<Option<Interval>, Error> {
    let z = z_of(level(confidence)?);
    let Some((x, n)) = parts(rate)? else { return Ok(None) };
    Ok(Some(wilson_interval(x, n, z)))
}

/// Compares `variant` (B) with `control` (A) at `confidence`; `None` if either rate has no
/// trials. See the [module docs](self) for each figure's definition.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] if `confidence` is not strictly between 0 and 1, or a rate's
/// numerator exceeds its denominator.
pub fn compare(control: Ratio, variant: Ratio, confidence: Probability) -> Result<Option<RateComparison>, Error> {
    let alpha = 1.0 - level(confidence)?;
    let Some(mut result) = comparison(control, variant, alpha, z_of(1.0 - alpha))? else { return Ok(None) };
    result.verdict = verdict(result.p_value, result.difference, alpha);
    Ok(Some(result))
}

/// Compares every variant with `control`, in the variants' order, correcting the p-values
/// with `correction` over the comparisons that have a p-value (`m` of them), and computing
/// every interval at the Bonferroni level `1 - alpha/k`, `k` the comparisons made (the
/// variants with trials, so every interval reported counts; `k` is `m` unless a comparison
/// has no p-value because both rates are 0% or both 100%). With [`Correction::None`] the
/// intervals are at the nominal level. A variant with no trials gives `None` in its place.
///
/// # Errors
///
/// As [`compare`], for the control and each variant.
///
/// # Example
///
/// ```
/// use revops::experiment::{Correction, Verdict, compare_all};
/// use revops::{Probability, Ratio};
///
/// let control = Ratio::new(100, 1000);
/// let variants = [Ratio::new(150, 1000), Ratio::new(112, 1000), Ratio::new(0, 0)];
/// let results = compare_all(control, &variants, Probability::from_percent(95)?, Correction::Holm)?;
/// let verdicts: Vec<_> = results.iter().map(|r| r.as_ref().and_then(|r| r.verdict)).collect();
/// assert_eq!(verdicts, [Some(Verdict::VariantHigher), Some(Verdict::NoSignificantDifference), None]);
/// # Ok::<(), revops::Error>(())
/// ```
pub fn compare_all(
    control: Ratio,
    variants: &[Ratio],
    confidence: Probability,
    correction: Correction,
) -> Result<Vec<Option<RateComparison>>, Error> {
    let alpha = 1.0 - level(confidence)?;
    parts(control)?;
    for v in variants {
        parts(*v)?;
    }
    let tested = variants.iter().filter(|v| v.denominator() > 0).count().max(1);
    #[allow(clippy::cast_precision_loss)] // a count of variants
    let m = tested as f64;
    let interval_alpha = if correction == Correction::None { alpha } else { alpha / m };
    let z_level = z_of(1.0 - interval_alpha);
    let mut results =
        variants.iter().map(|v| comparison(control, *v, interval_alpha, z_level)).collect::<Result<Vec<_>, _>>()?;
    // The z test does not depend on the level: adjust the p-values the comparisons carry.
    let raw: Vec<Option<f64>> = results.iter().map(|r| r.as_ref().and_then(|r| r.p_value)).collect();
    let adjusted = adjust(&raw, correction);
    for (result, p) in results.iter_mut().zip(adjusted) {
        if let Some(result) = result {
            result.p_value = p;
            result.verdict = verdict(p, result.difference, alpha);
        }
    }
    Ok(results)
}

/// The trials per group a two-sided test of `baseline` against `baseline + effect` needs at
/// `confidence` and `power`, over `comparisons` variants against one control (Bonferroni:
/// the test runs at `alpha / comparisons`); equal groups, Fleiss' formula without continuity
/// correction (see the [module docs](self)). `None` when `effect` is zero or
/// `baseline + effect` leaves `[0, 1]` (negative effects are given as a lower baseline).
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] if `confidence` or `power` is not strictly between 0 and 1, or
/// `comparisons` is zero.
///
/// # Example
///
/// ```
/// use revops::experiment::sample_size;
/// use revops::Probability;
///
/// // 10% baseline, detect +2 points at 95% confidence and 80% power.
/// let n = sample_size(Probability::from_percent(10)?, Probability::from_percent(2)?, Probability::from_percent(95)?, Probability::from_percent(80)?, 1)?;
/// assert_eq!(n, Some(3841));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn sample_size(
    baseline: Probability,
    effect: Probability,
    confidence: Probability,
    power: Probability,
    comparisons: u32,
) -> Result<Option<u64>, Error> {
    let alpha = 1.0 - level(confidence)?;
    let power = fraction(power, "experiment power")?;
    if comparisons == 0 {
        return Err(invalid("experiment comparisons", "0", "at least one comparison"));
    }
    let (p1, delta) = (to_f64(baseline), to_f64(effect));
    let p2 = p1 + delta;
    if delta <= 0.0 || p2 > 1.0 {
        return Ok(None);
    }
    let z_alpha = normal::quantile(1.0 - alpha / f64::from(comparisons) / 2.0);
    let z_beta = normal::quantile(power);
    let mean = f64::midpoint(p1, p2);
    let root = z_alpha * (2.0 * mean * (1.0 - mean)).sqrt() + z_beta * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    let n = (root * root / (delta * delta)).ceil();
    // Finite and below u64::MAX: delta >= 1e-28 and the numerator is bounded.
    if !(1.0..1.8e19).contains(&n) {
        return Ok(None);
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked range, whole number
    Ok(Some(n as u64))
}

/// The comparison at `alpha` (whose two-sided quantile is `z_level`) with the unadjusted
/// p-value and no verdict.
fn comparison(control: Ratio, variant: Ratio, alpha: f64, z_level: f64) -> Result<Option<RateComparison>, Error> {
    let (Some((xa, na)), Some((xb, nb))) = (parts(control)?, parts(variant)?) else { return Ok(None) };
    let (pa, pb) = (xa / na, xb / nb);
    let (ia, ib) = (wilson_interval(xa, na, z_level), wilson_interval(xb, nb, z_level));
    let difference = pb - pa;
    let interval = Interval {
        lower: difference - ((pb - ib.lower).powi(2) + (ia.upper - pa).powi(2)).sqrt(),
        upper: difference + ((ib.upper - pb).powi(2) + (pa - ia.lower).powi(2)).sqrt(),
    };
    let pooled = (xa + xb) / (na + nb);
    let variance = pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb);
    let z = (variance > 0.0).then(|| difference / variance.sqrt());
    Ok(Some(RateComparison {
        control,
        variant,
        confidence: 1.0 - alpha,
        control_interval: ia,
        variant_interval: ib,
        difference,
        lift: (pa > 0.0).then(|| pb / pa - 1.0),
        interval,
        z,
        p_value: z.map(normal::two_sided_p),
        verdict: None,
    }))
}

fn verdict(p_value: Option<f64>, difference: f64, alpha: f64) -> Option<Verdict> {
    let p = p_value?;
    Some(if p >= alpha {
        Verdict::NoSignificantDifference
    } else if difference > 0.0 {
        Verdict::VariantHigher
    } else {
        Verdict::VariantLower
    })
}

/// Adjusted p-values, in the input order; `None` stays `None` and does not count as a test.
fn adjust(raw: &[Option<f64>], correction: Correction) -> Vec<Option<f64>> {
    let mut tested: Vec<(usize, f64)> = raw.iter().enumerate().filter_map(|(i, p)| p.map(|p| (i, p))).collect();
    #[allow(clippy::cast_precision_loss)] // a count of variants
    let m = tested.len() as f64;
    let mut out = raw.to_vec();
    match correction {
        Correction::None => {}
        Correction::Bonferroni => {
            for (i, p) in tested {
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some((p * m).min(1.0));
                }
            }
        }
        Correction::Holm => {
            // Stable sort by p, ties in input order: deterministic.
            tested.sort_by(|a, b| a.1.total_cmp(&b.1));
            let mut running: f64 = 0.0;
            for (rank, (i, p)) in tested.into_iter().enumerate() {
                #[allow(clippy::cast_precision_loss)] // a rank among the variants
                let factor = m - rank as f64;
                running = running.max((p * factor).min(1.0));
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(running);
                }
            }
        }
    }
    out
}

fn wilson_interval(x: f64, n: f64, z: f64) -> Interval {
    let p = x / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0% and 100% the bound is the rate itself; rounding must not push it past.
    Interval { lower: (center - half).max(0.0).min(p), upper: (center + half).min(1.0).max(p) }
}

/// The counts of a proportion as `f64`, `None` without trials.
fn parts(rate: Ratio) -> Result<Option<(f64, f64)>, Error> {
    let (x, n) = (rate.numerator(), rate.denominator());
    if x > n {
        return Err(invalid("experiment rate", &rate.to_string(), "a proportion: numerator at most the denominator"));
    }
    #[allow(clippy::cast_precision_loss)] // counts above 2^53 lose units, not the statistics
    Ok((n > 0).then_some((x as f64, n as f64)))
}

/// The confidence level as `f64`, strictly between 0 and 1.
fn level(confidence: Probability) -> Result<f64, Error> {
    fraction(confidence, "experiment confidence")
}

fn fraction(p: Probability, field: &'static str) -> Result<f64, Error> {
    if p == Probability::ZERO || p == Probability::ONE {
        return Err(invalid(field, &p.to_string(), "strictly between 0% and 100%"));
    }
    Ok(to_f64(p))
}

fn to_f64(p: Probability) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    p.fraction().to_f64().unwrap_or(f64::NAN)
}

/// The two-sided normal quantile of a confidence level.
fn z_of(level: f64) -> f64 {
    normal::quantile(1.0 - (1.0 - level) / 2.0)
}

fn invalid(field: &'static str, value: &str, reason: &'static str) -> Error {
    ErrorKind::InvalidValue { field, value: value.to_owned(), reason }.into()
}
