//! Documented limits: every bound of the crate, and the error each one gives.
//!
//! Nothing in the crate grows without bound or fails by panicking: each input that could make
//! an answer wrong, a computation explode or memory run out meets one of the bounds below
//! first, and the bound answers with a typed [`Error`](crate::Error) naming the value. The
//! table is the contract; a test or a fuzz target checks each row.
//!
//! | what | bound | beyond it |
//! | --- | --- | --- |
//! | instants in business time and in the attribution row API and columnar batch (the crate's one batch time unit: `i64` nanoseconds since the Unix epoch) | years 1678 to 2261 (the range of `i64` nanoseconds, 1677-09-21 to 2262-04-11, without `i64::MIN`, which stands for "no instant") | [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange); a [`ColumnarBatch`](crate::attribution::ColumnarBatch) journey: [`ErrorKind::InvalidBatchJourney`](crate::ErrorKind::InvalidBatchJourney) |
//! | business time between two instants | exact over the whole range above (summed in `i128` nanoseconds; about 584 years of a 24/7 calendar) | none |
//! | business time added to an instant | the deadline must fall in the range above | [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange) |
//! | calendar exceptions | any number; each date finds its exceptions by binary search (O(log n)) | none |
//! | [`BusinessTimeline`](crate::calendar::BusinessTimeline) range | [`MAX_DAYS`](crate::calendar::BusinessTimeline::MAX_DAYS) = 73,050 local dates (about 200 years) | [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) |
//! | business days or schedule days in a span | `u32` days | [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange) when the deadline leaves the range |
//! | amounts | `Decimal`: 28 significant digits, scale 0 to 28; text with more digits than that is refused, never rounded | [`ErrorKind::ExcessPrecision`](crate::ErrorKind::ExcessPrecision) / a parse error naming the text |
//! | allocation | amounts up to about 10^26 minor units; any non-negative weights (near `Decimal::MAX` the parts still conserve the amount in minor units, but [`Money::checked_sum`](crate::Money::checked_sum) of them can need more than 28 digits on the way) | [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) |
//! | currency minor units | exponent 0 to [`MAX_EXPONENT`](crate::Currency::MAX_EXPONENT) = 18 | [`ErrorKind::InvalidCurrency`](crate::ErrorKind::InvalidCurrency) |
//! | identifiers | keys (stage, segment): 1 to 64 bytes of `a-z 0-9 _`; external ids (account, lead, deal, channel, ...): 1 to 128 bytes | [`ErrorKind::InvalidId`](crate::ErrorKind::InvalidId) |
//! | ICP criteria | 64 per ICP ([`CriteriaSet::CAPACITY`](crate::icp::CriteriaSet::CAPACITY)); points 1 to [`MAX_POINTS`](crate::icp::MAX_POINTS) = 1,000,000 | [`ErrorKind::TooMany`](crate::ErrorKind::TooMany), [`ErrorKind::InvalidCriterion`](crate::ErrorKind::InvalidCriterion) |
//! | lead scoring | 64 groups; points per rule within ±1,000,000 | [`ErrorKind::TooMany`](crate::ErrorKind::TooMany), [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) |
//! | qualification rule (the MQL rule) | [`Qualification::MAX_LEAVES`](crate::funnel::Qualification::MAX_LEAVES) = 64 leaves; [`Qualification::MAX_DEPTH`](crate::funnel::Qualification::MAX_DEPTH) = 8 levels of `all` / `any` / `not` (a lone leaf is 1), checked while a rule is read, so no input nests deeper | [`ErrorKind::TooMany`](crate::ErrorKind::TooMany) naming the limit |
//! | score thresholds | lead-scoring [`Points`](crate::funnel::Points): whole points or hundredths within ±1,000,000,000; ICP tier thresholds: a 0-100 fit score (`"75/100"`) with at most two decimals; on the wire each says its scale | [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) naming the expected form |
//! | channels in one interner (paths, Markov, columnar batches) | [`ChannelInterner::MAX_CHANNELS`](crate::attribution::ChannelInterner::MAX_CHANNELS) = 65,535 | [`ErrorKind::TooManyChannels`](crate::ErrorKind::TooManyChannels) |
//! | Markov order | 1 to [`MarkovModel::MAX_ORDER`](crate::attribution::MarkovModel::MAX_ORDER) = 8 | [`ErrorKind::MarkovOrder`](crate::ErrorKind::MarkovOrder) |
//! | Markov possible states (`sum over j in 1..=k of channels^j`) | [`MarkovModel::MAX_STATES`](crate::attribution::MarkovModel::MAX_STATES) = 2^24 | [`ErrorKind::MarkovStateSpace`](crate::ErrorKind::MarkovStateSpace) |
//! | Markov solve | observed states only; dense elimination up to 256 states, a sparse direct factorisation beyond (no iteration to converge); order-1 removal effects come from one factorisation, not one solve per channel | none |
//! | Shapley coalitions | [`MAX_COALITION_CHANNELS`](crate::attribution::MAX_COALITION_CHANNELS) = 64 channels (a channel set is a 64-bit mask) | [`ErrorKind::TooManyChannels`](crate::ErrorKind::TooManyChannels) |
//! | exact classic Shapley | [`MAX_EXACT_CHANNELS`](crate::attribution::MAX_EXACT_CHANNELS) = 20 channels (a `2^n` table) | [`ErrorKind::TooManyChannels`](crate::ErrorKind::TooManyChannels) |
//! | path-table rows expanded to journeys | [`MAX_EXPANDED_JOURNEYS`](crate::attribution::MAX_EXPANDED_JOURNEYS) = 2^24 by `journeys_from_paths`; any `u64` count by `weighted_journeys_from_paths` (memory bounded by the rows) | [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) |
//! | lookback and half-life | whole seconds, at most `i64` nanoseconds (9,223,372,036 s, about 292 years) | [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) |
//! | counts and sums in every accumulator | `u64` counts, `i128` minor units, checked; a deserialized state is checked too | [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) |
//! | merging two accumulators | the same definition (period, `as_of`, model, lookback, currency, ...) | [`ErrorKind::DefinitionMismatch`](crate::ErrorKind::DefinitionMismatch) |
//! | synthetic company (`testkit`) | 10 to 10,000,000 leads | [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) |
//!
//! # Example
//!
//! ```
//! use chrono::{DateTime, Utc};
//! use revops::calendar::{BusinessCalendar, BusinessClock};
//! use revops::{Currency, ErrorKind, SegmentId};
//!
//! // A key one byte over its bound: refused, naming the value.
//! let err = SegmentId::new("s".repeat(65)).unwrap_err();
//! assert!(matches!(err.kind(), ErrorKind::InvalidId { reason: "must be at most 64 bytes", .. }));
//! assert!(SegmentId::new("s".repeat(64)).is_ok());
//!
//! // A minor-unit exponent past MAX_EXPONENT.
//! let err = Currency::with_exponent("XBT", Currency::MAX_EXPONENT + 1).unwrap_err();
//! assert!(matches!(err.kind(), ErrorKind::InvalidCurrency { .. }));
//!
//! // An instant past 2261 in business time: an error, not a wrapped-around answer.
//! let calendar = BusinessCalendar::builder("UTC").weekdays("09:00-17:00".parse()?).build()?;
//! let far: DateTime<Utc> = "2300-01-01T12:00:00Z".parse().unwrap_or_default();
//! let err = calendar.is_open(far).unwrap_err();
//! assert!(matches!(err.kind(), ErrorKind::InstantOutOfRange { .. }));
//! # Ok::<(), revops::Error>(())
//! ```

