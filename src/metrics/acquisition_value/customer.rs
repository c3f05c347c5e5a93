//! [`AcquiredCustomer`]: a new customer with its acquisition channel, a derived view of the
//! facts built by [`acquired_customers`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::AcquisitionKey;
use crate::calendar::Zone;
use crate::facts::{Deal, FactSet, Journey, Lead};
use crate::metrics::{NewCustomer, new_customers};
use crate::{ChannelId, Error, ErrorKind, Record};

/// A new customer ([`NewCustomer`]: an account's first won deal) with the channel that
/// acquired it under one [`AcquisitionKey`]: the fact an
/// [`AcquisitionValueTally`](super::AcquisitionValueTally) groups by. Derived by
/// [`acquired_customers`], never filled by hand.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus, FactSet, Journey, Touchpoint};
/// use revops::metrics::{AcquisitionKey, acquired_customers};
/// use revops::{AccountId, ChannelId, Currency, JourneyId, Money, OpportunityId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let usd = Money::from_minor(100_00, Currency::USD);
/// let mut facts = FactSet::default();
/// facts.deals.push(Deal::new(OpportunityId::new("o1")?, t(5), usd, DealStatus::Won)
///     .closed_at(Some(t(20)))
///     .account(Some(AccountId::new("acme")?))
///     .source(Some(ChannelId::new("webinar")?)));
/// // The deal's journey: the one whose id is the deal's.
/// facts.journeys.push(Journey::converted(JourneyId::new("o1")?, t(20), usd)
///     .with_touch(Touchpoint::new(t(1), ChannelId::new("paid_search")?))
///     .with_touch(Touchpoint::new(t(4), ChannelId::new("webinar")?)));
/// let first = acquired_customers(&facts, AcquisitionKey::FirstTouch, Zone::UTC)?;
/// assert_eq!(first[0].channel().map(ChannelId::as_str), Some("paid_search"));
/// let source = acquired_customers(&facts, AcquisitionKey::LeadSource, Zone::UTC)?;
/// assert_eq!(source[0].channel().map(ChannelId::as_str), Some("webinar")); // no lead: the deal's source
/// assert_eq!((source[0].key(), source[0].customer().account().as_str()), (AcquisitionKey::LeadSource, "acme"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcquiredCustomer {
    pub(super) customer: NewCustomer,
    pub(super) key: AcquisitionKey,
    pub(super) channel: Option<ChannelId>,
}

impl AcquiredCustomer {
    /// The new customer.
    #[must_use]
    pub const fn customer(&self) -> &NewCustomer {
        &self.customer
    }

    /// The key its channel was derived under.
    #[must_use]
    pub const fn key(&self) -> AcquisitionKey {
        self.key
    }

    /// The channel that acquired it; `None` when the facts name none.
    #[must_use]
    pub const fn channel(&self) -> Option<&ChannelId> {
        self.channel.as_ref()
    }
}

