//! Bridges between the two input layers: row [`Journey`]s feed the data-driven models, and
//! aggregated path tables (`ChannelAttribution` / DP6) become journeys for the rule-based
//! models.

use chrono::{DateTime, TimeDelta, Utc};

use super::paths::{AggregatedPath, PathTable, outcome_minor};
use crate::facts::{Journey, Touchpoint};
use crate::{ChannelId, Error, ErrorKind, JourneyId, Money};

/// The journey's channel sequence and its outcome as the data-driven models read them, after
/// [`Journey::check`]: the data-driven models refuse exactly what the rule-based ones refuse
/// (unordered touches, touches after the conversion, ...), with the same errors.
pub(super) fn channel_outcome(journey: &Journey) -> Result<(Vec<ChannelId>, Option<Money>), Error> {
    journey.check()?;
    Ok((journey.channels().cloned().collect(), journey.conversion.as_ref().map(|c| c.value)))
}

impl PathTable {
    /// Adds one [`Journey`] (converting or not) to the table of distinct paths.
    ///
    /// # Errors
    /// [`Journey::check`]'s errors (the rule-based models' own: [`ErrorKind::TouchOutOfOrder`],
    /// [`ErrorKind::TouchAfterConversion`], [`ErrorKind::EmptyJourney`],
    /// [`ErrorKind::Negative`], naming the journey and touch); then as
    /// [`PathTable::push_channels`].
    pub fn push_journey(&mut self, journey: &Journey) -> Result<(), Error> {
        let (channels, value) = channel_outcome(journey)?;
        self.push_channels(&channels, value)
    }
}

/// The most journeys [`journeys_from_paths`] expands (`2^24`, about 16.8 million: a few GB of
/// journeys). Larger tables take [`weighted_journeys_from_paths`], whose memory is bounded by
/// the rows, not the counts.
pub const MAX_EXPANDED_JOURNEYS: u64 = 1 << 24;

/// One journey of an aggregated path table standing for `count` identical journeys (same
/// touches, same outcome): what [`weighted_journeys_from_paths`] returns.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::attribution::{parse_aggregated_paths, weighted_journeys_from_paths};
/// use revops::Currency;
///
/// let table = "path,total_conversions,total_conversion_value,total_null\nemail > webinar,2,10.00,5\n";
/// let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
/// let weighted = weighted_journeys_from_paths(&parse_aggregated_paths(table, Currency::USD)?, start)?;
/// // Two conversions of 5.00 each (one run), five non-converting journeys (another).
/// let runs: Vec<(bool, u64)> = weighted.iter().map(|w| (w.journey.is_converted(), w.count)).collect();
/// assert_eq!(runs, [(true, 2), (false, 5)]);
/// assert_eq!(weighted.first().map(|w| w.journey.channels().count()), Some(2));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WeightedJourney {
    /// The journey; its id names the first of the journeys it stands for.
    pub journey: Journey,
    /// How many journeys it stands for (at least one).
    pub count: u64,
}

/// The runs of one row: converting journeys worth one minor unit more, the other converting
/// journeys, the non-converting ones (each present only if its count is not zero). The
/// exact allocator's equal split of `value` over `c` conversions gives `value / c` minor units
/// to each, plus one to the first `value % c` (largest remainder, ties to the earlier one).
/// Each run comes with its id prefix `p{r}-c` or `p{r}-n` and the index of its first journey.
fn row_runs(
    row: usize,
    path: &AggregatedPath,
    start: DateTime<Utc>,
) -> Result<Vec<(String, u64, WeightedJourney)>, Error> {
    let overflow = || ErrorKind::Overflow { op: "path expansion timeline" };
    if path.channels.is_empty() {
        return Err(ErrorKind::Empty { what: "channel path" }.into());
    }
    let currency = path.value.currency();
    let minor = outcome_minor(path.conversions, path.value, currency)?;
    let mut touches = Vec::with_capacity(path.channels.len());
    for (i, channel) in path.channels.iter().enumerate() {
        let offset = TimeDelta::try_seconds(i64::try_from(i).map_err(|_| overflow())?).ok_or_else(overflow)?;
        let at = start.checked_add_signed(offset).ok_or_else(overflow)?;
        touches.push(Touchpoint::new(at, channel.clone()));
    }
    let last = touches.last().map_or(start, |t| t.at);
    let converted_at = last.checked_add_signed(TimeDelta::try_seconds(1).ok_or_else(overflow)?).ok_or_else(overflow)?;
    let mut runs = Vec::with_capacity(3);
    let mut run = |kind: char, first: u64, count: u64, value: Option<i64>| {
        if count == 0 {
            return;
        }
        let prefix = format!("p{row}-{kind}");
        let id = JourneyId::trusted(format!("{prefix}{first}"));
        let mut journey = match value {
            Some(v) => Journey::converted(id, converted_at, Money::from_minor(v, currency)),
            None => Journey::not_converted(id),
        };
        journey.touches.clone_from(&touches);
        runs.push((prefix, first, WeightedJourney { journey, count }));
    };
    if path.conversions > 0 {
        let (c, v) = (i128::from(path.conversions), i128::from(minor));
        // 0 <= remainder < conversions and 0 <= quotient + (remainder > 0) <= minor: both fit.
        let (quotient, remainder) = (v / c, v % c);
        let quotient = i64::try_from(quotient).map_err(|_| overflow())?;
        let remainder = u64::try_from(remainder).map_err(|_| overflow())?;
        run('c', 0, remainder, Some(quotient.saturating_add(1)));
        run('c', remainder, path.conversions - remainder, Some(quotient));
    }
    run('n', 0, path.nulls, None);
    Ok(runs)
}

