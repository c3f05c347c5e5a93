//! The attribution section: every named model of the agreement over the same journeys, side
//! by side, exact to the minor unit: the rule-based models, and the data-driven ones (Markov
//! removal effect, Shapley) computed from their mergeable counts.

use std::collections::BTreeMap;

use super::{Exclusion, Section, set_aside};
use crate::agreement::AttributionTerms;
use crate::attribution::{
    AttributionReport, ChannelTable, CoalitionCounts, MarkovAttribution, MarkovModel, ShapleyAttribution, ShapleyModel,
    Totals, TransitionCounts,
};
use crate::facts::Journey;
use crate::{ChannelId, Currency, Error, ErrorKind, Money, Ratio, Record, Tally};

/// Credits per channel under every named model, side by side.
///
/// A journey one model refuses is set aside by that model only (its exclusion names the
/// model); the other columns still credit it. A data-driven model the data cannot determine
/// (no converting journey; for Markov, by default, no non-converting one) has no result: its
/// exclusion names the model and no record. So every model's credits sum to [`bookings`] to
/// the cent when the section excluded nothing.
///
/// The data-driven results do not depend on how the journeys were partitioned: their counts
/// are integers, merged exactly, and the models read them in channel-id order.
///
/// [`bookings`]: AttributionSection::bookings
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
/// use revops::{ChannelId, Currency};
///
/// let company = Company::new(42, 500)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let a = &card.attribution;
/// assert_eq!(a.converted.denominator(), 500);
/// let webinar = ChannelId::new("webinar")?;
/// let linear = a.credit("linear", &webinar, Currency::USD);
/// assert!(linear.is_some_and(|m| m.amount().is_sign_positive() && !m.amount().is_zero()));
/// // Every model, rule-based or data-driven, credits the bookings to the cent.
/// let bookings = a.bookings.get(&Currency::USD).copied();
/// for model in ["first_touch", "time_decay_7d", "markov_o1", "shapley"] {
///     let credits = a.credits(model, Currency::USD)?.unwrap_or_default();
///     assert_eq!(revops::Money::checked_sum(credits.into_iter().map(|(_, m)| m), Currency::USD).ok(), bookings);
/// }
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionSection {
    /// The journeys read that converted, of all journeys read.
    pub converted: Ratio,
    /// The journeys read that did not convert.
    pub non_converting: u64,
    /// The conversion value of the journeys read (bookings), per currency.
    pub bookings: BTreeMap<Currency, Money>,
    /// Each rule-based model's report, by the agreement's model name.
    pub models: BTreeMap<String, AttributionReport>,
    /// Each Markov model's result, by name: conversion probability, removal effects, shares,
    /// conversions and value credited per channel.
    pub markov: BTreeMap<String, MarkovAttribution>,
    /// Each Shapley model's result, by name.
    pub shapley: BTreeMap<String, ShapleyAttribution>,
    /// Records (and data-driven models) set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

impl AttributionSection {
    /// The credit `model` gives `channel` in `currency` (`None` if the model has no result,
    /// or credited the channel nothing in that currency).
    #[must_use]
    pub fn credit(&self, model: &str, channel: &ChannelId, currency: Currency) -> Option<Money> {
        let credits = self.credits(model, currency).ok()??;
        credits.into_iter().find(|(c, _)| c == channel).map(|(_, m)| m)
    }

    /// Every channel's credit under `model` (rule-based, Markov or Shapley) in `currency`, in
    /// channel-id order: one column of the side-by-side table (`None` if the model has no
    /// result; empty if it credited nothing in that currency).
    ///
    /// # Errors
    /// [`ShapleyAttribution::credits`]'s.
    pub fn credits(&self, model: &str, currency: Currency) -> Result<Option<Vec<(ChannelId, Money)>>, Error> {
        let in_currency =
            |credits: Vec<(ChannelId, Money)>| credits.into_iter().filter(|(_, m)| m.currency() == currency).collect();
        if let Some(report) = self.models.get(model) {
            let column = report.currencies.get(&currency).map(|t| t.by_channel.iter().map(|(c, m)| (c.clone(), *m)));
            return Ok(Some(column.into_iter().flatten().collect()));
        }
        if let Some(markov) = self.markov.get(model) {
            return Ok(Some(in_currency(markov.channels.iter().map(|c| (c.channel.clone(), c.value)).collect())));
        }
        self.shapley.get(model).map(|s| s.credits().map(in_currency)).transpose()
    }

    /// The side-by-side table of `columns` (model name, column label) in `currency`, in that
    /// order: a [`ChannelTable`], which checks that every column credits the same total.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownKey`] (kind `"attribution model"`) for a model without a result;
    /// those of [`ChannelTable::add_column`] (a column that does not reconcile with the first).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::testkit::{Company, sample_agreement};
    /// use revops::Currency;
    ///
    /// let company = Company::new(42, 400)?;
    /// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
    /// let table = card.attribution.table([("linear", "linear"), ("markov_o1", "Markov o1")], Currency::USD)?;
    /// assert_eq!(table.columns(), ["linear", "Markov o1"]);
    /// assert_eq!(table.totals()[0], table.totals()[1]); // the same bookings
    /// assert!(card.attribution.table([("nope", "?")], Currency::USD).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn table<'a>(
        &self,
        columns: impl IntoIterator<Item = (&'a str, &'a str)>,
        currency: Currency,
    ) -> Result<ChannelTable, Error> {
        let mut table = ChannelTable::new(currency);
        for (model, label) in columns {
            let unknown = || ErrorKind::UnknownKey { kind: "attribution model", key: model.to_owned() };
            table.add_column(label, self.credits(model, currency)?.ok_or_else(unknown)?)?;
        }
        Ok(table)
    }
}

