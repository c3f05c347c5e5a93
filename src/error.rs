//! The one error type of the crate.
//!
//! Every fallible operation returns [`Error`]. Variants carry the offending value in named
//! fields, so a caller can report exactly what was wrong without parsing the message. Messages
//! are lowercase phrases without a trailing period, meant to be embedded in the caller's own.
//!
//! Each capability adds its variants here, grouped under a comment naming the module; the enum
//! is `#[non_exhaustive]`, so adding one is not a breaking change.

use rust_decimal::Decimal;

use chrono::TimeDelta;

use crate::attribution::Role;
use crate::money::Currency;
use crate::{JourneyId, Money};

/// The error type for every fallible operation in this crate.
///
/// # Example
///
/// ```
/// use revops::{Currency, Error};
///
/// let err = Currency::new("usd").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid currency code \"usd\": must be three ASCII uppercase letters"
/// );
/// assert!(matches!(err, Error::InvalidCurrency { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- identifiers -------------------------------------------------------------------
    /// An identifier failed validation.
    #[error("invalid {kind} id {value:?}: {reason}")]
    InvalidId {
        /// Which identifier type, e.g. `"stage"`.
        kind: &'static str,
        /// The rejected input.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },

    // ---- money -------------------------------------------------------------------------
    /// A currency code is not three ASCII uppercase letters, or its exponent is out of range.
    #[error("invalid currency code {code:?}: {reason}")]
    InvalidCurrency {
        /// The rejected code.
        code: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A well-formed code that the built-in ISO 4217 table does not know; use
    /// [`Currency::with_exponent`](crate::Currency::with_exponent) to name its minor units.
    #[error("unknown currency code `{code}`: give its minor-unit exponent explicitly")]
    UnknownCurrency {
        /// The code that is not in the table.
        code: String,
    },
    /// An explicit exponent contradicts the ISO 4217 exponent of a known currency.
    #[error("currency `{code}` has {expected} minor-unit digits, not {found}")]
    CurrencyExponentMismatch {
        /// The currency code.
        code: String,
        /// The ISO 4217 exponent.
        expected: u8,
        /// The exponent given.
        found: u8,
    },
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch: expected {expected}, found {found}")]
    CurrencyMismatch {
        /// Currency of the left-hand operand (or of the first amount seen).
        expected: Currency,
        /// Currency of the right-hand operand.
        found: Currency,
    },
    /// An amount has more decimal places than its currency's minor unit allows.
    #[error("amount {amount} has more decimals than {currency} allows ({max_decimals})")]
    ExcessPrecision {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
        /// The currency's minor-unit exponent.
        max_decimals: u8,
    },
    /// A computation left the range of its number type.
    #[error("arithmetic overflow in {op}")]
    Overflow {
        /// The operation that overflowed.
        op: &'static str,
    },

    // ---- allocation --------------------------------------------------------------------
    /// An allocation was asked to split over no weights at all.
    #[error("cannot allocate over an empty list of weights")]
    EmptyWeights,
    /// Every weight of an allocation is zero, so no share is defined.
    #[error("cannot allocate over {count} weights that are all zero")]
    ZeroWeights {
        /// How many weights there were.
        count: usize,
    },
    /// A weight of an allocation is negative.
    #[error("weight {weight} at position {index} is negative")]
    NegativeWeight {
        /// Position of the weight in the list.
        index: usize,
        /// The weight.
        weight: Decimal,
    },
    /// A numerator and denominator do not form a ratio (a part is negative).
    #[error("invalid ratio {numerator}/{denominator}: {reason}")]
    InvalidRatio {
        /// The numerator given.
        numerator: Decimal,
        /// The denominator given.
        denominator: Decimal,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A probability is outside its scale's range.
    #[error("probability {value} is out of range for a {scale} (0 to {max})")]
    ProbabilityOutOfRange {
        /// The value given.
        value: Decimal,
        /// `"percent"` or `"fraction"`.
        scale: &'static str,
        /// The top of the scale.
        max: Decimal,
    },

    // ---- attribution ----
    /// A touch of a journey is earlier than the touch before it (touches must be in
    /// `(at, sequence)` order; see `attribution::Journey`).
    #[error("touch {index} of journey `{journey}` is earlier than the touch before it")]
    TouchOutOfOrder {
        /// The journey.
        journey: JourneyId,
        /// Position of the offending touch.
        index: usize,
    },
    /// A touch of a converting journey happened after the conversion.
    #[error("touch {index} of journey `{journey}` is after its conversion")]
    TouchAfterConversion {
        /// The journey.
        journey: JourneyId,
        /// Position of the offending touch.
        index: usize,
    },
    /// A converting journey has no touch to credit.
    #[error("journey `{journey}` has no touch to credit: {reason}")]
    EmptyJourney {
        /// The journey.
        journey: JourneyId,
        /// Why: no touches at all, or none inside the lookback window.
        reason: &'static str,
    },
    /// A conversion value is negative.
    #[error("journey `{journey}` has a negative conversion value {value}")]
    NegativeConversionValue {
        /// The journey.
        journey: JourneyId,
        /// The value given.
        value: Money,
    },
    /// A model needs a role no touch holds, and its missing-anchor policy is `error`.
    #[error("journey `{journey}` has no touch holding the {role} anchor")]
    MissingAnchor {
        /// The journey.
        journey: JourneyId,
        /// The missing role.
        role: Role,
    },
    /// The weights of a model do not sum to 100%.
    #[error("weights of the {model} model sum to {sum}%, not 100%")]
    WeightsNotHundred {
        /// The model's kind, e.g. `custom`.
        model: &'static str,
        /// The sum of the weights, in percent.
        sum: Decimal,
    },
    /// A duration of a model (lookback window, half-life) is zero or negative.
    #[error("{field} must be positive, got {value}")]
    NonPositiveDuration {
        /// `"lookback"` or `"half-life"`.
        field: &'static str,
        /// The duration given.
        value: TimeDelta,
    },
    /// A touch of a columnar batch names a channel index the batch does not have.
    #[error("touch {touch} of batch journey {journey} has unknown channel index {channel}")]
    UnknownChannelIndex {
        /// Position of the journey in the batch.
        journey: usize,
        /// Position of the touch in the journey.
        touch: usize,
        /// The channel index given.
        channel: u32,
    },
    /// A journey of a columnar batch is invalid (same checks as `Journey::check`).
    #[error("journey {journey} of the batch is invalid at touch {touch}: {reason}")]
    InvalidBatchJourney {
        /// Position of the journey in the batch.
        journey: usize,
        /// Position of the offending touch (0 when the journey as a whole is wrong).
        touch: usize,
        /// What is wrong.
        reason: &'static str,
    },

    // ---- shared by several capabilities ------------------------------------------------
    /// A named field holds a value outside what it allows.
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidValue {
        /// The field, e.g. `"testkit leads"`.
        field: &'static str,
        /// The rejected value, rendered as text.
        value: String,
        /// What the field allows.
        reason: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_offender() {
        let cases = [
            (
                Error::InvalidId { kind: "account", value: String::new(), reason: "must not be empty" },
                "invalid account id \"\": must not be empty",
            ),
            (
                Error::UnknownCurrency { code: "XYZ".into() },
                "unknown currency code `XYZ`: give its minor-unit exponent explicitly",
            ),
            (
                Error::CurrencyExponentMismatch { code: "USD".into(), expected: 2, found: 3 },
                "currency `USD` has 2 minor-unit digits, not 3",
            ),
            (
                Error::CurrencyMismatch { expected: Currency::USD, found: Currency::EUR },
                "currency mismatch: expected USD, found EUR",
            ),
            (
                Error::ExcessPrecision { amount: Decimal::new(1005, 3), currency: Currency::USD, max_decimals: 2 },
                "amount 1.005 has more decimals than USD allows (2)",
            ),
            (Error::Overflow { op: "money addition" }, "arithmetic overflow in money addition"),
            (Error::EmptyWeights, "cannot allocate over an empty list of weights"),
            (Error::ZeroWeights { count: 3 }, "cannot allocate over 3 weights that are all zero"),
            (Error::NegativeWeight { index: 2, weight: Decimal::new(-5, 1) }, "weight -0.5 at position 2 is negative"),
            (
                Error::InvalidRatio {
                    numerator: Decimal::ONE,
                    denominator: Decimal::NEGATIVE_ONE,
                    reason: "parts must not be negative",
                },
                "invalid ratio 1/-1: parts must not be negative",
            ),
            (
                Error::InvalidValue { field: "testkit leads", value: "0".into(), reason: "must be at least 1" },
                "invalid testkit leads \"0\": must be at least 1",
            ),
        ];
        for (err, msg) in cases {
            assert_eq!(err.to_string(), msg);
        }
    }
}
