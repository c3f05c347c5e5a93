//! Stable codes of the error kinds: [`ErrorKind::code`].
//!
//! A code is the kind's variant name in `snake_case` (`InvalidId` is `"invalid_id"`). Codes are
//! part of the crate's stable interface: conformance vectors and other implementations expect
//! an error by its code, and a message may be reworded at any release while its code stays. A
//! new kind gets a new code; a code is never reused for another kind.

use super::ErrorKind;

impl ErrorKind {
    /// The kind's stable code, in `snake_case`: what conformance vectors and other
    /// implementations match on (the message is information only).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::Currency;
    ///
    /// let err = Currency::new("usd").unwrap_err();
    /// assert_eq!(err.kind().code(), "invalid_currency");
    /// assert_eq!(err.code(), "invalid_currency");
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::InvalidId { .. } => "invalid_id",
            ErrorKind::InvalidCurrency { .. } => "invalid_currency",
            ErrorKind::UnknownCurrency { .. } => "unknown_currency",
            ErrorKind::CurrencyExponentMismatch { .. } => "currency_exponent_mismatch",
            ErrorKind::CurrencyMismatch { .. } => "currency_mismatch",
            ErrorKind::ExcessPrecision { .. } => "excess_precision",
            ErrorKind::Overflow { .. } => "overflow",
            ErrorKind::InvalidDecimal { .. } => "invalid_decimal",
            ErrorKind::Empty { .. } => "empty",
            ErrorKind::ZeroWeights { .. } => "zero_weights",
            ErrorKind::InvalidRatio { .. } => "invalid_ratio",
            ErrorKind::ProbabilityOutOfRange { .. } => "probability_out_of_range",
            ErrorKind::UnknownTimeZone { .. } => "unknown_time_zone",
            ErrorKind::OverlappingWindows { .. } => "overlapping_windows",
            ErrorKind::Negative { .. } => "negative",
            ErrorKind::StopBeforeStart { .. } => "stop_before_start",
            ErrorKind::NoWorkingTime { .. } => "no_working_time",
            ErrorKind::InstantOutOfRange { .. } => "instant_out_of_range",
            ErrorKind::NotALocationZone { .. } => "not_a_location_zone",
            ErrorKind::MilestoneOutOfOrder { .. } => "milestone_out_of_order",
            ErrorKind::DuplicateKey { .. } => "duplicate_key",
            ErrorKind::UnknownStage { .. } => "unknown_stage",
            ErrorKind::UnknownKey { .. } => "unknown_key",
            ErrorKind::MisplacedStage { .. } => "misplaced_stage",
            ErrorKind::TerminalStage { .. } => "terminal_stage",
            ErrorKind::InvalidTransition { .. } => "invalid_transition",
            ErrorKind::StageChangeOutOfOrder { .. } => "stage_change_out_of_order",
            ErrorKind::NonPositiveDuration { .. } => "non_positive_duration",
            ErrorKind::ThresholdsOutOfOrder { .. } => "thresholds_out_of_order",
            ErrorKind::TooMany { .. } => "too_many",
            ErrorKind::IncompleteHandoff { .. } => "incomplete_handoff",
            ErrorKind::MixedCurrency { .. } => "mixed_currency",
            ErrorKind::NoRate { .. } => "no_rate",
            ErrorKind::CloseBeforeCreate { .. } => "close_before_create",
            ErrorKind::StageOutsideOrder { .. } => "stage_outside_order",
            ErrorKind::InconsistentRecord { .. } => "inconsistent_record",
            ErrorKind::InvalidCriterion { .. } => "invalid_criterion",
            ErrorKind::IcpWithoutPoints { .. } => "icp_without_points",
            ErrorKind::IcpAttributeType { .. } => "icp_attribute_type",
            ErrorKind::UnknownBuyingRole { .. } => "unknown_buying_role",
            ErrorKind::ZeroBuyingRoleMinimum { .. } => "zero_buying_role_minimum",
            ErrorKind::RefinementShapeMismatch { .. } => "refinement_shape_mismatch",
            ErrorKind::IcpRevenueCurrency { .. } => "icp_revenue_currency",
            ErrorKind::DealOfAnotherAccount { .. } => "deal_of_another_account",
            ErrorKind::PathTableRow { .. } => "path_table_row",
            ErrorKind::NoConvertingJourneys { .. } => "no_converting_journeys",
            ErrorKind::NoNonConvertingJourneys { .. } => "no_non_converting_journeys",
            ErrorKind::MarkovOrder { .. } => "markov_order",
            ErrorKind::MarkovStateSpace { .. } => "markov_state_space",
            ErrorKind::MarkovNotConverged { .. } => "markov_not_converged",
            ErrorKind::TooManyChannels { .. } => "too_many_channels",
            ErrorKind::NonFiniteCoalitionValue { .. } => "non_finite_coalition_value",
            ErrorKind::ShapleyEfficiency { .. } => "shapley_efficiency",
            ErrorKind::InvalidModelShare { .. } => "invalid_model_share",
            ErrorKind::TouchOutOfOrder { .. } => "touch_out_of_order",
            ErrorKind::TouchAfterConversion { .. } => "touch_after_conversion",
            ErrorKind::EmptyJourney { .. } => "empty_journey",
            ErrorKind::MissingAnchor { .. } => "missing_anchor",
            ErrorKind::WeightsNotHundred { .. } => "weights_not_hundred",
            ErrorKind::UnknownChannelIndex { .. } => "unknown_channel_index",
            ErrorKind::InvalidBatchJourney { .. } => "invalid_batch_journey",
            ErrorKind::UnknownReference { .. } => "unknown_reference",
            ErrorKind::InvalidColumn { .. } => "invalid_column",
            ErrorKind::DefinitionMismatch { .. } => "definition_mismatch",
            ErrorKind::InvalidValue { .. } => "invalid_value",
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every variant of `ErrorKind` has an arm whose code is its name in snake case, and no two
    /// codes are equal: read from the enum's source, so a new variant cannot be missed.
    #[test]
    fn every_kind_has_its_snake_case_code_once() {
        let kinds = include_str!("kind.rs");
        let codes = include_str!("code.rs");
        let mut seen = std::collections::BTreeSet::new();
        let variants: Vec<&str> = kinds
            .lines()
            .filter_map(|line| line.strip_prefix("    ")?.strip_suffix(" {"))
            .filter(|name| name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !name.contains(' '))
            .collect();
        assert!(variants.len() > 60, "found {} variants", variants.len());
        for name in variants {
            let mut snake = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            let arm = format!("ErrorKind::{name} {{ .. }} => \"{snake}\",");
            assert!(codes.contains(&arm), "no arm `{arm}`");
            assert!(seen.insert(snake), "code of {name} twice");
        }
    }
}