#[derive(Clone, Debug)]
pub(super) struct AttributionTally {
    journeys: u64,
    converted: u64,
    bookings: BTreeMap<Currency, Money>,
    models: Vec<(String, Totals)>,
    markov: Vec<(String, TransitionCounts)>,
    shapley: Vec<(String, ShapleyModel, CoalitionCounts)>,
    excluded: Vec<Exclusion>,
}

/// [`ErrorKind::DefinitionMismatch`] of the section.
fn mismatch(field: &'static str) -> Error {
    ErrorKind::DefinitionMismatch { tally: "scorecard attribution", field }.into()
}

impl AttributionTally {
    pub(super) fn new(terms: &AttributionTerms) -> AttributionTally {
        let models = terms.models.iter().map(|(name, model)| (name.clone(), Totals::new(model.clone()))).collect();
        // Validation requires the currency with a data-driven model; without one these are empty.
        let currency = terms.currency.unwrap_or(Currency::USD);
        let markov = terms.markov.iter().map(|(name, m)| (name.clone(), MarkovModel::counts(m, currency))).collect();
        let shapley =
            terms.shapley.iter().map(|(name, s)| (name.clone(), *s, CoalitionCounts::new(currency))).collect();
        AttributionTally {
            journeys: 0,
            converted: 0,
            bookings: BTreeMap::new(),
            models,
            markov,
            shapley,
            excluded: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, journey: &Journey, strict: bool) -> Result<(), Error> {
        let overflow = || Error::from(ErrorKind::Overflow { op: "scorecard attribution journeys" });
        self.journeys = self.journeys.checked_add(1).ok_or_else(overflow)?;
        if let Some(conversion) = &journey.conversion {
            self.converted = self.converted.checked_add(1).ok_or_else(overflow)?;
            let value = conversion.value;
            let slot = self.bookings.entry(value.currency()).or_insert_with(|| Money::zero(value.currency()));
            *slot = slot.checked_add(value)?;
        }
        let about = |error: Error| error.about(Record::Journey(journey.id.clone()));
        for (name, totals) in &mut self.models {
            if let Err(error) = totals.push(journey) {
                set_aside(strict, &mut self.excluded, Section::Attribution, Some(name), about(error))?;
            }
        }
        for (name, counts) in &mut self.markov {
            if let Err(error) = counts.push(journey) {
                set_aside(strict, &mut self.excluded, Section::Attribution, Some(name), about(error))?;
            }
        }
        for (name, _, counts) in &mut self.shapley {
            if let Err(error) = counts.push(journey) {
                set_aside(strict, &mut self.excluded, Section::Attribution, Some(name), about(error))?;
            }
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: AttributionTally) -> Result<(), Error> {
        let same = |a: &[String], b: &[String]| a == b;
        let names = |v: &[(String, Totals)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
        if !same(&names(&self.models), &names(&other.models)) {
            return Err(mismatch("models"));
        }
        let markov =
            |v: &[(String, TransitionCounts)]| v.iter().map(|x| (x.0.clone(), *x.1.model())).collect::<Vec<_>>();
        if markov(&self.markov) != markov(&other.markov) {
            return Err(mismatch("markov"));
        }
        let shapley =
            |v: &[(String, ShapleyModel, CoalitionCounts)]| v.iter().map(|x| (x.0.clone(), x.1)).collect::<Vec<_>>();
        if shapley(&self.shapley) != shapley(&other.shapley) {
            return Err(mismatch("shapley"));
        }
        let overflow = || Error::from(ErrorKind::Overflow { op: "scorecard attribution journeys" });
        self.journeys = self.journeys.checked_add(other.journeys).ok_or_else(overflow)?;
        self.converted = self.converted.checked_add(other.converted).ok_or_else(overflow)?;
        for (currency, value) in other.bookings {
            let slot = self.bookings.entry(currency).or_insert_with(|| Money::zero(currency));
            *slot = slot.checked_add(value)?;
        }
        for ((_, mine), (_, theirs)) in self.models.iter_mut().zip(other.models) {
            mine.merge(theirs)?;
        }
        for ((_, mine), (_, theirs)) in self.markov.iter_mut().zip(other.markov) {
            mine.merge(theirs)?;
        }
        for ((_, _, mine), (_, _, theirs)) in self.shapley.iter_mut().zip(other.shapley) {
            mine.merge(theirs)?;
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self, strict: bool) -> Result<AttributionSection, Error> {
        let models =
            self.models.into_iter().map(|(name, totals)| Ok((name, totals.finish()?))).collect::<Result<_, Error>>()?;
        let mut markov = BTreeMap::new();
        for (name, counts) in self.markov {
            match counts.finish() {
                Ok(result) => drop(markov.insert(name, result)),
                Err(error) => set_aside(strict, &mut self.excluded, Section::Attribution, Some(&name), error)?,
            }
        }
        let mut shapley = BTreeMap::new();
        for (name, model, counts) in self.shapley {
            match model.attribute(&counts) {
                Ok(result) => drop(shapley.insert(name, result)),
                Err(error) => set_aside(strict, &mut self.excluded, Section::Attribution, Some(&name), error)?,
            }
        }
        self.excluded.sort();
        let non_converting =
            self.journeys.checked_sub(self.converted).ok_or(ErrorKind::Overflow { op: "non-converting journeys" })?;
        Ok(AttributionSection {
            converted: Ratio::new(self.converted, self.journeys),
            non_converting,
            bookings: self.bookings,
            models,
            markov,
            shapley,
            excluded: self.excluded,
        })
    }
}
