//! A journey: the ordered touches of one person or account, converting or not.

use chrono::{DateTime, Utc};

use super::touchpoint::Touchpoint;
use crate::Record;
use crate::{AccountId, ChannelId, ContactId, Error, ErrorKind, JourneyId, Money};

/// The conversion at the end of a journey: when, and what it was worth.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Conversion, Journey};
/// use revops::{Currency, JourneyId, Money};
///
/// let won_at = Utc.with_ymd_and_hms(2024, 3, 20, 16, 0, 0).single().unwrap_or_default();
/// let value = Money::from_minor(24_000_00, Currency::EUR);
/// let journey = Journey::converted(JourneyId::new("deal-1")?, won_at, value);
/// assert_eq!(journey.conversion, Some(Conversion { at: won_at, value }));
/// assert_eq!(Journey::not_converted(JourneyId::new("visitor-9")?).conversion, None);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Conversion {
    /// When the conversion happened (a won deal: the close time).
    pub at: DateTime<Utc>,
    /// What it was worth; must not be negative.
    pub value: Money,
}

/// Milestone times of a journey, from which the engine derives roles ([definitions 1.1](crate::definitions::attribution#11-input)).
///
/// For each milestone given, the role goes to the **last touch at or before** the milestone
/// (after the lookback window and exclusions are applied); for a milestone not given, the role
/// goes to the last touch that carries it explicitly in [`Touchpoint::roles`]. Our rule: a
/// milestone time, when present, wins over explicit roles.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Journey, Milestones, Touchpoint};
/// use revops::{ChannelId, Currency, JourneyId, Money};
///
/// let day = |d| Utc.with_ymd_and_hms(2024, 3, d, 12, 0, 0).single().unwrap_or_default();
/// // From the CRM: the lead was created on 3 March, the opportunity on 10 March, won on 20 March.
/// let milestones =
///     Milestones { lead_created: Some(day(3)), opportunity_created: Some(day(10)), closed_won: Some(day(20)) };
/// let journey = Journey::converted(JourneyId::new("deal-1")?, day(20), Money::from_minor(900_00, Currency::USD))
///     .with_touch(Touchpoint::new(day(1), ChannelId::new("paid_search")?))
///     .with_touch(Touchpoint::new(day(3), ChannelId::new("webinar")?)) // the lead-creation touch
///     .with_milestones(milestones);
/// journey.check()?;
/// assert_eq!(journey.milestones.lead_created, Some(day(3)));
/// // No milestones: roles come from the touches' explicit `roles` instead.
/// assert_eq!(Milestones::default().closed_won, None);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Milestones {
    /// When the contact became a lead.
    #[cfg_attr(feature = "serde", serde(default))]
    pub lead_created: Option<DateTime<Utc>>,
    /// When the opportunity (deal) was created.
    #[cfg_attr(feature = "serde", serde(default))]
    pub opportunity_created: Option<DateTime<Utc>>,
    /// When the deal moved to closed won.
    #[cfg_attr(feature = "serde", serde(default))]
    pub closed_won: Option<DateTime<Utc>>,
}

