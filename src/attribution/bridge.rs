//! Bridges between the two input layers: row [`Journey`]s feed the data-driven models, and
//! aggregated path tables (`ChannelAttribution` / DP6) become journeys for the rule-based
//! models.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::markov::TransitionCounts;
use super::paths::{AggregatedPath, PathTable};
use super::shapley::CoalitionCounts;
use super::{Journey, Touchpoint};
use crate::{ChannelId, Error, JourneyId, Money};

/// The journey's channel sequence and its outcome as the data-driven models read them, after
/// [`Journey::check`]: the data-driven models refuse exactly what the rule-based ones refuse
/// (unordered touches, touches after the conversion, ...), with the same errors.
fn channel_outcome(journey: &Journey) -> Result<(Vec<ChannelId>, Option<Money>), Error> {
    journey.check()?;
    Ok((journey.channels().cloned().collect(), journey.conversion.as_ref().map(|c| c.value)))
}

impl TransitionCounts {
    /// Adds one [`Journey`] (converting or not): its channel sequence and, if it converted,
    /// its value. The whole path counts; lookback windows and exclusions are rule-based
    /// options and do not apply here.
    ///
    /// # Errors
    /// [`Journey::check`]'s errors (the rule-based models' own: [`Error::TouchOutOfOrder`],
    /// [`Error::TouchAfterConversion`], [`Error::EmptyJourney`],
    /// [`Error::NegativeConversionValue`], naming the journey and touch); then as
    /// [`TransitionCounts::push_journey`].
    pub fn push_journey_record(&mut self, journey: &Journey) -> Result<(), Error> {
        let (channels, value) = channel_outcome(journey)?;
        self.push_journey(&channels, value)
    }
}

impl CoalitionCounts {
    /// Adds one [`Journey`] (converting or not) by its set of channels and outcome.
    ///
    /// # Errors
    /// [`Journey::check`]'s errors (the rule-based models' own: [`Error::TouchOutOfOrder`],
    /// [`Error::TouchAfterConversion`], [`Error::EmptyJourney`],
    /// [`Error::NegativeConversionValue`], naming the journey and touch); then as
    /// [`CoalitionCounts::push_journey`].
    pub fn push_journey_record(&mut self, journey: &Journey) -> Result<(), Error> {
        let (channels, value) = channel_outcome(journey)?;
        self.push_journey(&channels, value)
    }
}

impl PathTable {
    /// Adds one [`Journey`] (converting or not) to the table of distinct paths.
    ///
    /// # Errors
    /// [`Journey::check`]'s errors (the rule-based models' own: [`Error::TouchOutOfOrder`],
    /// [`Error::TouchAfterConversion`], [`Error::EmptyJourney`],
    /// [`Error::NegativeConversionValue`], naming the journey and touch); then as
    /// [`PathTable::push_journey`].
    pub fn push_journey_record(&mut self, journey: &Journey) -> Result<(), Error> {
        let (channels, value) = channel_outcome(journey)?;
        self.push_journey(&channels, value)
    }
}

