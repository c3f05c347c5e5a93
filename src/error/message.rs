//! The messages of the error kinds: `Display` for [`ErrorKind`], one line per kind, beside
//! the kinds themselves (`kind.rs`) as the codes are (`code.rs`), so the enum's file holds only
//! what a kind is and carries. A message names the offending values; it is information for
//! people and may be reworded at any release (match on the kind, or on its
//! [code](ErrorKind::code), instead).

use core::fmt;

use super::ErrorKind;

impl fmt::Display for ErrorKind {
    #[allow(clippy::too_many_lines)] // one arm per kind: a table
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::InvalidId { kind, value, reason } => write!(f, "invalid {kind} id {value:?}: {reason}"),
            ErrorKind::InvalidCurrency { code, reason } => write!(f, "invalid currency code {code:?}: {reason}"),
            ErrorKind::UnknownCurrency { code } => {
                write!(f, "unknown currency code `{code}`: give its minor-unit exponent explicitly")
            }
            ErrorKind::CurrencyExponentMismatch { code, expected, found } => {
                write!(f, "currency `{code}` has {expected} minor-unit digits, not {found}")
            }
            ErrorKind::CurrencyMismatch { expected, found } => {
                write!(f, "currency mismatch: expected {expected}, found {found}")
            }
            ErrorKind::ExcessPrecision { amount, currency, max_decimals } => {
                write!(f, "amount {amount} has more decimals than {currency} allows ({max_decimals})")
            }
            ErrorKind::Overflow { op } => write!(f, "arithmetic overflow in {op}"),
            ErrorKind::InvalidDecimal { value, reason } => write!(f, "invalid decimal {value:?}: {reason}"),
            ErrorKind::Empty { what } => write!(f, "{what} must not be empty"),
            ErrorKind::ZeroWeights { count } => write!(f, "cannot allocate over {count} weights that are all zero"),
            ErrorKind::InvalidRatio { numerator, denominator, reason } => {
                write!(f, "invalid ratio {numerator}/{denominator}: {reason}")
            }
            ErrorKind::ProbabilityOutOfRange { value, scale, max } => {
                write!(f, "probability {value} is out of range for a {scale} (0 to {max})")
            }
            ErrorKind::UnknownTimeZone { name } => {
                write!(f, "unknown time zone {name:?}: not an IANA time-zone name like \"America/New_York\"")
            }
            ErrorKind::OverlappingWindows { weekday, first, second } => {
                write!(f, "working windows {first} and {second} overlap on {weekday}")
            }
            ErrorKind::Negative { field, value } => write!(f, "{field} must not be negative, got {value}"),
            ErrorKind::StopBeforeStart { what, start, stop } => {
                write!(f, "{what} stops at {stop} before it starts at {start}")
            }
            ErrorKind::NoWorkingTime { zone } => {
                write!(f, "calendar in `{zone}` has no working time left: business time cannot be added")
            }
            ErrorKind::InstantOutOfRange { instant } => {
                write!(f, "instant {instant} is outside the supported range (years 1678 to 2261)")
            }
            ErrorKind::NotALocationZone { name, meaning, instead } => write!(
                f,
                "time zone {name:?} is {meaning}; use a location such as {instead}, or ask for a fixed offset explicitly, written like \"UTC-05:00\""
            ),
            ErrorKind::MilestoneOutOfOrder { lead, milestone, at, follows, follows_at } => {
                write!(f, "lead `{lead}`: {milestone} at {at} is before its {follows} at {follows_at}")
            }
            ErrorKind::DuplicateKey { kind, key } => write!(f, "duplicate {kind} `{key}`"),
            ErrorKind::UnknownStage { stage } => write!(f, "unknown stage `{stage}` in funnel"),
            ErrorKind::UnknownKey { kind, key } => write!(f, "unknown {kind} `{key}`"),
            ErrorKind::MisplacedStage { stage, reason } => write!(f, "stage `{stage}` is misplaced: {reason}"),
            ErrorKind::TerminalStage { from, to } => write!(f, "cannot move from terminal stage `{from}` to `{to}`"),
            ErrorKind::InvalidTransition { to, reason } => write!(f, "invalid move to `{to}`: {reason}"),
            ErrorKind::StageChangeOutOfOrder { index, stage, at, previous } => {
                write!(f, "stage change {index} to `{stage}` at {at} is not after the previous change at {previous}")
            }
            ErrorKind::NonPositiveDuration { field, seconds } => write!(f, "{field} must be positive, got {seconds} s"),
            ErrorKind::ThresholdsOutOfOrder { field, previous, next } => {
                write!(f, "{field} thresholds out of order: {next} after {previous}")
            }
            ErrorKind::TooMany { what, count, max } => write!(f, "{what}: {count} given, at most {max} are supported"),
            ErrorKind::IncompleteHandoff { from, to, missing } => {
                write!(f, "handoff from `{from}` to `{to}` is missing {}", missing.join(", "))
            }
            ErrorKind::MixedCurrency { expected, found } => {
                write!(f, "money in {found}, but the metric sums {expected}")
            }
            ErrorKind::NoRate { from, to, date, first: None } => {
                write!(f, "no rate converts {from} into {to} (needed on {date})")
            }
            ErrorKind::NoRate { from, to, date, first: Some(first) } => {
                write!(f, "no rate converts {from} into {to} on {date}: its first rate is valid from {first}")
            }
            ErrorKind::CloseBeforeCreate { created_at, closed_at } => {
                write!(f, "closes at {closed_at} before it was created at {created_at}")
            }
            ErrorKind::StageOutsideOrder { place, stage } => write!(f, "unknown stage `{stage}` in {place}"),
            ErrorKind::InconsistentRecord { reason } => write!(f, "inconsistent record: {reason}"),
            ErrorKind::InvalidCriterion { criterion, problem } => write!(f, "icp criterion `{criterion}` {problem}"),
            ErrorKind::IcpWithoutPoints { icp } => {
                write!(f, "icp `{icp}` has no weighted criterion, so no score can be computed")
            }
            ErrorKind::IcpAttributeType { account, attribute, criterion, expected, found } => write!(
                f,
                "account `{account}`: attribute {attribute:?} is {found}, but icp criterion `{criterion}` expects {expected}"
            ),
            ErrorKind::UnknownBuyingRole { key } => write!(f, "unknown buying role {key:?}"),
            ErrorKind::ZeroBuyingRoleMinimum { role } => {
                write!(f, "buying group role `{role}` requires 0 contacts; require at least 1 or leave it out")
            }
            ErrorKind::RefinementShapeMismatch { what, expected, found } => {
                write!(f, "icp refinement expects {expected} {what}, found {found}")
            }
            ErrorKind::IcpRevenueCurrency { account, criterion, expected, found } => write!(
                f,
                "account `{account}` reports annual revenue in {found}, but icp criterion `{criterion}` reads {expected}"
            ),
            ErrorKind::DealOfAnotherAccount { deal, account, found } => write!(
                f,
                "deal `{deal}` belongs to account `{found}`, not to account `{account}` whose outcomes it was given with"
            ),
            ErrorKind::PathTableRow { line, column, value, reason } => {
                write!(f, "invalid aggregated path table at line {line}: {column} {value:?}: {reason}")
            }
            ErrorKind::NoConvertingJourneys { journeys } => {
                write!(f, "no converting journeys among {journeys}: a data-driven model has nothing to attribute")
            }
            ErrorKind::NoNonConvertingJourneys { conversions } => write!(
                f,
                "all {conversions} journeys convert: without non-converting journeys every removal effect degenerates to a visit frequency; add the non-converting journeys or choose to report the result as degenerate"
            ),
            ErrorKind::MarkovOrder { order, max } => {
                write!(f, "invalid markov order {order}: must be between 1 and {max}")
            }
            ErrorKind::MarkovStateSpace { order, channels, states, max } => write!(
                f,
                "markov order {order} over {channels} channels has {states} possible states, more than the limit of {max}"
            ),
            ErrorKind::MarkovNotConverged { iterations, change } => {
                write!(f, "markov absorbing-chain solve did not converge in {iterations} sweeps (last change {change})")
            }
            ErrorKind::TooManyChannels { model, channels, max } => {
                write!(f, "{model} supports at most {max} channels, got {channels}")
            }
            ErrorKind::NonFiniteCoalitionValue { coalition, value } => {
                write!(f, "characteristic function returned {value} for coalition {coalition}")
            }
            ErrorKind::ShapleyEfficiency { sum, expected } => {
                write!(f, "shapley values sum to {sum}, not v(N) - v(empty) = {expected}")
            }
            ErrorKind::InvalidModelShare { channel, share } => write!(
                f,
                "cannot allocate money by the share {share} of channel `{channel}`: shares must be finite and non-negative"
            ),
            ErrorKind::TouchOutOfOrder { journey, index } => {
                write!(f, "touch {index} of journey `{journey}` is earlier than the touch before it")
            }
            ErrorKind::TouchAfterConversion { journey, index } => {
                write!(f, "touch {index} of journey `{journey}` is after its conversion")
            }
            ErrorKind::EmptyJourney { journey, reason } => {
                write!(f, "journey `{journey}` has no touch to credit: {reason}")
            }
            ErrorKind::MissingAnchor { journey, role } => {
                write!(f, "journey `{journey}` has no touch holding the {role} anchor")
            }
            ErrorKind::WeightsNotHundred { model, sum } => {
                write!(f, "weights of the {model} model sum to {sum}%, not 100%")
            }
            ErrorKind::UnknownChannelIndex { journey, touch, channel } => {
                write!(f, "touch {touch} of batch journey {journey} has unknown channel index {channel}")
            }
            ErrorKind::InvalidBatchJourney { journey, touch, reason } => {
                write!(f, "journey {journey} of the batch is invalid at touch {touch}: {reason}")
            }
            ErrorKind::UnknownReference { part, kind, key } => write!(f, "agreement {part}: unknown {kind} `{key}`"),
            ErrorKind::InvalidColumn { column, value, reason } => write!(f, "column `{column}` {value:?}: {reason}"),
            ErrorKind::DefinitionMismatch { tally, field } => {
                write!(f, "cannot merge {tally} tallies of different definitions: `{field}` differs")
            }
            ErrorKind::InvalidValue { field, value, reason } => write!(f, "invalid {field} {value:?}: {reason}"),
        }
    }
}

impl std::error::Error for ErrorKind {}
