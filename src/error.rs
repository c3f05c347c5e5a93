//! The one error type of the crate: [`Error`], a pointer to its [`ErrorKind`].
//!
//! Every fallible operation returns [`Error`]. Its [`ErrorKind`] carries the offending value
//! in named fields, so a caller can report exactly what was wrong without parsing the message,
//! and match on the kind (`match err.kind() { ErrorKind::TouchOutOfOrder { journey, .. } => .. }`).
//! Messages are lowercase phrases without a trailing period, meant to be embedded in the
//! caller's own.
//!
//! **Why a box** (after jiff's error design, which keeps its `Error` one pointer wide): the
//! hot paths of the crate return `Result<(), Error>` once per fact, and the kinds carry
//! strings, decimals and instants (96 bytes as a bare enum). Boxing the kind makes `Error`
//! and `Result<(), Error>` one pointer (8 bytes), so the success path moves nothing, and the
//! allocation happens only on the error path, which is cold. Unlike jiff, the kind stays a
//! public, matchable enum: callers of a definitions library need to know *which* field of
//! *which* record was wrong, not only that something was.
//!
//! Each capability adds its kinds here, grouped under a comment naming the module; the enum is
//! `#[non_exhaustive]`, so adding one is not a breaking change.

use core::fmt;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::money::Currency;
use crate::{JourneyId, Money, StageId};

/// The error type for every fallible operation in this crate: one pointer to its
/// [`ErrorKind`] (see the module docs for why).
///
/// # Example
///
/// ```
/// use revops::{Currency, ErrorKind};
///
/// let err = Currency::new("usd").unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::InvalidCurrency { .. }));
/// assert_eq!(std::mem::size_of::<Result<(), revops::Error>>(), std::mem::size_of::<usize>());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What went wrong, with the offending values.
    #[must_use]
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The kind, by value.
    #[must_use]
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }
}

impl From<ErrorKind> for Error {
    #[cold]
    #[inline(never)]
    fn from(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.0)
    }
}

