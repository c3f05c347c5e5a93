//! A deal's journey derived from facts: the one documented way from a [`Deal`], its [`Lead`]
//! and their [`Touchpoint`]s to the [`Journey`] every attribution model reads, so callers never
//! assemble a `Journey` or its [`Milestones`] by hand.

use crate::Record;
use crate::facts::{Conversion, Deal, DealStatus, Journey, Lead, Milestones, Touchpoint};
use crate::{Error, ErrorKind, JourneyId};

/// The attribution journey of `deal`: its conversion, milestones and touches, derived from the
/// facts by these rules ([definitions 1.1](crate::definitions::attribution#11-input)):
///
/// - **Id and account**: the journey's id is the deal's id; its account is the deal's account,
///   else the lead's.
/// - **Conversion**: a [`DealStatus::Won`] deal converts at its `closed_at` for its `amount`.
///   An open or lost deal does not convert (`conversion: None`): rule-based models count it
///   without crediting it, the data-driven models learn from it.
/// - **Milestones**: lead creation is the lead's `created_at` (none without a lead); opportunity
///   creation is the deal's `created_at`; closed won is the won deal's `closed_at` (none
///   otherwise). The models give each role to the last touch at or before its milestone.
/// - **Touches**: sorted by `at`, stably (touches at the same instant keep the order they came
///   in), then **cut at the end of the deal**: a touch strictly after a won or lost deal's
///   `closed_at` is dropped (it cannot have influenced an outcome already decided); a touch at
///   exactly `closed_at` is kept. An open deal keeps every touch.
/// - The result passes [`Journey::check`], so every model and accumulator accepts it.
///
/// # Errors
/// - [`Deal::check`]'s errors (a closed deal without `closed_at`, an open one with it, a close
///   before the creation, a negative amount), naming the deal;
/// - [`ErrorKind::InconsistentRecord`] naming the deal if `lead` is not the deal's lead (the deal
///   names another lead in [`Deal::lead`]);
/// - [`ErrorKind::EmptyJourney`] naming the journey if a won deal has no touch at or before its
///   close (nothing to credit).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::attribution::{Model, journey_for_deal};
/// use revops::facts::{Deal, DealStatus, Lead, Touchpoint};
/// use revops::{ChannelId, Currency, LeadId, Money, OpportunityId};
///
/// let day = |d: u32| Utc.with_ymd_and_hms(2024, 3, d, 12, 0, 0).unwrap();
/// let lead = Lead::new(LeadId::new("L-1")?, day(4));
/// let deal = Deal::new(OpportunityId::new("opp-1")?, day(10), Money::from_minor(90_000, Currency::USD), DealStatus::Won)
///     .closed_at(Some(day(20)))
///     .lead(Some(lead.id.clone()));
/// let touch = |d, channel| -> Result<Touchpoint, revops::Error> { Ok(Touchpoint::new(day(d), ChannelId::new(channel)?)) };
/// // Unordered, and one touch after the close: sorted and cut.
/// let touches = [touch(9, "email")?, touch(1, "paid_search")?, touch(25, "webinar")?, touch(4, "organic")?];
///
/// let journey = journey_for_deal(&deal, Some(&lead), touches)?;
/// assert_eq!(journey.id.as_str(), "opp-1");
/// let channels: Vec<_> = journey.channels().map(ChannelId::as_str).collect();
/// assert_eq!(channels, ["paid_search", "organic", "email"]);
/// assert_eq!(journey.milestones.lead_created, Some(day(4)));
///
/// let credits = Model::w_shaped().attribute(&journey)?.expect("a won deal converts").credits;
/// // First touch, lead creation (day 4), opportunity creation (day 9): a third each.
/// assert!(credits.iter().all(|c| c.amount == Money::from_minor(30_000, Currency::USD)));
/// # Ok::<(), revops::Error>(())
/// ```
pub fn journey_for_deal(
    deal: &Deal,
    lead: Option<&Lead>,
    touches: impl IntoIterator<Item = Touchpoint>,
) -> Result<Journey, Error> {
    deal.check()?;
    if let (Some(lead), Some(named)) = (lead, &deal.lead)
        && lead.id != *named
    {
        return Err(ErrorKind::InconsistentRecord { reason: "the lead given is not the deal's lead" }
            .about(Record::Deal(deal.id.clone())));
    }
    let closed_won = match deal.status {
        DealStatus::Won => deal.closed_at,
        _ => None,
    };
    let mut touches: Vec<Touchpoint> = touches.into_iter().collect();
    touches.sort_by_key(|t| t.at);
    if let Some(end) = deal.closed_at {
        touches.retain(|t| t.at <= end);
    }
    let journey = Journey {
        // An opportunity id and a journey id follow the same rule (external ids).
        id: JourneyId::trusted(deal.id.as_str().to_owned()),
        account: deal.account.clone().or_else(|| lead.and_then(|l| l.account.clone())),
        conversion: closed_won.map(|at| Conversion { at, value: deal.amount }),
        milestones: Milestones {
            lead_created: lead.map(|l| l.created_at),
            opportunity_created: Some(deal.created_at),
            closed_won,
        },
        touches,
    };
    journey.check()?;
    Ok(journey)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    use super::*;
    use crate::facts::Reason;
    use crate::{AccountId, ChannelId, Currency, LeadId, Money, OpportunityId};

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, d, 0, 0, 0).unwrap()
    }

    fn touch(d: u32, c: &str) -> Touchpoint {
        Touchpoint::new(day(d), ChannelId::new(c).unwrap())
    }

    fn deal(status: DealStatus, closed: Option<u32>) -> Deal {
        Deal::new(OpportunityId::new("opp-7").unwrap(), day(10), Money::from_minor(5_000, Currency::EUR), status)
            .closed_at(closed.map(day))
    }

    #[test]
    fn won_deal_converts_at_close_with_every_milestone() {
        let lead = Lead::new(LeadId::new("L-7").unwrap(), day(3)).at_account(AccountId::new("acme").unwrap());
        let j = journey_for_deal(
            &deal(DealStatus::Won, Some(20)),
            Some(&lead),
            [touch(20, "c"), touch(2, "a"), touch(21, "late"), touch(2, "b")],
        )
        .unwrap();
        assert_eq!(j.id.as_str(), "opp-7");
        assert_eq!(j.account.as_ref().map(AccountId::as_str), Some("acme"));
        assert_eq!(j.conversion, Some(Conversion { at: day(20), value: Money::from_minor(5_000, Currency::EUR) }));
        assert_eq!(
            j.milestones,
            Milestones { lead_created: Some(day(3)), opportunity_created: Some(day(10)), closed_won: Some(day(20)) }
        );
        // Stable: the two touches of day 2 keep their order; the touch at the close is kept.
        assert_eq!(j.channels().map(ChannelId::as_str).collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn open_and_lost_deals_do_not_convert() {
        let open = DealStatus::open_percent(&OpportunityId::new("opp-7").unwrap(), rust_decimal::Decimal::TEN).unwrap();
        let j = journey_for_deal(&deal(open, None), None, [touch(30, "b"), touch(1, "a")]).unwrap();
        assert_eq!(j.conversion, None);
        assert_eq!(
            j.milestones,
            Milestones { lead_created: None, opportunity_created: Some(day(10)), closed_won: None }
        );
        assert_eq!(j.channels().map(ChannelId::as_str).collect::<Vec<_>>(), ["a", "b"]);
        let lost = deal(DealStatus::lost(Reason::Price), Some(15));
        let j = journey_for_deal(&lost, None, [touch(16, "b"), touch(15, "a")]).unwrap();
        assert_eq!((j.conversion, j.milestones.closed_won), (None, None));
        assert_eq!(j.channels().map(ChannelId::as_str).collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn bad_facts_are_typed_errors_naming_the_record() {
        let won_no_touch = journey_for_deal(&deal(DealStatus::Won, Some(20)), None, [touch(21, "a")]).unwrap_err();
        assert!(matches!(won_no_touch.kind(), ErrorKind::EmptyJourney { journey, .. } if journey.as_str() == "opp-7"));
        let inconsistent = journey_for_deal(&deal(DealStatus::Won, None), None, [touch(1, "a")]).unwrap_err();
        assert!(matches!(inconsistent.kind(), ErrorKind::InconsistentRecord { .. }));
        assert_eq!(inconsistent.record().map(ToString::to_string).as_deref(), Some("deal `opp-7`"));
        let other = Lead::new(LeadId::new("L-9").unwrap(), day(1));
        let named = deal(DealStatus::Won, Some(20)).lead(Some(LeadId::new("L-7").unwrap()));
        let err = journey_for_deal(&named, Some(&other), [touch(1, "a")]).unwrap_err();
        assert_eq!(err, ErrorKind::InconsistentRecord { reason: "the lead given is not the deal's lead" });
    }
}