/// Aggregated paths as weighted journeys: each row becomes at most three [`WeightedJourney`]s
/// (the converting journeys, in two runs whose values differ by one minor unit, and the
/// non-converting ones), so any count, up to `u64::MAX`, expands exactly in memory bounded by
/// the rows. Replaying each weighted journey `count` times gives [`journeys_from_paths`]'s
/// expansion, ids included (a run's id names its first journey: `p{r}-c{k}`, `p{r}-n0`), so
/// a rule-based model's credits for the table are each weighted journey's credits times its
/// count.
///
/// # Errors
/// [`ErrorKind::Empty`] (`what: "channel path"`) for a row without channels; [`ErrorKind::InvalidValue`] for a
/// negative value, or a value on a row without conversions; [`ErrorKind::ExcessPrecision`] for
/// more decimals than the currency allows; [`ErrorKind::Overflow`] if the timeline leaves the
/// representable range.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::attribution::{weighted_journeys_from_paths, parse_aggregated_paths};
/// use revops::Currency;
///
/// let table = "path,total_conversions,total_conversion_value,total_null\n\
///              email > webinar,3000000000000,100.00,18446744073709551615\n";
/// let paths = parse_aggregated_paths(table, Currency::USD)?;
/// let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
/// let weighted = weighted_journeys_from_paths(&paths, start)?;
/// let runs: Vec<(&str, u64)> = weighted.iter().map(|w| (w.journey.id.as_str(), w.count)).collect();
/// assert_eq!(runs, [("p0-c0", 10_000), ("p0-c10000", 2_999_999_990_000), ("p0-n0", u64::MAX)]);
/// assert_eq!(weighted[0].journey.conversion.map(|c| c.value.to_string()), Some("0.01 USD".to_owned()));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn weighted_journeys_from_paths(
    paths: &[AggregatedPath],
    start: DateTime<Utc>,
) -> Result<Vec<WeightedJourney>, Error> {
    let mut out = Vec::with_capacity(paths.len());
    for (row, path) in paths.iter().enumerate() {
        out.extend(row_runs(row, path, start)?.into_iter().map(|(_, _, w)| w));
    }
    Ok(out)
}

