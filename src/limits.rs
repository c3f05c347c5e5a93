//! Documented limits: every bound of the crate, and the error each one gives.
//!
//! Nothing in the crate grows without bound or fails by panicking: each input that could make
//! an answer wrong, a computation explode or memory run out meets one of the bounds below
//! first, and the bound answers with a typed [`Error`](crate::Error) naming the value. The
//! table is the contract; a test or a fuzz target checks each row.
//!
//! | what | bound | beyond it |
//! | --- | --- | --- |
//! | instants in business time | years 1678 to 2261 (the range of `i64` nanoseconds) | [`Error::InstantOutOfRange`](crate::Error::InstantOutOfRange) |
//! | business time between two instants | exact over the whole range above (summed in `i128` nanoseconds; about 584 years of a 24/7 calendar) | none |
//! | business time added to an instant | the deadline must fall in the range above | [`Error::InstantOutOfRange`](crate::Error::InstantOutOfRange) |
//! | calendar exceptions | any number; each date finds its exceptions by binary search (O(log n)) | none |
//! | [`BusinessTimeline`](crate::calendar::BusinessTimeline) range | [`MAX_DAYS`](crate::calendar::BusinessTimeline::MAX_DAYS) = 73,050 local dates (about 200 years) | [`Error::InvalidValue`](crate::Error::InvalidValue) |
//! | business days or schedule days in a span | `u32` days | [`Error::InstantOutOfRange`](crate::Error::InstantOutOfRange) when the deadline leaves the range |
//! | amounts | `Decimal`: 28 significant digits, scale 0 to 28; text with more digits than that is refused, never rounded | [`Error::ExcessPrecision`](crate::Error::ExcessPrecision) / a parse error naming the text |
//! | allocation | amounts up to about 10^26 minor units; any non-negative weights (near `Decimal::MAX` the parts still conserve the amount in minor units, but [`Money::checked_sum`](crate::Money::checked_sum) of them can need more than 28 digits on the way) | [`Error::Overflow`](crate::Error::Overflow) |
//! | currency minor units | exponent 0 to [`MAX_EXPONENT`](crate::Currency::MAX_EXPONENT) = 18 | [`Error::InvalidCurrency`](crate::Error::InvalidCurrency) |
//! | identifiers | keys (stage, segment): 1 to 64 bytes of `a-z 0-9 _`; external ids (account, lead, deal, channel, ...): 1 to 128 bytes | [`Error::InvalidId`](crate::Error::InvalidId) |
//! | ICP criteria | 64 per ICP ([`CriteriaSet::CAPACITY`](crate::icp::CriteriaSet::CAPACITY)); points 1 to [`MAX_POINTS`](crate::icp::MAX_POINTS) = 1,000,000 | [`Error::IcpTooManyCriteria`](crate::Error::IcpTooManyCriteria), [`Error::IcpInvalidPoints`](crate::Error::IcpInvalidPoints) |
//! | lead scoring | 64 groups; points per rule within ±1,000,000 | [`Error::TooManyRules`](crate::Error::TooManyRules), [`Error::InvalidValue`](crate::Error::InvalidValue) |
//! | qualification rules | 64 per rule set | [`Error::TooManyRules`](crate::Error::TooManyRules) |
//! | channels in one interner (paths, Markov, columnar batches) | [`ChannelInterner::MAX_CHANNELS`](crate::attribution::ChannelInterner::MAX_CHANNELS) = 65,535 | [`Error::TooManyChannels`](crate::Error::TooManyChannels) |
//! | Markov order | 1 to [`MarkovModel::MAX_ORDER`](crate::attribution::MarkovModel::MAX_ORDER) = 8 | [`Error::MarkovOrder`](crate::Error::MarkovOrder) |
//! | Markov possible states (`sum over j in 1..=k of channels^j`) | [`MarkovModel::MAX_STATES`](crate::attribution::MarkovModel::MAX_STATES) = 2^24 | [`Error::MarkovStateSpace`](crate::Error::MarkovStateSpace) |
//! | Markov solve | observed states only; dense elimination up to 256 states, a sparse direct factorisation beyond (no iteration to converge); order-1 removal effects come from one factorisation, not one solve per channel | none |
//! | Shapley coalitions | [`MAX_COALITION_CHANNELS`](crate::attribution::MAX_COALITION_CHANNELS) = 64 channels (a channel set is a 64-bit mask) | [`Error::TooManyChannels`](crate::Error::TooManyChannels) |
//! | exact classic Shapley | [`MAX_EXACT_CHANNELS`](crate::attribution::MAX_EXACT_CHANNELS) = 20 channels (a `2^n` table) | [`Error::TooManyChannels`](crate::Error::TooManyChannels) |
//! | path-table rows expanded to journeys | [`MAX_EXPANDED_JOURNEYS`](crate::attribution::MAX_EXPANDED_JOURNEYS) = 2^24 by `journeys_from_paths`; any `u64` count by `weighted_journeys_from_paths` (memory bounded by the rows) | [`Error::InvalidValue`](crate::Error::InvalidValue) |
//! | lookback and half-life | whole seconds, at most `i64` microseconds (about 292,000 years) | [`Error::InvalidValue`](crate::Error::InvalidValue) |
//! | counts and sums in every accumulator | `u64` counts, `i128` minor units, checked; a deserialized state is checked too | [`Error::Overflow`](crate::Error::Overflow) |
//! | merging two accumulators | the same definition (period, `as_of`, model, lookback, currency, ...) | [`Error::DefinitionMismatch`](crate::Error::DefinitionMismatch) |
//! | synthetic company (`testkit`) | 10 to 10,000,000 leads | [`Error::InvalidValue`](crate::Error::InvalidValue) |
