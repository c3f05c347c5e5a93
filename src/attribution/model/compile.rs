//! Compiling a shape and its options into integer kernel weights, validating both.

use chrono::TimeDelta;
use rust_decimal::Decimal;

use super::{DecayCurve, LinearPer, MiddleSpan, Options, Shape, UPreset};
use crate::{Error, ErrorKind};

/// Slots of the anchored kernel: positions first and last, then the four roles.
pub(crate) const SLOTS: usize = 6;

/// The integer form of a shape, compiled once on construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// Weights per slot (first, last, first touch, lead creation, opportunity creation, closed
    /// won) and for the middle, in reduced integer units.
    Anchored { slots: [u64; SLOTS], middle: u64 },
    /// Linear.
    Linear { per: LinearPer },
    /// Time decay with the half-life in nanoseconds (the crate's batch time unit).
    TimeDecay { half_life_ns: i64, curve: DecayCurve },
}

/// Percent scale of the compiled weights: 1% = 10,000 units (four decimals).
const UNITS_PER_PERCENT: i64 = 10_000;
const HUNDRED: u64 = 1_000_000;

fn percent_units(model: &'static str, p: Decimal) -> Result<u64, Error> {
    let scaled = p.checked_mul(Decimal::from(UNITS_PER_PERCENT));
    match scaled {
        Some(s) if !p.is_sign_negative() && s.fract().is_zero() && s <= Decimal::from(HUNDRED) => {
            u64::try_from(s.trunc().mantissa() / 10i128.pow(s.trunc().scale()))
                .map_err(|_| ErrorKind::Overflow { op: model })
                .map_err(crate::Error::from)
        }
        _ => Err(ErrorKind::InvalidValue {
            field: "attribution weight",
            value: p.to_string(),
            reason: "must be a percent from 0 to 100 with at most 4 decimals",
        }
        .into()),
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn anchored(model: &'static str, slots: [Decimal; SLOTS], middle: Decimal) -> Result<Kernel, Error> {
    let mut units = [0u64; SLOTS];
    for (u, p) in units.iter_mut().zip(slots) {
        *u = percent_units(model, p)?;
    }
    let middle_units = percent_units(model, middle)?;
    let sum: u64 = units.iter().sum::<u64>() + middle_units;
    if sum != HUNDRED {
        let total = slots.iter().fold(middle, |acc, p| acc + *p);
        return Err(ErrorKind::WeightsNotHundred { model, sum: total }.into());
    }
    let g = units.iter().fold(middle_units, |g, &u| gcd(g, u)).max(1);
    Ok(Kernel::Anchored { slots: units.map(|u| u / g), middle: middle_units / g })
}

/// The longest duration a definition takes: the kernels count in `i64` nanoseconds.
const MAX_DURATION_SECONDS: i64 = i64::MAX / 1_000_000_000;

/// A definition's duration (lookback, half-life) in nanoseconds, checked: positive, whole
/// seconds (the wire unit, so a definition round-trips) and within [`MAX_DURATION_SECONDS`].
fn duration_nanos(field: &'static str, d: TimeDelta) -> Result<i64, Error> {
    if d <= TimeDelta::zero() {
        return Err(ErrorKind::NonPositiveDuration { field, seconds: d.num_seconds() }.into());
    }
    let seconds = d.num_seconds();
    let Some(ns) = d.num_nanoseconds().filter(|_| seconds <= MAX_DURATION_SECONDS) else {
        return Err(ErrorKind::InvalidValue {
            field,
            value: format!("{seconds} s"),
            reason: "must be at most 9223372036 s (i64 nanoseconds, about 292 years)",
        }
        .into());
    };
    if d.subsec_nanos() != 0 {
        let fraction = format!("{:09}", d.subsec_nanos());
        return Err(ErrorKind::InvalidValue {
            field,
            value: format!("{seconds}.{} s", fraction.trim_end_matches('0')),
            reason: "must be a whole number of seconds",
        }
        .into());
    }
    Ok(ns)
}

pub(super) fn d(units: i64) -> Decimal {
    Decimal::new(units, 1)
}

pub(super) fn compile(shape: &Shape, options: &Options) -> Result<Kernel, Error> {
    let z = Decimal::ZERO;
    let hundred = Decimal::ONE_HUNDRED;
    let kind = shape.kind();
    let kernel = match *shape {
        Shape::FirstTouch => anchored(kind, [hundred, z, z, z, z, z], z)?,
        Shape::LastTouch | Shape::LastNonDirect => anchored(kind, [z, hundred, z, z, z, z], z)?,
        Shape::LeadCreation => anchored(kind, [z, z, z, hundred, z, z], z)?,
        Shape::Linear { per } => Kernel::Linear { per },
        Shape::PositionBased { first, last } => {
            // Each weight is refused outside 0..=100 first, so the sums below cannot overflow
            // (issue 12: `Decimal::MAX` used to panic here).
            percent_units(kind, first)?;
            percent_units(kind, last)?;
            let middle = hundred - first - last;
            if middle.is_sign_negative() && !middle.is_zero() {
                return Err(ErrorKind::WeightsNotHundred { model: kind, sum: first + last }.into());
            }
            anchored(kind, [first, last, z, z, z, z], middle)?
        }
        Shape::UShaped { preset: UPreset::Hubspot } => anchored(kind, [z, z, d(400), d(400), z, z], d(200))?,
        Shape::UShaped { preset: UPreset::Marketo } => anchored(kind, [z, z, d(500), d(500), z, z], z)?,
        Shape::WShaped => anchored(kind, [z, z, d(300), d(300), d(300), z], d(100))?,
        Shape::FullPath => anchored(kind, [z, z, d(225), d(225), d(225), d(225)], d(100))?,
        Shape::JShaped => anchored(kind, [d(200), d(600), z, z, z, z], d(200))?,
        Shape::InverseJ => anchored(kind, [d(600), d(200), z, z, z, z], d(200))?,
        Shape::TimeDecay { half_life, curve } => {
            Kernel::TimeDecay { half_life_ns: duration_nanos("half-life", half_life)?, curve }
        }
        Shape::Custom { weights: w } => anchored(
            kind,
            [w.first, w.last, w.first_touch, w.lead_creation, w.opportunity_creation, w.closed_won],
            w.middle,
        )?,
    };
    if let Some(lookback) = options.lookback {
        duration_nanos("lookback", lookback)?;
    }
    if let MiddleSpan::Between { from, to } = options.middle {
        let value = format!("between {from} and {to}");
        let reason = if from >= to {
            Some("the span's first role must come before its last in funnel order")
        } else if !matches!(kernel, Kernel::Anchored { middle, .. } if middle > 0) {
            Some("a middle span needs an anchored shape with a middle share")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(ErrorKind::InvalidValue { field: "middle span", value, reason }.into());
        }
    }
    if matches!(shape, Shape::LastNonDirect) && options.excluded.is_empty() {
        return Err(ErrorKind::InvalidValue {
            field: "excluded channels",
            value: "[]".to_owned(),
            reason: "last non-direct needs at least one excluded channel",
        }
        .into());
    }
    Ok(kernel)
}
