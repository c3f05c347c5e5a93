//! [`FactSet`]: the facts of one company (or one partition of them), together.

use std::collections::BTreeSet;

use super::{Account, Contact, Deal, Disposition, Journey, Lead, RecurringRevenue, Response, Spend, StageChange};
use crate::{Error, ErrorKind, Record};

/// Every kind of fact of one company, or of one partition of its data, in plain vectors.
///
/// A convenience for callers that load everything and evaluate it at once (the testkit's
/// sample company is one); every evaluation also takes the facts one by one. Order within a
/// vector carries no meaning to any evaluation except a journey's touch order.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::facts::{FactSet, Lead};
/// use revops::LeadId;
///
/// let at = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).single().unwrap_or_default();
/// let mut facts = FactSet::default();
/// facts.leads.push(Lead::new(LeadId::new("L-1")?, at));
/// facts.leads.push(Lead::new(LeadId::new("L-2")?, at));
/// facts.check()?;
/// assert_eq!(facts.leads.len(), 2);
/// assert!(facts.deals.is_empty());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct FactSet {
    /// Accounts.
    #[cfg_attr(feature = "serde", serde(default))]
    pub accounts: Vec<Account>,
    /// Contacts.
    #[cfg_attr(feature = "serde", serde(default))]
    pub contacts: Vec<Contact>,
    /// Leads.
    #[cfg_attr(feature = "serde", serde(default))]
    pub leads: Vec<Lead>,
    /// Lead stage changes.
    #[cfg_attr(feature = "serde", serde(default))]
    pub stage_changes: Vec<StageChange>,
    /// Dispositions of handed-over leads.
    #[cfg_attr(feature = "serde", serde(default))]
    pub dispositions: Vec<Disposition>,
    /// Sales touches on leads.
    #[cfg_attr(feature = "serde", serde(default))]
    pub responses: Vec<Response>,
    /// Opportunities.
    #[cfg_attr(feature = "serde", serde(default))]
    pub deals: Vec<Deal>,
    /// Marketing journeys (touches in order, with their conversions).
    #[cfg_attr(feature = "serde", serde(default))]
    pub journeys: Vec<Journey>,
    /// Sales and marketing spend.
    #[cfg_attr(feature = "serde", serde(default))]
    pub spend: Vec<Spend>,
    /// Customers' monthly recurring revenue (billing movements or snapshots), read by
    /// retention. Left out of the wire when empty, so fact files without it load and write as
    /// before.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub recurring_revenue: Vec<RecurringRevenue>,
}

impl FactSet {
    /// Checks that ids are unique within each kind (accounts, contacts, leads, deals,
    /// journeys), that every deal and journey is consistent on its own, and that every
    /// recurring-revenue fact is ([`RecurringRevenue::check`]) and no account has two of them
    /// at one instant.
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] naming the kind and the id (for recurring revenue: the
    /// account and the instant, about [`Record::Account`]); the first error of
    /// [`Deal::check`], [`Journey::check`] or [`RecurringRevenue::check`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus, FactSet, Lead};
    /// use revops::{Currency, ErrorKind, LeadId, Money, OpportunityId};
    ///
    /// let at = Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).single().unwrap_or_default();
    /// let mut facts = FactSet::default();
    /// facts.leads.push(Lead::new(LeadId::new("L-1")?, at));
    /// facts.leads.push(Lead::new(LeadId::new("L-1")?, at)); // the same lead exported twice
    /// let err = facts.check().unwrap_err();
    /// assert!(err.to_string().contains("L-1")); // names the id
    ///
    /// facts.leads.pop();
    /// let amount = Money::from_minor(5_000_00, Currency::USD);
    /// let won = Deal::new(OpportunityId::new("opp-1")?, at, amount, DealStatus::Won);
    /// facts.deals.push(won); // won, but without its close time
    /// let err = facts.check().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InconsistentRecord { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        unique("account id", self.accounts.iter().map(|a| a.id.as_str()))?;
        unique("contact id", self.contacts.iter().map(|c| c.id.as_str()))?;
        unique("lead id", self.leads.iter().map(|l| l.id.as_str()))?;
        unique("deal id", self.deals.iter().map(|d| d.id.as_str()))?;
        unique("journey id", self.journeys.iter().map(|j| j.id.as_str()))?;
        self.deals.iter().try_for_each(Deal::check)?;
        self.journeys.iter().try_for_each(Journey::check)?;
        self.recurring_revenue.iter().try_for_each(RecurringRevenue::check)?;
        let mut seen = BTreeSet::new();
        for fact in &self.recurring_revenue {
            if !seen.insert((&fact.account, fact.at)) {
                let key = format!("{} at {}", fact.account, fact.at.to_rfc3339());
                return Err(ErrorKind::DuplicateKey { kind: "recurring revenue (account, at)", key }
                    .about(Record::Account(fact.account.clone())));
            }
        }
        Ok(())
    }
}

fn unique<'a>(kind: &'static str, ids: impl Iterator<Item = &'a str>) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(ErrorKind::DuplicateKey { kind, key: id.to_owned() }.into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::{AccountId, Currency, ErrorKind, Money};

    #[test]
    fn recurring_revenue_is_checked_naming_the_account() {
        let at = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
        let acme = AccountId::new("acme").unwrap();
        let fact = |mrr| RecurringRevenue::new(acme.clone(), at, Money::from_minor(mrr, Currency::USD));
        let mut facts = FactSet { recurring_revenue: vec![fact(10_000)], ..FactSet::default() };
        facts.check().unwrap();
        facts.recurring_revenue.push(fact(10_000)); // one instant twice
        let err = facts.check().unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::DuplicateKey { kind: "recurring revenue (account, at)", .. }));
        assert_eq!(err.record(), Some(&Record::Account(acme.clone())));
        assert!(err.to_string().contains("acme at 2024-03-01T00:00:00+00:00"), "{err}");
        facts.recurring_revenue = vec![fact(-1)];
        let err = facts.check().unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Negative { field: "mrr", .. }), "{err}");
        assert_eq!(err.record(), Some(&Record::Account(acme)));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_fact_file_without_recurring_revenue_loads() {
        let facts: FactSet = serde_json::from_str(r#"{"leads": []}"#).unwrap();
        assert!(facts.recurring_revenue.is_empty());
        assert!(!serde_json::to_string(&facts).unwrap().contains("recurring_revenue"));
    }
}