/// Expands aggregated paths into one [`Journey`] per journey they count, so the rule-based
/// models can run on data that only exists in the aggregated form (issue 7, item 6), up to
/// [`MAX_EXPANDED_JOURNEYS`] journeys; [`weighted_journeys_from_paths`] takes any count.
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
/// [`ErrorKind::InvalidValue`] (field `expanded journeys`) if the rows count more than
/// [`MAX_EXPANDED_JOURNEYS`] journeys, checked before anything is allocated; otherwise as
/// [`weighted_journeys_from_paths`].
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
    let too_many = |total: String| ErrorKind::InvalidValue {
        field: "expanded journeys",
        value: total,
        reason: "more than MAX_EXPANDED_JOURNEYS (16777216): use weighted_journeys_from_paths",
    };
    let mut total: u128 = 0;
    for path in paths {
        total += u128::from(path.conversions) + u128::from(path.nulls);
    }
    if total > u128::from(MAX_EXPANDED_JOURNEYS) {
        return Err(crate::Error::from(too_many(total.to_string())));
    }
    let mut out = Vec::with_capacity(usize::try_from(total).map_err(|_| too_many(total.to_string()))?);
    for (row, path) in paths.iter().enumerate() {
        for (prefix, first, run) in row_runs(row, path, start)? {
            for k in first..first + run.count {
                let mut journey = run.journey.clone();
                journey.id = JourneyId::trusted(format!("{prefix}{k}"));
                out.push(journey);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::attribution::CoalitionCounts;
    use crate::attribution::{MarkovModel, parse_aggregated_paths};
    use crate::{Currency, Tally};
    use rust_decimal::Decimal;

    const TABLE: &str = "path,total_conversions,total_conversion_value,total_null\n\
                         a > b,3,100.00,2\n\
                         b,1,50.00,4\n\
                         c > a,0,0.00,3\n";

    fn row(channels: &[&str], conversions: u64, cents: i64, nulls: u64) -> AggregatedPath {
        AggregatedPath {
            channels: channels.iter().map(|c| ChannelId::new(*c).unwrap()).collect(),
            conversions,
            value: Money::from_minor(cents, Currency::USD),
            nulls,
        }
    }

    /// Issue 12 item 4: huge counts are a typed error before anything is allocated (they used
    /// to panic with a capacity overflow, or abort the process), and the weighted form
    /// expands any count exactly in memory bounded by the rows.
    #[test]
    fn huge_counts_never_size_an_allocation() {
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        for (conversions, nulls) in [(u64::MAX, 0), (1 << 40, 0), (0, 1 << 40), (0, u64::MAX), (u64::MAX, u64::MAX)] {
            let cents = if conversions > 0 { 100_000 } else { 0 };
            let paths = [row(&["a", "b"], conversions, cents, nulls)];
            let err = journeys_from_paths(&paths, start).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::InvalidValue { field: "expanded journeys", .. }), "{err}");
        }
        let paths = [row(&["a"], MAX_EXPANDED_JOURNEYS / 2, 0, MAX_EXPANDED_JOURNEYS / 2 + 1)];
        assert!(journeys_from_paths(&paths, start).is_err());

        let paths = [row(&["a", "b"], u64::MAX, 100_000, u64::MAX), row(&["c"], 0, 0, 3)];
        let weighted = weighted_journeys_from_paths(&paths, start).unwrap();
        let summary: Vec<(String, u64, Option<i64>)> = weighted
            .iter()
            .map(|w| {
                let value = w.journey.conversion.as_ref().map(|c| c.value.to_minor().unwrap());
                (w.journey.id.to_string(), w.count, value)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("p0-c0".to_owned(), 100_000, Some(1)),
                ("p0-c100000".to_owned(), u64::MAX - 100_000, Some(0)),
                ("p0-n0".to_owned(), u64::MAX, None),
                ("p1-n0".to_owned(), 3, None),
            ]
        );
    }

    /// The weighted form is the expanded form, run-length encoded: same ids, touches, values.
    #[test]
    fn weighted_journeys_are_the_expansion_run_length_encoded() {
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let paths = parse_aggregated_paths(TABLE, Currency::USD).unwrap();
        let mut paths = paths;
        paths.push(row(&["d", "e", "d"], 7, 1_000, 0));
        paths.push(row(&["f"], 4, 8, 1));
        let expanded = journeys_from_paths(&paths, start).unwrap();
        let weighted = weighted_journeys_from_paths(&paths, start).unwrap();
        let mut replayed = Vec::new();
        for w in &weighted {
            let id = w.journey.id.as_str();
            let (prefix, first) = id.rsplit_once(['c', 'n']).unwrap();
            let kind = &id[prefix.len()..=prefix.len()];
            for k in 0..w.count {
                let mut j = w.journey.clone();
                j.id = JourneyId::new(format!("{prefix}{kind}{}", first.parse::<u64>().unwrap() + k)).unwrap();
                replayed.push(j);
            }
        }
        assert_eq!(replayed, expanded);
        // The values are the exact allocator's split, ties to the earlier journey.
        let values: Vec<i64> = expanded
            .iter()
            .filter(|j| j.id.as_str().starts_with("p3-c"))
            .map(|j| j.conversion.as_ref().unwrap().value.to_minor().unwrap())
            .collect();
        let reference = Money::from_minor(1_000, Currency::USD).allocate(&[Decimal::ONE; 7]).unwrap();
        assert_eq!(values, reference.iter().map(|m| m.to_minor().unwrap()).collect::<Vec<_>>());
        // Bad outcomes of a row built by hand are refused, not dropped or passed on.
        for bad in [row(&["a"], 0, 500, 1), row(&["a"], 2, -500, 0)] {
            assert!(matches!(
                weighted_journeys_from_paths(std::slice::from_ref(&bad), start)
                    .as_ref()
                    .map_err(crate::error::Error::kind),
                Err(ErrorKind::InvalidValue { .. })
            ));
            assert!(matches!(
                journeys_from_paths(&[bad], start).as_ref().map_err(crate::error::Error::kind),
                Err(ErrorKind::InvalidValue { .. })
            ));
        }
    }

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
            assert_eq!(markov.push(journey).unwrap_err(), expected);
            let mut shapley = CoalitionCounts::new(Currency::USD);
            assert_eq!(shapley.push(journey).unwrap_err(), expected);
            let mut table = PathTable::new(Currency::USD);
            assert_eq!(table.push_journey(journey).unwrap_err(), expected);
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
            from_rows.push(j).unwrap();
        }
        for p in &paths {
            from_table.push_path(p).unwrap();
        }
        assert_eq!(from_rows.finish().unwrap(), from_table.finish().unwrap());

        let mut shapley_rows = CoalitionCounts::new(Currency::USD);
        let mut shapley_table = CoalitionCounts::new(Currency::USD);
        for j in &journeys {
            shapley_rows.push(j).unwrap();
        }
        for p in &paths {
            shapley_table.push_path(p).unwrap();
        }
        assert_eq!(shapley_rows.simplified().unwrap(), shapley_table.simplified().unwrap());
    }
}