/// A journey: the touches of one contact (or, account-based, of every contact on a deal), in
/// order, with its conversion if it converted (a fact: plain pub fields).
///
/// **Touch order, our rule: reject.** Touches must be in non-decreasing `at` order; touches with
/// the same instant keep their position in `touches` (the *sequence*), so the order is
/// `(at, sequence)`. The engine never reorders silently: a touch earlier than the one before it
/// is [`ErrorKind::TouchOutOfOrder`]. Callers whose data is unordered call
/// [`Journey::sort_touches`] (a stable sort by `at`) first, which makes the choice explicit.
///
/// Non-converting journeys (`conversion: None`) earn no credit in the rule-based models but are
/// counted, and the data-driven models (Markov, Shapley) need them.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{Journey, Touchpoint};
/// use revops::{AccountId, ChannelId, Currency, JourneyId, Money};
/// use rust_decimal_macros::dec;
///
/// let day = |d: u32| Utc.with_ymd_and_hms(2024, 3, d, 12, 0, 0).single().unwrap_or_default();
/// let journey = Journey::converted(JourneyId::new("deal-1")?, day(20), Money::new(dec!(900), Currency::USD))
///     .with_account(AccountId::new("acme")?)
///     .with_touch(Touchpoint::new(day(1), ChannelId::new("paid_search")?))
///     .with_touch(Touchpoint::new(day(9), ChannelId::new("email")?));
/// assert!(journey.is_converted());
/// assert_eq!(journey.channels().map(ChannelId::as_str).collect::<Vec<_>>(), ["paid_search", "email"]);
/// journey.check()?;
///
/// // A visitor who never converted still counts (Markov and Shapley need them).
/// let visit = Journey::not_converted(JourneyId::new("visitor-9")?)
///     .with_touch(Touchpoint::new(day(2), ChannelId::new("social")?));
/// assert!(!visit.is_converted());
/// visit.check()?;
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Journey {
    /// The journey's id (a deal, a lead, a session path).
    pub id: JourneyId,
    /// The account, for account-based journeys and totals by account.
    #[cfg_attr(feature = "serde", serde(default))]
    pub account: Option<AccountId>,
    /// The conversion, or `None` for a journey that did not convert.
    #[cfg_attr(feature = "serde", serde(default))]
    pub conversion: Option<Conversion>,
    /// Milestone times from which roles are derived.
    #[cfg_attr(feature = "serde", serde(default))]
    pub milestones: Milestones,
    /// The touches, in `(at, sequence)` order.
    pub touches: Vec<Touchpoint>,
}

impl Journey {
    /// A converting journey with no touches yet.
    #[must_use]
    pub const fn converted(id: JourneyId, at: DateTime<Utc>, value: Money) -> Journey {
        Journey {
            id,
            account: None,
            conversion: Some(Conversion { at, value }),
            milestones: Milestones { lead_created: None, opportunity_created: None, closed_won: None },
            touches: Vec::new(),
        }
    }

    /// A journey that did not convert, with no touches yet.
    #[must_use]
    pub const fn not_converted(id: JourneyId) -> Journey {
        Journey {
            id,
            account: None,
            conversion: None,
            milestones: Milestones { lead_created: None, opportunity_created: None, closed_won: None },
            touches: Vec::new(),
        }
    }

