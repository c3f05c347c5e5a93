//! What went wrong: [`ErrorKind`], the matchable kinds of [`Error`](crate::Error), grouped by
//! the capability that raises them. One kind per failure *shape* (a negative value is
//! [`ErrorKind::Negative`] whatever it is, a repeated key [`ErrorKind::DuplicateKey`], a value
//! outside its field's domain [`ErrorKind::InvalidValue`]); the field says which. The record an
//! error is about is not part of the kind: it is [`Error::record`](crate::Error::record).
//! Each kind's message (its `Display`) is in `message.rs`, its code in `code.rs`.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::money::Currency;
use crate::{JourneyId, StageId};

/// What went wrong, with the offending values in named fields: the kind of an [`Error`](crate::Error).
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
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    // ---- identifiers -------------------------------------------------------------------
    /// An identifier failed validation.
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
    InvalidCurrency {
        /// The rejected code.
        code: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A well-formed code that the built-in ISO 4217 table does not know; use
    /// [`Currency::with_exponent`](crate::Currency::with_exponent) to name its minor units.
    UnknownCurrency {
        /// The code that is not in the table.
        code: String,
    },
    /// An explicit exponent contradicts the ISO 4217 exponent of a known currency.
    CurrencyExponentMismatch {
        /// The currency code.
        code: String,
        /// The ISO 4217 exponent.
        expected: u8,
        /// The exponent given.
        found: u8,
    },
    /// Two amounts in different currencies were combined.
    CurrencyMismatch {
        /// Currency of the left-hand operand (or of the first amount seen).
        expected: Currency,
        /// Currency of the right-hand operand.
        found: Currency,
    },
    /// An amount has more decimal places than its currency's minor unit allows.
    ExcessPrecision {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
        /// The currency's minor-unit exponent.
        max_decimals: u8,
    },
    /// A computation left the range of its number type.
    Overflow {
        /// The operation that overflowed.
        op: &'static str,
    },
    /// Text that is not a decimal number, or one that `Decimal` cannot hold exactly (more than
    /// 28 decimal places, more significant digits than its 96-bit mantissa, or out of range):
    /// decimals read from text are never rounded to fit.
    InvalidDecimal {
        /// The text (its first 64 characters, then `...`, if longer).
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },

    // ---- allocation --------------------------------------------------------------------
    /// A list that needs at least one item has none: the weights of an allocation, the
    /// ordered stages of a funnel, the channels of a path.
    Empty {
        /// What is empty, e.g. `"weights"`, `"funnel stage order"`, `"channel path"`.
        what: &'static str,
    },
    /// Every weight of an allocation is zero, so no share is defined.
    ZeroWeights {
        /// How many weights there were.
        count: usize,
    },
    /// A numerator and denominator do not form a ratio (a part is negative).
    InvalidRatio {
        /// The numerator given.
        numerator: Decimal,
        /// The denominator given.
        denominator: Decimal,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A probability is outside its scale's range.
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
    UnknownTimeZone {
        /// The rejected name.
        name: String,
    },
    /// Two working windows of the same weekday share time.
    OverlappingWindows {
        /// The weekday, lowercase English.
        weekday: &'static str,
        /// The earlier window.
        first: String,
        /// The later window.
        second: String,
    },
    /// A value that must not be negative is: an amount, a weight, a duration, a cap, a
    /// conversion value. The record it belongs to, if any, is the error's
    /// [`Record`](crate::Record).
    Negative {
        /// What the value is, e.g. `"amount"`, `"business time"`, `"weight"`.
        field: &'static str,
        /// The value given, rendered as text (a duration in ISO 8601), with its position or
        /// key where the field alone does not say which.
        value: String,
    },
    /// An interval ends before it starts (or, where it must be non-empty, does not end after).
    StopBeforeStart {
        /// What the interval is, e.g. `"sla instance"`.
        what: &'static str,
        /// The start given.
        start: chrono::DateTime<chrono::Utc>,
        /// The stop given.
        stop: chrono::DateTime<chrono::Utc>,
    },
    /// A calendar has no working time at or after the instant, so business time cannot be added.
    NoWorkingTime {
        /// The calendar's IANA zone.
        zone: String,
    },
    /// An instant lies outside the years business time is computed for (1678 to 2261).
    InstantOutOfRange {
        /// The instant, rendered as text.
        instant: String,
    },
    /// A time-zone name is not a location: a fixed-offset or legacy name of the tz database
    /// (`EST`, `EST5EDT`, `CET`, `GMT`, `Etc/GMT+5`) or an abbreviation that is no zone at all
    /// (`PST`, `CEST`). Such a name would silently ignore the location's daylight saving; a fixed
    /// offset is available when asked for explicitly (`"UTC-05:00"`), see
    /// [`Zone`](crate::calendar::Zone).
    NotALocationZone {
        /// The rejected name.
        name: String,
        /// What the name means, e.g. `"a fixed UTC-05:00 offset all year (no daylight saving)"`.
        meaning: String,
        /// Location zones to use instead, e.g. `"America/New_York"`.
        instead: &'static str,
    },

    // ---- sla ----
    /// A lead's facts put a milestone before the one it follows: an MQL before the lead was
    /// created, a handoff before the MQL, a sales touch or a disposition before the creation,
    /// a disposition before the handoff.
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
    /// Two keyed items of a definition share a key: two stages, two scoring groups, two
    /// criteria or segments of an ICP set, a buying role required twice.
    DuplicateKey {
        /// What is duplicated, e.g. `"stage id"`, `"scoring group"`, `"icp criterion"`,
        /// `"icp segment"`, `"buying role"`.
        kind: &'static str,
        /// The repeated key.
        key: String,
    },
    /// A stage id that the funnel does not define.
    UnknownStage {
        /// The unknown id.
        stage: crate::StageId,
    },
    /// A key that the definition it is used with does not define.
    UnknownKey {
        /// What kind of key, e.g. `"checklist criterion"`.
        kind: &'static str,
        /// The unknown key.
        key: String,
    },
    /// A stage placed where its kind does not belong (a side stage in the order, an open stage
    /// outside it, a terminal stage before an open one).
    MisplacedStage {
        /// The stage.
        stage: crate::StageId,
        /// Why it cannot sit there.
        reason: &'static str,
    },
    /// A move out of a terminal stage (won, lost, disqualified).
    TerminalStage {
        /// The terminal stage the lead is in.
        from: crate::StageId,
        /// The stage the move asked for.
        to: crate::StageId,
    },
    /// A move the funnel cannot record at all (not a policy refusal, a malformed request).
    InvalidTransition {
        /// The stage the move asked for.
        to: crate::StageId,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// A stage change whose timestamp is not strictly after the previous change.
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
    /// A duration that must be positive (a half-life, a time frame, a recycle delay) is not.
    NonPositiveDuration {
        /// Which duration.
        field: &'static str,
        /// The value given, in seconds.
        seconds: i64,
    },
    /// Thresholds that must strictly decrease (tier bands, ICP tiers) do not.
    ThresholdsOutOfOrder {
        /// Which list of thresholds.
        field: &'static str,
        /// The earlier threshold.
        previous: Decimal,
        /// The threshold that should have been lower.
        next: Decimal,
    },
    /// A definition with more items than the evaluator supports (rules of a scoring model,
    /// criteria of an ICP).
    TooMany {
        /// What there are too many of, e.g. `"mql rules"`, `"icp criteria"`.
        what: &'static str,
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A handoff missing fields its funnel requires; lists every missing field at once.
    IncompleteHandoff {
        /// Stage handed off from.
        from: crate::StageId,
        /// Stage handed off to.
        to: crate::StageId,
        /// Every required field that is absent, in field order, by its key (`HandoffField::as_str`).
        missing: Vec<&'static str>,
    },

    // ---- metrics -----------------------------------------------------------------------
    /// A record's money is in another currency than the one the metric sums in.
    MixedCurrency {
        /// The metric's currency.
        expected: Currency,
        /// The record's currency.
        found: Currency,
    },
    /// No rate of the rate table converts `from` into `to` on `date`: the pair has no rate
    /// at all (`first` is `None`), or `date` is before its first rate (`first` is that rate's
    /// `valid_from`). See [`RateTable`](crate::fx::RateTable).
    NoRate {
        /// The currency converted from.
        from: Currency,
        /// The currency converted into.
        to: Currency,
        /// The date the conversion needed a rate for.
        date: chrono::NaiveDate,
        /// The first `valid_from` of the pair, if it has rates (then `date` is before it).
        first: Option<chrono::NaiveDate>,
    },
    /// A record closes (or is answered, or churns) before it was created.
    CloseBeforeCreate {
        /// When it was created.
        created_at: DateTime<Utc>,
        /// When it closed.
        closed_at: DateTime<Utc>,
    },
    /// A stage that is not in the stage order the metric was defined over.
    StageOutsideOrder {
        /// Where the stage was named, e.g. "stage entry of `L1`" or "conversion definition".
        place: String,
        /// The stage.
        stage: StageId,
    },
    /// A record's fields contradict each other (e.g. a won deal without a close time).
    InconsistentRecord {
        /// What contradicts what.
        reason: &'static str,
    },

    // ---- icp ---------------------------------------------------------------------------
    /// An ICP criterion cannot be scored as written: an empty value set, a range whose
    /// minimum is above its maximum or that has neither bound, points outside 1 to 1,000,000.
    InvalidCriterion {
        /// The criterion's name.
        criterion: String,
        /// What is wrong, e.g. "has an empty industry set", "has employees min 50 above max
        /// 10", "has invalid points 0: must be from 1 to 1000000".
        problem: String,
    },
    /// An ICP has no weighted criterion, so its score would always be undefined.
    IcpWithoutPoints {
        /// The ICP's name.
        icp: String,
    },
    /// An account attribute holds another type than the ICP criterion reading it expects.
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
    /// A text is not one of the buying-role keys.
    UnknownBuyingRole {
        /// The text given.
        key: String,
    },
    /// A buying-group requirement asks for zero contacts.
    ZeroBuyingRoleMinimum {
        /// The role's key, e.g. `"champion"`.
        role: &'static str,
    },
    /// An ICP refinement was fed scores or partial results of another shape.
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
    /// The data hold no converting journey, so there is nothing to attribute.
    NoConvertingJourneys {
        /// How many journeys (converting or not) were counted.
        journeys: u64,
    },
    /// Every journey converts, so removal effects degenerate to visit frequencies.
    NoNonConvertingJourneys {
        /// How many converting journeys were counted.
        conversions: u64,
    },
    /// A Markov order outside the supported range.
    MarkovOrder {
        /// The order given.
        order: usize,
        /// The highest supported order.
        max: usize,
    },
    /// The possible states of a Markov chain of this order do not fit the state limit.
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
    MarkovNotConverged {
        /// Sweeps done.
        iterations: usize,
        /// The largest change in the last sweep, rendered as text.
        change: String,
    },
    /// A model was given more distinct channels than it supports.
    TooManyChannels {
        /// The model, e.g. `"exact shapley"`.
        model: &'static str,
        /// The number of channels given.
        channels: usize,
        /// The limit.
        max: usize,
    },
    /// A characteristic function returned NaN or an infinity.
    NonFiniteCoalitionValue {
        /// The coalition, rendered as `{a, b}`.
        coalition: String,
        /// The value returned, rendered as text.
        value: String,
    },
    /// Shapley values failed the efficiency check (they must sum to `v(N) - v(empty)`).
    ShapleyEfficiency {
        /// The sum of the values, rendered as text.
        sum: String,
        /// `v(N) - v(empty)`, rendered as text.
        expected: String,
    },
    /// Money cannot be allocated by a negative or non-finite model share.
    InvalidModelShare {
        /// The channel.
        channel: crate::ChannelId,
        /// The share, rendered as text.
        share: String,
    },

    // ---- attribution ----
    /// A touch of a journey is earlier than the touch before it (touches must be in
    /// `(at, sequence)` order; see `attribution::Journey`).
    TouchOutOfOrder {
        /// The journey.
        journey: JourneyId,
        /// Position of the offending touch.
        index: usize,
    },
    /// A touch of a converting journey happened after the conversion.
    TouchAfterConversion {
        /// The journey.
        journey: JourneyId,
        /// Position of the offending touch.
        index: usize,
    },
    /// A converting journey has no touch to credit.
    EmptyJourney {
        /// The journey.
        journey: JourneyId,
        /// Why: no touches at all, or none inside the lookback window.
        reason: &'static str,
    },
    /// A model needs a role no touch holds, and its missing-anchor policy is `error`.
    MissingAnchor {
        /// The journey.
        journey: JourneyId,
        /// The missing role's key, e.g. `"opportunity_creation"`.
        role: &'static str,
    },
    /// The weights of a model do not sum to 100%.
    WeightsNotHundred {
        /// The model's kind, e.g. `custom`.
        model: &'static str,
        /// The sum of the weights, in percent.
        sum: Decimal,
    },
    /// A touch of a columnar batch names a channel index the batch does not have.
    UnknownChannelIndex {
        /// Position of the journey in the batch.
        journey: usize,
        /// Position of the touch in the journey.
        touch: usize,
        /// The channel index given.
        channel: u32,
    },
    /// A journey of a columnar batch is invalid (same checks as `Journey::check`).
    InvalidBatchJourney {
        /// Position of the journey in the batch.
        journey: usize,
        /// Position of the offending touch (0 when the journey as a whole is wrong).
        touch: usize,
        /// What is wrong.
        reason: &'static str,
    },

    // ---- agreement ---------------------------------------------------------------------
    /// A part of an agreement names something that another part does not define (an SLA's
    /// calendar, a KPI's stage, an attribution milestone's stage).
    UnknownReference {
        /// The part that names it, e.g. `"sla.sales_follow_up.calendar"`.
        part: String,
        /// What kind of thing it names, e.g. `"calendar"`.
        kind: &'static str,
        /// The name that does not exist.
        key: String,
    },

    // ---- crm ---------------------------------------------------------------------------
    /// A column of a CRM export row holds a value the mapping cannot read (an instant that is
    /// not ISO 8601, an amount that is not exact, a stage the stage map does not name), or a
    /// required column is empty or absent (`value` is then `""`). The row is the error's
    /// [`Record::Line`](crate::Record::Line).
    InvalidColumn {
        /// The column, as the export names it, e.g. `"createdate"`.
        column: String,
        /// The value (its first 64 characters, then `...`, if longer); `""` when absent.
        value: String,
        /// What the column must hold.
        reason: &'static str,
    },

    // ---- shared by several capabilities ------------------------------------------------
    /// Two partial tallies built for different definitions were merged.
    DefinitionMismatch {
        /// The tally type, e.g. `"win rate"`.
        tally: &'static str,
        /// The part of the definition that differs, e.g. `"period"`.
        field: &'static str,
    },
    /// A named field of a definition or a record holds a value outside what it allows (an SLA
    /// threshold, a working window, a holiday, a tier, a testkit size...): the field says
    /// which, the reason what it allows.
    InvalidValue {
        /// The field, e.g. `"testkit leads"`.
        field: &'static str,
        /// The rejected value, rendered as text.
        value: String,
        /// What the field allows.
        reason: &'static str,
    },
}