impl PartialEq<ErrorKind> for Error {
    fn eq(&self, other: &ErrorKind) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<Error> for ErrorKind {
    fn eq(&self, other: &Error) -> bool {
        *self == *other.0
    }
}

/// What went wrong, with the offending values in named fields: the kind of an [`Error`].
///
/// # Example
///
/// ```
/// use revops::{Currency, Error, ErrorKind};
///
/// let err = Currency::new("usd").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid currency code \"usd\": must be three ASCII uppercase letters"
/// );
/// assert!(matches!(err.kind(), ErrorKind::InvalidCurrency { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
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
    /// Text that is not a decimal number, or one that `Decimal` cannot hold exactly (more than
    /// 28 decimal places, more significant digits than its 96-bit mantissa, or out of range):
    /// decimals read from text are never rounded to fit.
    #[error("invalid decimal {value:?}: {reason}")]
    InvalidDecimal {
        /// The text (its first 64 characters, then `...`, if longer).
        value: String,
        /// Why it was refused.
        reason: &'static str,
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

    // ---- calendar ----
    /// A time-zone name is not in the IANA database (names are case-sensitive).
    #[error("unknown time zone {name:?}: not an IANA time-zone name like \"America/New_York\"")]
    UnknownTimeZone {
        /// The rejected name.
        name: String,
    },
    /// A working window is malformed or does not start before it ends.
    #[error("invalid working window {window:?}: {reason}")]
    InvalidWindow {
        /// The window as given.
        window: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// Two working windows of the same weekday share time.
    #[error("working windows {first} and {second} overlap on {weekday}")]
    OverlappingWindows {
        /// The weekday, lowercase English.
        weekday: &'static str,
        /// The earlier window.
        first: String,
        /// The later window.
        second: String,
    },
    /// A holiday is not a calendar date or is listed twice.
    #[error("invalid holiday {date:?}: {reason}")]
    InvalidHoliday {
        /// The holiday as given.
        date: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A duration that must not be negative is.
    #[error("{field} must not be negative, got {value:?}")]
    NegativeDuration {
        /// What the duration is, e.g. `"business time"`.
        field: &'static str,
        /// The duration given (ISO 8601).
        value: String,
    },
    /// An interval ends before it starts (or, where it must be non-empty, does not end after).
    #[error("{what} stops at {stop} before it starts at {start}")]
    StopBeforeStart {
        /// What the interval is, e.g. `"sla instance"`.
        what: &'static str,
        /// The start given.
        start: chrono::DateTime<chrono::Utc>,
        /// The stop given.
        stop: chrono::DateTime<chrono::Utc>,
    },
    /// A calendar has no working time at or after the instant, so business time cannot be added.
    #[error("calendar in `{zone}` has no working time left: business time cannot be added")]
    NoWorkingTime {
        /// The calendar's IANA zone.
        zone: String,
    },
    /// An instant lies outside the years business time is computed for (1678 to 2261).
    #[error("instant {instant} is outside the supported range (years 1678 to 2261)")]
    InstantOutOfRange {
        /// The instant, rendered as text.
        instant: String,
    },

    // ---- sla ----
    /// An SLA policy, instance or commitment field holds a value it does not allow.
    #[error("invalid SLA {field} {value:?}: {reason}")]
    InvalidSla {
        /// The field, e.g. `"at-risk threshold"`.
        field: &'static str,
        /// The rejected value, rendered as text.
        value: String,
        /// What the field allows.
        reason: &'static str,
    },
    /// A lead's facts put a milestone before the one it follows: an MQL before the lead was
    /// created, a handoff before the MQL, a sales touch or a disposition before the creation,
    /// a disposition before the handoff.
    #[error("lead `{lead}`: {milestone} at {at} is before its {follows} at {follows_at}")]
    MilestoneOutOfOrder {
        /// The lead.
        lead: String,
        /// The milestone out of order, e.g. `"mql"`.
        milestone: &'static str,
        /// When the facts put it.
        at: DateTime<Utc>,
        /// The milestone it must not precede, e.g. `"creation"`.
        follows: &'static str,
        /// When that one happened.
        follows_at: DateTime<Utc>,
    },

    // ---- funnel ----------------------------------------------------------------------
    /// A funnel has no stage in its order.
    #[error("a funnel needs at least one ordered stage")]
    EmptyFunnel,
    /// Two stages (or two keyed items of a funnel definition) share an id.
    #[error("duplicate {kind} `{key}`")]
    DuplicateKey {
        /// What is duplicated, e.g. `"stage id"`, `"scoring group"`.
        kind: &'static str,
        /// The repeated key.
        key: String,
    },
    /// A stage id that the funnel does not define.
    #[error("unknown stage `{stage}` in funnel")]
    UnknownStage {
        /// The unknown id.
        stage: crate::StageId,
    },
    /// A key that the definition it is used with does not define.
    #[error("unknown {kind} `{key}`")]
    UnknownKey {
        /// What kind of key, e.g. `"checklist criterion"`.
        kind: &'static str,
        /// The unknown key.
        key: String,
    },
    /// A stage placed where its kind does not belong (a side stage in the order, an open stage
    /// outside it, a terminal stage before an open one).
    #[error("stage `{stage}` is misplaced: {reason}")]
    MisplacedStage {
        /// The stage.
        stage: crate::StageId,
        /// Why it cannot sit there.
        reason: &'static str,
    },
    /// A move out of a terminal stage (won, lost, disqualified).
    #[error("cannot move from terminal stage `{from}` to `{to}`")]
    TerminalStage {
        /// The terminal stage the lead is in.
        from: crate::StageId,
        /// The stage the move asked for.
        to: crate::StageId,
    },
    /// A move the funnel cannot record at all (not a policy refusal, a malformed request).
    #[error("invalid move to `{to}`: {reason}")]
    InvalidTransition {
        /// The stage the move asked for.
        to: crate::StageId,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// A stage change whose timestamp is not strictly after the previous change.
    #[error("stage change {index} to `{stage}` at {at} is not after the previous change at {previous}")]
    StageChangeOutOfOrder {
        /// Position of the change in the history (0-based).
        index: usize,
        /// The stage it enters.
        stage: crate::StageId,
        /// Its timestamp.
        at: chrono::DateTime<chrono::Utc>,
        /// The previous change's timestamp.
        previous: chrono::DateTime<chrono::Utc>,
    },
    /// A score cap below zero.
    #[error("cap {cap} of {scope} `{key}` is negative")]
    NegativeCap {
        /// `"scoring group"` or `"score total"`.
        scope: &'static str,
        /// The group (or `fit` / `engagement` for a total).
        key: String,
        /// The cap given.
        cap: i64,
    },
    /// A duration that must be positive (a half-life, a time frame, a recycle delay) is not.
    #[error("{field} must be positive, got {seconds} s")]
    NonPositiveDuration {
        /// Which duration.
        field: &'static str,
        /// The value given, in seconds.
        seconds: i64,
    },
    /// Thresholds that must strictly decrease (tier bands) do not.
    #[error("{field} thresholds out of order: {next} after {previous}")]
    ThresholdsOutOfOrder {
        /// Which list of thresholds.
        field: &'static str,
        /// The earlier threshold.
        previous: Decimal,
        /// The threshold that should have been lower.
        next: Decimal,
    },
    /// A definition with more rules than the evaluator supports.
    #[error("{kind} has {count} rules, at most {max} are supported")]
    TooManyRules {
        /// Which definition.
        kind: &'static str,
        /// Rules given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A handoff missing fields its funnel requires; lists every missing field at once.
    #[error("handoff from `{from}` to `{to}` is missing {}", missing.join(", "))]
    IncompleteHandoff {
        /// Stage handed off from.
        from: crate::StageId,
        /// Stage handed off to.
        to: crate::StageId,
        /// Every required field that is absent, in field order, by its key (`HandoffField::as_str`).
        missing: Vec<&'static str>,
    },

    // ---- metrics -----------------------------------------------------------------------
    /// A money amount that must not be negative (a deal amount, a spend) is negative.
    #[error("negative {field} {amount} in record `{record}`")]
    NegativeAmount {
        /// The record, e.g. an opportunity id.
        record: String,
        /// Which amount, e.g. `"amount"`.
        field: &'static str,
        /// The amount given.
        amount: Decimal,
    },
    /// A record's money is in another currency than the one the metric sums in.
    #[error("record `{record}` is in {found}, but the metric sums {expected}")]
    MixedCurrency {
        /// The record, e.g. an opportunity id.
        record: String,
        /// The metric's currency.
        expected: Currency,
        /// The record's currency.
        found: Currency,
    },
    /// A record closes (or is answered, or churns) before it was created.
    #[error("record `{record}` closes at {closed_at} before it was created at {created_at}")]
    CloseBeforeCreate {
        /// The record, e.g. an opportunity id.
        record: String,
        /// When it was created.
        created_at: DateTime<Utc>,
        /// When it closed.
        closed_at: DateTime<Utc>,
    },
    /// A stage that is not in the stage order the metric was defined over.
    #[error("unknown stage `{stage}` in {record}")]
    StageOutsideOrder {
        /// Where the stage was named, e.g. "stage entry of `L1`" or "conversion definition".
        record: String,
        /// The stage.
        stage: StageId,
    },
    /// A record's fields contradict each other (e.g. a won deal without a close time).
    #[error("record `{record}` is inconsistent: {reason}")]
    InconsistentRecord {
        /// The record, e.g. an opportunity id.
        record: String,
        /// What contradicts what.
        reason: &'static str,
    },
    /// A value of a record failed a foundation check (a probability out of range, an amount
    /// with more decimals than its currency); the cause says which.
    #[error("invalid record `{record}`")]
    InvalidRecord {
        /// The record, e.g. an opportunity id.
        record: String,
        /// What was wrong with it.
        #[source]
        cause: Error,
    },
    /// A reporting period whose end is before its start.
    #[error("invalid period: end {end} is before start {start}")]
    InvalidPeriod {
        /// The start given.
        start: DateTime<Utc>,
        /// The end given.
        end: DateTime<Utc>,
    },

    // ---- icp ---------------------------------------------------------------------------
    /// An ICP criterion lists no values to match (e.g. an empty industry set).
    #[error("icp criterion `{criterion}` has an empty {field} set")]
    IcpEmptySet {
        /// The criterion's name.
        criterion: String,
        /// Which field, e.g. `"industry"`.
        field: &'static str,
    },
    /// An ICP range criterion has its minimum above its maximum.
    #[error("icp criterion `{criterion}` has {field} min {min} above max {max}")]
    IcpInvertedRange {
        /// The criterion's name.
        criterion: String,
        /// Which field, e.g. `"employees"`.
        field: &'static str,
        /// The minimum given, rendered as text.
        min: String,
        /// The maximum given, rendered as text.
        max: String,
    },
    /// An ICP range criterion has neither a minimum nor a maximum.
    #[error("icp criterion `{criterion}` has a {field} range with neither min nor max")]
    IcpUnboundedRange {
        /// The criterion's name.
        criterion: String,
        /// Which field, e.g. `"annual_revenue"`.
        field: &'static str,
    },
    /// Two criteria of one ICP share a name.
    #[error("icp `{icp}` has two criteria named `{criterion}`")]
    DuplicateCriterion {
        /// The ICP's name.
        icp: String,
        /// The repeated criterion name.
        criterion: String,
    },
    /// A weighted criterion's points are negative, zero or too large.
    #[error("icp criterion `{criterion}` has invalid points {points}: must be from 1 to 1000000")]
    IcpInvalidPoints {
        /// The criterion's name.
        criterion: String,
        /// The points given.
        points: i64,
    },
    /// An ICP has more criteria than a score can explain (64).
    #[error("icp `{icp}` has {count} criteria; at most {max} are allowed")]
    IcpTooManyCriteria {
        /// The ICP's name.
        icp: String,
        /// How many criteria it has.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An ICP has no weighted criterion, so its score would always be undefined.
    #[error("icp `{icp}` has no weighted criterion, so no score can be computed")]
    IcpWithoutPoints {
        /// The ICP's name.
        icp: String,
    },
    /// Tier thresholds are not strictly decreasing from the best tier to the worst.
    #[error("tier `{tier}` threshold {threshold} is not below the previous tier's {previous}")]
    TiersOutOfOrder {
        /// The tier out of order.
        tier: String,
        /// Its threshold.
        threshold: Decimal,
        /// The threshold of the tier before it.
        previous: Decimal,
    },
    /// A tier definition is invalid (empty or repeated name, threshold out of range).
    #[error("invalid tier {tier:?}: {reason}")]
    InvalidTier {
        /// The tier's name.
        tier: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// An account attribute holds another type than the ICP criterion reading it expects.
    #[error(
        "account `{account}`: attribute {attribute:?} is {found}, but icp criterion `{criterion}` expects {expected}"
    )]
    IcpAttributeType {
        /// The account whose attribute it is.
        account: crate::AccountId,
        /// The attribute's name.
        attribute: String,
        /// The criterion reading it.
        criterion: String,
        /// The type the criterion expects: `"text"`, `"number"` or `"flag"`.
        expected: &'static str,
        /// The type the account holds.
        found: &'static str,
    },
    /// An ICP set holds two profiles for one segment.
    #[error("icp set has two profiles for segment `{segment}`")]
    DuplicateIcp {
        /// The repeated segment.
        segment: crate::SegmentId,
    },
    /// A text is not one of the buying-role keys.
    #[error("unknown buying role {key:?}")]
    UnknownBuyingRole {
        /// The text given.
        key: String,
    },
    /// A buying group requires the same role twice.
    #[error("buying group requires role `{role}` twice")]
    DuplicateBuyingRole {
        /// The repeated role's key, e.g. `"champion"`.
        role: &'static str,
    },
    /// A buying-group requirement asks for zero contacts.
    #[error("buying group role `{role}` requires 0 contacts; require at least 1 or leave it out")]
    ZeroBuyingRoleMinimum {
        /// The role's key, e.g. `"champion"`.
        role: &'static str,
    },
    /// An ICP refinement was fed scores or partial results of another shape.
    #[error("icp refinement expects {expected} {what}, found {found}")]
    RefinementShapeMismatch {
        /// What differs: `"tiers"`, `"criteria"` or the tier index.
        what: &'static str,
        /// What the refinement was built for.
        expected: usize,
        /// What it was given.
        found: usize,
    },
    /// An account reports its annual revenue in another currency than an ICP revenue
    /// criterion reads (never converted silently).
    #[error("account `{account}` reports annual revenue in {found}, but icp criterion `{criterion}` reads {expected}")]
    IcpRevenueCurrency {
        /// The account.
        account: crate::AccountId,
        /// The revenue criterion.
        criterion: String,
        /// The criterion's currency.
        expected: Currency,
        /// The account's currency.
        found: Currency,
    },
    /// A deal given with an account's outcomes names another account.
    #[error("deal `{deal}` belongs to account `{found}`, not to account `{account}` whose outcomes it was given with")]
    DealOfAnotherAccount {
        /// The deal.
        deal: crate::OpportunityId,
        /// The account whose outcomes were pushed.
        account: crate::AccountId,
        /// The account the deal names.
        found: crate::AccountId,
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
        /// The missing role's key, e.g. `"opportunity_creation"`.
        role: &'static str,
    },
    /// The weights of a model do not sum to 100%.
    #[error("weights of the {model} model sum to {sum}%, not 100%")]
    WeightsNotHundred {
        /// The model's kind, e.g. `custom`.
        model: &'static str,
        /// The sum of the weights, in percent.
        sum: Decimal,
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
    /// Two partial tallies built for different definitions were merged.
    #[error("cannot merge {tally} tallies of different definitions: `{field}` differs")]
    DefinitionMismatch {
        /// The tally type, e.g. `"win rate"`.
        tally: &'static str,
        /// The part of the definition that differs, e.g. `"period"`.
        field: &'static str,
    },
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
                ErrorKind::InvalidId { kind: "account", value: String::new(), reason: "must not be empty" },
                "invalid account id \"\": must not be empty",
            ),
            (
                ErrorKind::UnknownCurrency { code: "XYZ".into() },
                "unknown currency code `XYZ`: give its minor-unit exponent explicitly",
            ),
            (
                ErrorKind::CurrencyExponentMismatch { code: "USD".into(), expected: 2, found: 3 },
                "currency `USD` has 2 minor-unit digits, not 3",
            ),
            (
                ErrorKind::CurrencyMismatch { expected: Currency::USD, found: Currency::EUR },
                "currency mismatch: expected USD, found EUR",
            ),
            (
                ErrorKind::ExcessPrecision { amount: Decimal::new(1005, 3), currency: Currency::USD, max_decimals: 2 },
                "amount 1.005 has more decimals than USD allows (2)",
            ),
            (ErrorKind::Overflow { op: "money addition" }, "arithmetic overflow in money addition"),
            (ErrorKind::EmptyWeights, "cannot allocate over an empty list of weights"),
            (ErrorKind::ZeroWeights { count: 3 }, "cannot allocate over 3 weights that are all zero"),
            (
                ErrorKind::NegativeWeight { index: 2, weight: Decimal::new(-5, 1) },
                "weight -0.5 at position 2 is negative",
            ),
            (
                ErrorKind::InvalidRatio {
                    numerator: Decimal::ONE,
                    denominator: Decimal::NEGATIVE_ONE,
                    reason: "parts must not be negative",
                },
                "invalid ratio 1/-1: parts must not be negative",
            ),
            (
                ErrorKind::InvalidValue { field: "testkit leads", value: "0".into(), reason: "must be at least 1" },
                "invalid testkit leads \"0\": must be at least 1",
            ),
        ];
        for (err, msg) in cases {
            assert_eq!(err.to_string(), msg);
        }
    }
}
