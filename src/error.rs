//! The one error type of the crate.
//!
//! Every fallible operation returns [`Error`]. Variants carry the offending value in named
//! fields, so a caller can report exactly what was wrong without parsing the message. Messages
//! are lowercase phrases without a trailing period, meant to be embedded in the caller's own.
//!
//! Each capability adds its variants here, grouped under a comment naming the module; the enum
//! is `#[non_exhaustive]`, so adding one is not a breaking change.

use rust_decimal::Decimal;

use crate::money::Currency;

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

    // ---- attribution: data-driven models (paths, markov, shapley) ---------------------
    /// A row of an aggregated path table could not be read.
    #[error("invalid aggregated path table at line {line}: {column} {value:?}: {reason}")]
    PathTableRow {
        /// The 1-based line number in the text.
        line: usize,
        /// The column (or `"header"`, `"row"`).
        column: &'static str,
        /// The offending text.
        value: String,
        /// What was expected.
        reason: &'static str,
    },
    /// A journey or aggregated path has no channel at all.
    #[error("a channel path must hold at least one channel")]
    EmptyChannelPath,
    /// The data hold no converting journey, so there is nothing to attribute.
    #[error("no converting journeys among {journeys}: a data-driven model has nothing to attribute")]
    NoConvertingJourneys {
        /// How many journeys (converting or not) were counted.
        journeys: u64,
    },
    /// Every journey converts, so removal effects degenerate to visit frequencies.
    #[error(
        "all {conversions} journeys convert: without non-converting journeys every removal effect degenerates to a visit frequency; add the non-converting journeys or choose to report the result as degenerate"
    )]
    NoNonConvertingJourneys {
        /// How many converting journeys were counted.
        conversions: u64,
    },
    /// A Markov order outside the supported range.
    #[error("invalid markov order {order}: must be between 1 and {max}")]
    MarkovOrder {
        /// The order given.
        order: usize,
        /// The highest supported order.
        max: usize,
    },
    /// The possible states of a Markov chain of this order do not fit the state limit.
    #[error("markov order {order} over {channels} channels has {states} possible states, more than the limit of {max}")]
    MarkovStateSpace {
        /// The order.
        order: usize,
        /// The number of distinct channels.
        channels: usize,
        /// The possible states: the sum over `j` in `1..=order` of `channels^j`.
        states: u128,
        /// The limit.
        max: u128,
    },
    /// The iterative absorbing-chain solve did not reach its tolerance.
    #[error("markov absorbing-chain solve did not converge in {iterations} sweeps (last change {change})")]
    MarkovNotConverged {
        /// Sweeps done.
        iterations: usize,
        /// The largest change in the last sweep, rendered as text.
        change: String,
    },
    /// A model was given more distinct channels than it supports.
    #[error("{model} supports at most {max} channels, got {channels}")]
    TooManyChannels {
        /// The model, e.g. `"exact shapley"`.
        model: &'static str,
        /// The number of channels given.
        channels: usize,
        /// The limit.
        max: usize,
    },
    /// A characteristic function returned NaN or an infinity.
    #[error("characteristic function returned {value} for coalition {coalition}")]
    NonFiniteCoalitionValue {
        /// The coalition, rendered as `{a, b}`.
        coalition: String,
        /// The value returned, rendered as text.
        value: String,
    },
    /// Shapley values failed the efficiency check (they must sum to `v(N) - v(empty)`).
    #[error("shapley values sum to {sum}, not v(N) - v(empty) = {expected}")]
    ShapleyEfficiency {
        /// The sum of the values, rendered as text.
        sum: String,
        /// `v(N) - v(empty)`, rendered as text.
        expected: String,
    },
    /// Money cannot be allocated by a negative or non-finite model share.
    #[error(
        "cannot allocate money by the share {share} of channel `{channel}`: shares must be finite and non-negative"
    )]
    InvalidModelShare {
        /// The channel.
        channel: crate::ChannelId,
        /// The share, rendered as text.
        share: String,
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
