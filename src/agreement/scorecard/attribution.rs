//! The attribution section: every named model of the agreement over the same journeys, side
//! by side, exact to the minor unit.

use std::collections::BTreeMap;

use super::{Exclusion, Section, set_aside};
use crate::attribution::{AttributionReport, Model, Totals};
use crate::facts::Journey;
use crate::{ChannelId, Currency, Error, ErrorKind, Money, Record};

/// Credits per channel under every named model, side by side.
///
/// A journey one model refuses is set aside by that model only (its exclusion names the
/// model); the other columns still credit it.
///
/// # Example
///
/// ```
/// use revops::testkit::{Company, sample_agreement};
/// use revops::{ChannelId, Currency};
///
/// let company = Company::new(42, 500)?;
/// let card = sample_agreement()?.evaluate(&company.facts(), company.as_of())?;
/// let webinar = ChannelId::new("webinar")?;
/// let linear = card.attribution.credit("linear", &webinar, Currency::USD);
/// assert!(linear.is_some_and(|m| m.amount().is_sign_positive() && !m.amount().is_zero()));
/// // Every model credits the same bookings.
/// let totals: Vec<_> = card.attribution.models.values().map(|r| r.currencies.get(&Currency::USD).map(|t| t.revenue)).collect();
/// assert!(totals.windows(2).all(|w| w[0] == w[1]));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionSection {
    /// Each model's report, by the agreement's model name.
    pub models: BTreeMap<String, AttributionReport>,
    /// Records set aside, sorted.
    pub excluded: Vec<Exclusion>,
}

impl AttributionSection {
    /// The credit `model` gives `channel` in `currency` (`None` if the model does not exist
    /// or credited the channel nothing in that currency).
    #[must_use]
    pub fn credit(&self, model: &str, channel: &ChannelId, currency: Currency) -> Option<Money> {
        self.models.get(model)?.currencies.get(&currency)?.by_channel.get(channel).copied()
    }
}

#[derive(Clone, Debug)]
pub(super) struct AttributionTally {
    models: Vec<(String, Totals)>,
    excluded: Vec<Exclusion>,
}

impl AttributionTally {
    pub(super) fn new(models: &BTreeMap<String, Model>) -> AttributionTally {
        let models = models.iter().map(|(name, model)| (name.clone(), Totals::new(model.clone()))).collect();
        AttributionTally { models, excluded: Vec::new() }
    }

    pub(super) fn push(&mut self, journey: &Journey, strict: bool) -> Result<(), Error> {
        for (name, totals) in &mut self.models {
            if let Err(error) = totals.push(journey) {
                let error = error.about(Record::Journey(journey.id.clone()));
                set_aside(strict, &mut self.excluded, Section::Attribution, Some(name), error)?;
            }
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: AttributionTally) -> Result<(), Error> {
        if self.models.len() != other.models.len() || self.models.iter().zip(&other.models).any(|(a, b)| a.0 != b.0) {
            return Err(ErrorKind::DefinitionMismatch { tally: "scorecard attribution", field: "models" }.into());
        }
        for ((_, mine), (_, theirs)) in self.models.iter_mut().zip(other.models) {
            mine.merge(theirs)?;
        }
        self.excluded.extend(other.excluded);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<AttributionSection, Error> {
        let models =
            self.models.into_iter().map(|(name, totals)| Ok((name, totals.finish()?))).collect::<Result<_, Error>>()?;
        self.excluded.sort();
        Ok(AttributionSection { models, excluded: self.excluded })
    }
}