/// Expands aggregated paths into one [`Journey`] per journey they count, so the rule-based
/// models can run on data that only exists in the aggregated form (issue 7, item 6).
///
/// Row `r` (0-based) with `c` conversions and `n` nulls gives `c` converting journeys
/// `p{r}-c{k}` and `n` non-converting ones `p{r}-n{k}`. The path's total value is split over
/// its conversions equally by the exact allocator (largest remainder, ties to the earlier
/// journey), so the journeys' values sum to the table's. The table has no times: touch `i`
/// is placed at `start + i` seconds and the conversion one second after the last touch, so
/// position-based models are exact and time decay is meaningless on expanded paths. The
/// journeys carry no milestones: anchors other than first and last touch follow the model's
/// missing-anchor policy.
///
/// # Errors
/// [`Error::EmptyChannelPath`] for a row without channels; [`Error::Overflow`] if the
/// timeline leaves the representable range; the allocator's errors for a value with more
/// decimals than its currency allows.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::Currency;
/// use revops::attribution::{Model, journeys_from_paths, parse_aggregated_paths};
///
/// let table = "path,total_conversions,total_conversion_value,total_null\n\
///              email > webinar,2,300.01,1\n";
/// let paths = parse_aggregated_paths(table, Currency::USD)?;
/// let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
/// let journeys = journeys_from_paths(&paths, start)?;
/// assert_eq!(journeys.len(), 3);
/// let values: Vec<String> =
///     journeys.iter().filter_map(|j| j.conversion.as_ref()).map(|c| c.value.to_string()).collect();
/// assert_eq!(values, ["150.01 USD", "150.00 USD"]);
/// let credits = Model::linear().attribute(&journeys[0])?.map(|a| a.credits.len());
/// assert_eq!(credits, Some(2));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn journeys_from_paths(paths: &[AggregatedPath], start: DateTime<Utc>) -> Result<Vec<Journey>, Error> {
    let overflow = || Error::Overflow { op: "path expansion timeline" };
    let mut out = Vec::new();
    for (row, path) in paths.iter().enumerate() {
        if path.channels.is_empty() {
            return Err(Error::EmptyChannelPath);
        }
        let mut touches = Vec::with_capacity(path.channels.len());
        for (i, channel) in path.channels.iter().enumerate() {
            let offset = TimeDelta::try_seconds(i64::try_from(i).map_err(|_| overflow())?).ok_or_else(overflow)?;
            let at = start.checked_add_signed(offset).ok_or_else(overflow)?;
            touches.push(Touchpoint::new(at, channel.clone()));
        }
        let last = touches.last().map_or(start, |t| t.at);
        let converted_at =
            last.checked_add_signed(TimeDelta::try_seconds(1).ok_or_else(overflow)?).ok_or_else(overflow)?;
        if path.conversions > 0 {
            let count = usize::try_from(path.conversions).map_err(|_| overflow())?;
            let values = path.value.allocate(&vec![Decimal::ONE; count])?;
            for (k, value) in values.into_iter().enumerate() {
                let mut journey = Journey::converted(JourneyId::trusted(format!("p{row}-c{k}")), converted_at, value);
                journey.touches.clone_from(&touches);
                out.push(journey);
            }
        }
        for k in 0..path.nulls {
            let mut journey = Journey::not_converted(JourneyId::trusted(format!("p{row}-n{k}")));
            journey.touches.clone_from(&touches);
            out.push(journey);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::Currency;
    use crate::attribution::{MarkovModel, parse_aggregated_paths};

    const TABLE: &str = "path,total_conversions,total_conversion_value,total_null\n\
                         a > b,3,100.00,2\n\
                         b,1,50.00,4\n\
                         c > a,0,0.00,3\n";

    /// Issue 11 item 6: the data-driven accumulators refuse what the rule-based models refuse,
    /// with the same errors (one check: [`Journey::check`]).
    #[test]
    fn data_driven_accumulators_check_journeys_like_the_rule_based_models() {
        use crate::attribution::Model;
        let at = |h: u32| Utc.with_ymd_and_hms(2024, 1, 1, h, 0, 0).unwrap();
        let ch = |s: &str| ChannelId::new(s).unwrap();
        let id = JourneyId::new("deal-3").unwrap();
        let usd = Money::from_minor(100, Currency::USD);
        let unsorted = Journey::converted(id.clone(), at(9), usd)
            .with_touch(Touchpoint::new(at(2), ch("a")))
            .with_touch(Touchpoint::new(at(1), ch("b")));
        let late = Journey::converted(id.clone(), at(9), usd)
            .with_touch(Touchpoint::new(at(2), ch("a")))
            .with_touch(Touchpoint::new(at(10), ch("b")));
        let mut not_converted_unsorted = unsorted.clone();
        not_converted_unsorted.conversion = None;
        let empty = Journey::converted(id.clone(), at(9), usd);
        for journey in [&unsorted, &late, &not_converted_unsorted, &empty] {
            let expected = journey.check().unwrap_err();
            if journey.is_converted() {
                assert_eq!(Model::linear().attribute(journey).unwrap_err(), expected);
            }
            let mut markov = MarkovModel::new(1).unwrap().counts(Currency::USD);
            assert_eq!(markov.push_journey_record(journey).unwrap_err(), expected);
            let mut shapley = CoalitionCounts::new(Currency::USD);
            assert_eq!(shapley.push_journey_record(journey).unwrap_err(), expected);
            let mut table = PathTable::new(Currency::USD);
            assert_eq!(table.push_journey_record(journey).unwrap_err(), expected);
            assert_eq!((markov.journeys(), shapley.journeys()), (0, 0));
            assert!(table.finish().unwrap().is_empty());
        }
        assert_eq!(
            unsorted.check().unwrap_err().to_string(),
            "touch 1 of journey `deal-3` is earlier than the touch before it"
        );
        assert_eq!(late.check().unwrap_err().to_string(), "touch 1 of journey `deal-3` is after its conversion");
    }

    #[test]
    fn journeys_feed_the_data_driven_models_like_the_table() {
        let paths = parse_aggregated_paths(TABLE, Currency::USD).unwrap();
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let journeys = journeys_from_paths(&paths, start).unwrap();
        assert_eq!(journeys.len(), 13);
        let total: i64 =
            journeys.iter().filter_map(|j| j.conversion.as_ref()).map(|c| c.value.to_minor().unwrap()).sum();
        assert_eq!(total, 15_000);

        let mut from_rows = MarkovModel::new(1).unwrap().counts(Currency::USD);
        let mut from_table = MarkovModel::new(1).unwrap().counts(Currency::USD);
        for j in &journeys {
            from_rows.push_journey_record(j).unwrap();
        }
        for p in &paths {
            from_table.push_path(p).unwrap();
        }
        assert_eq!(from_rows.finish().unwrap(), from_table.finish().unwrap());

        let mut shapley_rows = CoalitionCounts::new(Currency::USD);
        let mut shapley_table = CoalitionCounts::new(Currency::USD);
        for j in &journeys {
            shapley_rows.push_journey_record(j).unwrap();
        }
        for p in &paths {
            shapley_table.push_path(p).unwrap();
        }
        assert_eq!(shapley_rows.simplified().unwrap(), shapley_table.simplified().unwrap());
    }
}