    /// An account-based journey: the touches of every contact on the deal merged into one
    /// ordered journey, each touch remembering its contact.
    ///
    /// Touches are merged by `(at, contact position in `contacts`, position in that contact's
    /// list)`, a deterministic order; each contact's own list must already be in time order.
    ///
    /// # Errors
    /// [`ErrorKind::TouchOutOfOrder`] if a contact's touches are out of order (the index is the
    /// touch's position in that contact's list).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Journey, Touchpoint};
    /// use revops::{AccountId, ChannelId, ContactId, Currency, JourneyId, Money};
    ///
    /// let at = |d: u32| Utc.with_ymd_and_hms(2024, 5, d, 9, 0, 0).single().unwrap_or_default();
    /// let web = ChannelId::new("webinar")?;
    /// let journey = Journey::account_based(
    ///     JourneyId::new("deal-7")?,
    ///     AccountId::new("acme")?,
    ///     None,
    ///     [
    ///         (ContactId::new("ann")?, vec![Touchpoint::new(at(3), web.clone())]),
    ///         (ContactId::new("bob")?, vec![Touchpoint::new(at(1), web.clone()), Touchpoint::new(at(5), web)]),
    ///     ],
    /// )?;
    /// let who: Vec<_> = journey.touches.iter().map(|t| t.contact.as_ref().map(ContactId::as_str)).collect();
    /// assert_eq!(who, [Some("bob"), Some("ann"), Some("bob")]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn account_based(
        id: JourneyId,
        account: AccountId,
        conversion: Option<Conversion>,
        contacts: impl IntoIterator<Item = (ContactId, Vec<Touchpoint>)>,
    ) -> Result<Journey, Error> {
        let mut all: Vec<(usize, usize, Touchpoint)> = Vec::new();
        for (c, (contact, touches)) in contacts.into_iter().enumerate() {
            let mut previous: Option<DateTime<Utc>> = None;
            for (i, mut touch) in touches.into_iter().enumerate() {
                if previous.is_some_and(|p| touch.at < p) {
                    return Err(ErrorKind::TouchOutOfOrder { journey: id, index: i }.into());
                }
                previous = Some(touch.at);
                touch.contact = Some(contact.clone());
                all.push((c, i, touch));
            }
        }
        all.sort_by(|a, b| a.2.at.cmp(&b.2.at).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        Ok(Journey {
            id,
            account: Some(account),
            conversion,
            milestones: Milestones::default(),
            touches: all.into_iter().map(|(_, _, t)| t).collect(),
        })
    }

    /// The same journey with `touch` appended.
    #[must_use]
    pub fn with_touch(mut self, touch: Touchpoint) -> Journey {
        self.touches.push(touch);
        self
    }

    /// The same journey with `milestones`.
    #[must_use]
    pub const fn with_milestones(mut self, milestones: Milestones) -> Journey {
        self.milestones = milestones;
        self
    }

    /// The same journey with `account`.
    #[must_use]
    pub fn with_account(mut self, account: AccountId) -> Journey {
        self.account = Some(account);
        self
    }

    /// Whether the journey converted.
    #[must_use]
    pub const fn is_converted(&self) -> bool {
        self.conversion.is_some()
    }

    /// The ordered channel sequence (what the Markov and Shapley models read), without copying.
    #[must_use]
    pub fn channels(&self) -> impl ExactSizeIterator<Item = &ChannelId> + DoubleEndedIterator + Clone {
        self.touches.iter().map(|t| &t.channel)
    }

    /// Sorts the touches by `at`, stably (equal instants keep their order): the explicit way to
    /// bring unordered data into the `(at, sequence)` order the engine requires.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Journey, Touchpoint};
    /// use revops::{ChannelId, Currency, ErrorKind, JourneyId, Money};
    ///
    /// let day = |d| Utc.with_ymd_and_hms(2024, 3, d, 12, 0, 0).single().unwrap_or_default();
    /// // A warehouse export that lists touches by channel, not by time.
    /// let value = Money::from_minor(900_00, Currency::USD);
    /// let mut journey = Journey::converted(JourneyId::new("deal-1")?, day(20), value)
    ///     .with_touch(Touchpoint::new(day(9), ChannelId::new("email")?))
    ///     .with_touch(Touchpoint::new(day(1), ChannelId::new("paid_search")?))
    ///     .with_touch(Touchpoint::new(day(9), ChannelId::new("webinar")?));
    /// let err = journey.check().unwrap_err(); // never reordered silently
    /// assert!(matches!(err.kind(), ErrorKind::TouchOutOfOrder { index: 1, .. }));
    ///
    /// journey.sort_touches(); // the explicit choice; equal instants keep their order
    /// journey.check()?;
    /// let channels: Vec<_> = journey.channels().map(ChannelId::as_str).collect();
    /// assert_eq!(channels, ["paid_search", "email", "webinar"]);
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn sort_touches(&mut self) {
        self.touches.sort_by_key(|t| t.at);
    }

    /// Validates the journey as the engine does before crediting it.
    ///
    /// # Errors
    /// - [`ErrorKind::TouchOutOfOrder`]: a touch is earlier than the one before it;
    /// - [`ErrorKind::TouchAfterConversion`]: a touch is after the conversion time;
    /// - [`ErrorKind::EmptyJourney`]: a converting journey has no touches;
    /// - [`ErrorKind::Negative`]: the conversion value is negative.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Journey, Touchpoint};
    /// use revops::{ChannelId, Currency, ErrorKind, JourneyId, Money};
    ///
    /// let day = |d| Utc.with_ymd_and_hms(2024, 3, d, 12, 0, 0).single().unwrap_or_default();
    /// let id = JourneyId::new("deal-1")?;
    /// let usd = Money::from_minor(900_00, Currency::USD);
    /// let channel = ChannelId::new("email")?;
    /// let email = |d| Touchpoint::new(day(d), channel.clone());
    ///
    /// Journey::converted(id.clone(), day(20), usd).with_touch(email(19)).check()?;
    ///
    /// // A touch after the deal was won cannot have influenced it.
    /// let err = Journey::converted(id.clone(), day(20), usd).with_touch(email(21)).check().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::TouchAfterConversion { index: 0, .. }));
    /// assert!(err.to_string().contains("deal-1")); // names the journey
    /// // A conversion with no touch at all has nothing to credit.
    /// let err = Journey::converted(id.clone(), day(20), usd).check().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::EmptyJourney { .. }));
    /// // Neither has a negative conversion value.
    /// let refund = Money::from_minor(-900_00, Currency::USD);
    /// assert!(Journey::converted(id.clone(), day(20), refund).with_touch(email(1)).check().is_err());
    /// // A journey that did not convert may be empty.
    /// Journey::not_converted(id).check()?;
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        for (index, pair) in self.touches.windows(2).enumerate() {
            if let [a, b] = pair
                && b.at < a.at
            {
                return Err(ErrorKind::TouchOutOfOrder { journey: self.id.clone(), index: index + 1 }.into());
            }
        }
        let Some(conversion) = &self.conversion else {
            return Ok(());
        };
        if conversion.value.is_negative() {
            return Err(ErrorKind::Negative { field: "conversion value", value: conversion.value.to_string() }
                .about(Record::Journey(self.id.clone())));
        }
        if self.touches.is_empty() {
            return Err(ErrorKind::EmptyJourney { journey: self.id.clone(), reason: "it has no touches" }.into());
        }
        if let Some(last) = self.touches.last()
            && last.at > conversion.at
        {
            return Err(
                ErrorKind::TouchAfterConversion { journey: self.id.clone(), index: self.touches.len() - 1 }.into()
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use chrono::TimeZone;

    fn at(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    fn touch(d: u32) -> Touchpoint {
        Touchpoint::new(at(d), ChannelId::new("email").unwrap())
    }

    #[test]
    fn check_names_the_journey_and_touch() {
        let id = JourneyId::new("j1").unwrap();
        let usd = |m| Money::from_minor(m, Currency::USD);
        let j = Journey::converted(id.clone(), at(10), usd(100)).with_touch(touch(2)).with_touch(touch(1));
        assert_eq!(j.check().unwrap_err(), ErrorKind::TouchOutOfOrder { journey: id.clone(), index: 1 });
        let mut sorted = j.clone();
        sorted.sort_touches();
        assert!(sorted.check().is_ok());
        let late = Journey::converted(id.clone(), at(10), usd(100)).with_touch(touch(11));
        assert_eq!(late.check().unwrap_err(), ErrorKind::TouchAfterConversion { journey: id.clone(), index: 0 });
        let empty = Journey::converted(id.clone(), at(10), usd(100));
        assert!(matches!(
            empty.check().as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::EmptyJourney { .. })
        ));
        let negative = Journey::converted(id.clone(), at(10), usd(-1)).with_touch(touch(1));
        assert!(matches!(
            negative.check().as_ref().map_err(crate::error::Error::kind),
            Err(ErrorKind::Negative { .. })
        ));
        assert!(Journey::not_converted(id).check().is_ok());
    }

    #[test]
    fn account_based_rejects_unordered_contact_lists() {
        let err = Journey::account_based(
            JourneyId::new("d").unwrap(),
            AccountId::new("a").unwrap(),
            None,
            [(ContactId::new("c").unwrap(), vec![touch(3), touch(2)])],
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "touch 1 of journey `d` is earlier than the touch before it");
    }
}