/// The new customers of `facts` ([`new_customers`] over its deals and spend, acquired on their
/// local date in `zone`), each with its acquisition channel under `key`, in account order.
///
/// - **[`AcquisitionKey::FirstTouch`]**: the journey of the customer's first won deal is the
///   journey whose id is the deal's id, else the one whose id is the deal's lead's id (the
///   join the scorecard's sourcing uses); the channel is that of its first touch in `(at,
///   sequence)` order, if that touch is at or before the deal's close (a touch after the win
///   did not acquire the customer). No such journey, or no touch by the close: `None`.
/// - **[`AcquisitionKey::LeadSource`]**: the source of the lead named by the first won deal
///   ([`Deal::lead`]); when the deal names no lead (an opportunity opened on a contact), the
///   deal's own [`Deal::source`], the same CRM field copied onto the opportunity. A lead
///   without a source gives `None`; the deal's source is not read then (the lead's record
///   wins).
///
/// Give the whole fact set: every won deal of every account (the first win is a property of
/// all of them), and the journeys and leads of the first wins.
///
/// # Errors
/// The errors of [`FactSet::check`] and [`new_customers`]; [`ErrorKind::UnknownKey`] naming a
/// first won deal whose lead is not in `facts` (key [`AcquisitionKey::LeadSource`]).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::calendar::Zone;
/// use revops::facts::{Deal, DealStatus, FactSet, Lead};
/// use revops::metrics::{AcquisitionKey, acquired_customers};
/// use revops::{AccountId, ChannelId, Currency, LeadId, Money, OpportunityId};
///
/// let t = |d| Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).single().unwrap_or_default();
/// let mut facts = FactSet::default();
/// facts.leads.push(Lead::new(LeadId::new("L-1")?, t(1)).from_source(ChannelId::new("webinar")?));
/// facts.deals.push(Deal::new(OpportunityId::new("o1")?, t(5), Money::from_minor(100, Currency::USD), DealStatus::Won)
///     .closed_at(Some(t(20)))
///     .account(Some(AccountId::new("acme")?))
///     .lead(Some(LeadId::new("L-1")?))
///     .source(Some(ChannelId::new("partner")?)));
/// let customers = acquired_customers(&facts, AcquisitionKey::LeadSource, Zone::UTC)?;
/// assert_eq!(customers[0].channel().map(ChannelId::as_str), Some("webinar")); // the lead's, not the deal's
/// facts.leads.clear();
/// assert!(acquired_customers(&facts, AcquisitionKey::LeadSource, Zone::UTC).is_err()); // a lead not given
/// # Ok::<(), revops::Error>(())
/// ```
pub fn acquired_customers(facts: &FactSet, key: AcquisitionKey, zone: Zone) -> Result<Vec<AcquiredCustomer>, Error> {
    facts.check()?;
    let customers = new_customers(&facts.deals, &facts.spend, zone)?;
    let deals: BTreeMap<&str, &Deal> = facts.deals.iter().map(|d| (d.id.as_str(), d)).collect();
    let journeys: BTreeMap<&str, &Journey> = match key {
        AcquisitionKey::FirstTouch => facts.journeys.iter().map(|j| (j.id.as_str(), j)).collect(),
        AcquisitionKey::LeadSource => BTreeMap::new(),
    };
    let leads: BTreeMap<&str, &Lead> = match key {
        AcquisitionKey::LeadSource => facts.leads.iter().map(|l| (l.id.as_str(), l)).collect(),
        AcquisitionKey::FirstTouch => BTreeMap::new(),
    };
    customers
        .into_iter()
        .map(|customer| {
            // Every new customer is one of the deals: `new_customers` read it from them.
            let deal = deals
                .get(customer.deal().as_str())
                .ok_or_else(|| Error::from(ErrorKind::UnknownKey { kind: "deal", key: customer.deal().to_string() }))?;
            let channel = match key {
                AcquisitionKey::FirstTouch => first_touch(deal, &journeys),
                AcquisitionKey::LeadSource => lead_source(deal, &leads)?,
            };
            Ok(AcquiredCustomer { customer, key, channel })
        })
        .collect()
}

/// The channel of the first touch, by the deal's close, of the deal's journey.
fn first_touch(deal: &Deal, journeys: &BTreeMap<&str, &Journey>) -> Option<ChannelId> {
    first_touch_channel(deal, |id| {
        journeys.get(id).map(|journey| journey.touches.first().map(|touch| (touch.at, &touch.channel)))
    })
}

/// [`AcquisitionKey::FirstTouch`]'s rule, once for every caller: `first_touch(id)` is `None`
/// when no journey has the id, else that journey's first touch (none for a journey without
/// touches). The deal's journey is the one with the deal's id, else its lead's; its first touch
/// counts if it is at or before the deal's close.
pub(crate) fn first_touch_channel<'a>(
    deal: &Deal,
    first_touch: impl Fn(&str) -> Option<Option<(DateTime<Utc>, &'a ChannelId)>>,
) -> Option<ChannelId> {
    let touch =
        first_touch(deal.id.as_str()).or_else(|| deal.lead.as_ref().and_then(|lead| first_touch(lead.as_str())))?;
    let closed = deal.closed_at?;
    touch.filter(|(at, _)| *at <= closed).map(|(_, channel)| channel.clone())
}

/// The source of the deal's lead, or the deal's own source when it names no lead.
fn lead_source(deal: &Deal, leads: &BTreeMap<&str, &Lead>) -> Result<Option<ChannelId>, Error> {
    match &deal.lead {
        Some(id) => leads.get(id.as_str()).map(|lead| lead.source.clone()).ok_or_else(|| {
            ErrorKind::UnknownKey { kind: "lead", key: id.to_string() }.about(Record::Deal(deal.id.clone()))
        }),
        None => Ok(deal.source.clone()),
    }
}