use chrono::{DateTime, Utc};

/// The crate's one integer time unit for its batch layers (attribution's columnar batch and
/// engine, the metrics batch, the calendar): `i64` nanoseconds since the Unix epoch. Valid
/// instants are `MIN_NANOS..=MAX_NANOS`, from 1677-09-21T00:12:43.145224193Z to
/// 2262-04-11T23:47:16.854775807Z (every instant of the years 1678 to 2261);
/// [`NO_INSTANT`] is outside it, so no input instant can read as "no instant".
pub(crate) const MIN_NANOS: i64 = i64::MIN + 1;
/// The latest valid instant in nanoseconds (see [`MIN_NANOS`]).
pub(crate) const MAX_NANOS: i64 = i64::MAX;
/// "No instant" in integer columns: below [`MIN_NANOS`].
pub(crate) const NO_INSTANT: i64 = i64::MIN;
const _: () = assert!(NO_INSTANT < MIN_NANOS);

/// `t` in the batch time unit.
///
/// # Errors
/// [`ErrorKind::InstantOutOfRange`](crate::ErrorKind::InstantOutOfRange) outside `MIN_NANOS..=MAX_NANOS`.
#[inline]
pub(crate) fn nanos(t: DateTime<Utc>) -> Result<i64, crate::Error> {
    if !in_range(t) {
        return Err(crate::ErrorKind::InstantOutOfRange { instant: t.to_rfc3339() }.into());
    }
    // In range the exact count fits `i64`, so the wrapping sum is that count (the product
    // alone can pass `i64::MIN` for instants just after the earliest).
    Ok(t.timestamp().wrapping_mul(1_000_000_000).wrapping_add(i64::from(t.timestamp_subsec_nanos())))
}

/// The earliest and latest valid instants as date-times (see [`MIN_NANOS`]).
const RANGE: (DateTime<Utc>, DateTime<Utc>) =
    (DateTime::from_timestamp_nanos(MIN_NANOS), DateTime::from_timestamp_nanos(MAX_NANOS));

/// Whether `t` is a valid batch instant: two comparisons, no arithmetic.
#[inline]
pub(crate) fn in_range(t: DateTime<Utc>) -> bool {
    RANGE.0 <= t && t <= RANGE.1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn the_batch_time_unit_refuses_instants_outside_its_range() {
        let earliest = DateTime::from_timestamp_nanos(MIN_NANOS);
        assert_eq!(nanos(earliest).unwrap(), MIN_NANOS);
        assert_eq!(nanos(DateTime::from_timestamp_nanos(MAX_NANOS)).unwrap(), MAX_NANOS);
        // i64::MIN nanoseconds is the "no instant" sentinel: refused, like anything earlier.
        let sentinel = DateTime::from_timestamp_nanos(NO_INSTANT);
        assert!(matches!(nanos(sentinel).unwrap_err().kind(), ErrorKind::InstantOutOfRange { .. }));
        assert!(matches!(nanos(DateTime::<Utc>::MIN_UTC).unwrap_err().kind(), ErrorKind::InstantOutOfRange { .. }));
        assert!(matches!(nanos(DateTime::<Utc>::MAX_UTC).unwrap_err().kind(), ErrorKind::InstantOutOfRange { .. }));
        // The fast conversion equals chrono's checked one across the range, leap seconds too.
        for ns in [MIN_NANOS, MIN_NANOS + 999_999_999, -1_000_000_001, -1, 0, 1, 1_704_067_200_123_456_789, MAX_NANOS] {
            let t = DateTime::from_timestamp_nanos(ns);
            assert_eq!(nanos(t).unwrap(), t.timestamp_nanos_opt().unwrap(), "{t}");
        }
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_nano_opt(23, 59, 59, 1_500_000_000);
        let leap = leap.unwrap().and_utc();
        assert_eq!(nanos(leap).unwrap(), leap.timestamp_nanos_opt().unwrap());
    }
}
