//! [`Deal`]: the opportunity fact that win rate, cycle, pipeline, loss metrics, ICP refinement
//! and attribution value read.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::Reason;
use crate::{
    AccountId, ChannelId, ContactId, Error, ErrorKind, LeadId, Money, OpportunityId, Probability, Record, StageId,
};

/// Where an opportunity came from: its one origin (sourced attribution), so shares over
/// origins sum to 100%.
///
/// # Example
///
/// ```
/// use revops::facts::Origin;
///
/// assert_eq!(Origin::default(), Origin::Other); // not recorded
/// assert_eq!(Origin::ALL.map(Origin::as_str), ["marketing", "sales", "partner", "other"]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Origin {
    /// Sourced by marketing (an inbound lead, a campaign response).
    Marketing,
    /// Sourced by sales (outbound prospecting, SDRs).
    Sales,
    /// Sourced by a partner or a referral.
    Partner,
    /// Anything else, or not recorded.
    #[default]
    Other,
}

impl Origin {
    /// Every origin, in order.
    pub const ALL: [Origin; 4] = [Origin::Marketing, Origin::Sales, Origin::Partner, Origin::Other];

    /// The snake-case key, e.g. `"marketing"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Origin::Marketing => "marketing",
            Origin::Sales => "sales",
            Origin::Partner => "partner",
            Origin::Other => "other",
        }
    }
}

/// Salesforce's forecast categories: where a rep says an open deal will land, and where a
/// closed one did. Weighted pipeline and coverage leave [`ForecastCategory::Omitted`] out, as
/// Salesforce and the fivetran dbt package do.
///
/// # Example
///
/// ```
/// use revops::facts::ForecastCategory;
///
/// let weighted: Vec<_> = ForecastCategory::ALL
///     .into_iter()
///     .filter(|c| *c != ForecastCategory::Omitted)
///     .map(ForecastCategory::as_str)
///     .collect();
/// assert_eq!(weighted, ["pipeline", "best_case", "commit", "closed"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ForecastCategory {
    /// Open, early: counted in pipeline only.
    Pipeline,
    /// Open, could close this period with some luck.
    BestCase,
    /// Open, the rep commits to it closing this period.
    Commit,
    /// Left out of the forecast (e.g. stalled or lost).
    Omitted,
    /// Closed won.
    Closed,
}

impl ForecastCategory {
    /// Every category, in Salesforce's order.
    pub const ALL: [ForecastCategory; 5] = [
        ForecastCategory::Pipeline,
        ForecastCategory::BestCase,
        ForecastCategory::Commit,
        ForecastCategory::Omitted,
        ForecastCategory::Closed,
    ];

    /// The snake-case key, e.g. `"best_case"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ForecastCategory::Pipeline => "pipeline",
            ForecastCategory::BestCase => "best_case",
            ForecastCategory::Commit => "commit",
            ForecastCategory::Omitted => "omitted",
            ForecastCategory::Closed => "closed",
        }
    }
}

/// Where a deal stands in the facts the caller has: open with a probability, won, or lost.
///
/// # Example
///
/// ```
/// use revops::Probability;
/// use revops::facts::{DealStatus, Reason};
/// use rust_decimal_macros::dec;
///
/// let open = DealStatus::Open { probability: Probability::from_percent(60)? };
/// let lost = DealStatus::lost(Reason::NoDecision);
/// assert_eq!(lost, DealStatus::Lost { reason: Reason::NoDecision });
/// assert!(!open.is_closed());
/// assert!(lost.is_closed() && DealStatus::Won.is_closed());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DealStatus {
    /// Still open, with its win probability (explicit scale, see [`Probability`]).
    Open {
        /// The probability the deal is won.
        probability: Probability,
    },
    /// Closed won.
    Won,
    /// Closed lost, with the reason from the one taxonomy ([`Reason::Unspecified`] when none
    /// was recorded).
    Lost {
        /// The closed-lost reason, e.g. [`Reason::Price`].
        reason: Reason,
    },
}

impl DealStatus {
    /// Closed lost with `reason`.
    #[must_use]
    pub const fn lost(reason: Reason) -> DealStatus {
        DealStatus::Lost { reason }
    }

    /// Open with a probability given in percent, as Salesforce stores it.
    ///
    /// # Errors
    /// [`ErrorKind::ProbabilityOutOfRange`] about the deal `record` ([`Error::record`]) if
    /// `percent` is outside `[0, 100]`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{OpportunityId, Record};
    /// use revops::facts::DealStatus;
    /// use rust_decimal_macros::dec;
    ///
    /// let id = OpportunityId::new("o1")?;
    /// assert!(matches!(DealStatus::open_percent(&id, dec!(40))?, DealStatus::Open { .. }));
    /// // 140% is out of range: the error names the record and says what was wrong.
    /// let err = DealStatus::open_percent(&id, dec!(140)).unwrap_err();
    /// assert_eq!(err.record(), Some(&Record::Deal(id.clone())));
    /// assert!(err.to_string().starts_with("deal `o1`: probability 140"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn open_percent(record: &OpportunityId, percent: Decimal) -> Result<DealStatus, Error> {
        Probability::from_percent_decimal(percent)
            .map(|probability| DealStatus::Open { probability })
            .map_err(|cause| cause.about(Record::Deal(record.clone())))
    }

    /// Whether the deal is closed (won or lost).
    #[must_use]
    pub const fn is_closed(&self) -> bool {
        !matches!(self, DealStatus::Open { .. })
    }
}

/// An opportunity (a fact built from CRM rows), as every module reads it.
///
/// Consistency rules, checked by every tally on push ([`Deal::check`]): a won or lost deal has
/// a `closed_at`; an open deal has none; `closed_at` is not before `created_at`; the amount is
/// not negative.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use revops::facts::{Deal, DealStatus, ForecastCategory, Origin};
/// use revops::{AccountId, ChannelId, Currency, LeadId, Money, OpportunityId, StageId};
/// use rust_decimal_macros::dec;
///
/// let t = |m, d| Utc.with_ymd_and_hms(2024, m, d, 0, 0, 0).single().unwrap_or_default();
/// let id = OpportunityId::new("opp-118")?;
/// let amount = Money::new(dec!(48000), Currency::USD);
/// let open = Deal::new(id.clone(), t(2, 1), amount, DealStatus::open_percent(&id, dec!(60))?)
///     .qualified(true)
///     .origin(Origin::Marketing)
///     .source(Some(ChannelId::new("webinar")?))
///     .account(Some(AccountId::new("acme")?))
///     .lead(Some(LeadId::new("L-1")?))
///     .stage(Some(StageId::new("proposal")?))
///     .forecast_category(Some(ForecastCategory::Commit))
///     .close_date(NaiveDate::from_ymd_opt(2024, 3, 29));
/// open.check()?;
/// assert!(open.is_open_at(t(3, 1)));
/// assert!(!open.is_open_at(t(1, 15))); // not created yet
///
/// // Won on 14 March: open until then, closed from that instant.
/// let won = Deal { status: DealStatus::Won, forecast_category: Some(ForecastCategory::Closed), ..open }
///     .closed_at(Some(t(3, 14)));
/// won.check()?;
/// assert!(won.is_open_at(t(3, 13)) && !won.is_open_at(t(3, 14)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct Deal {
    /// The opportunity id (named in every error about this deal).
    pub id: OpportunityId,
    /// When the opportunity was created.
    pub created_at: DateTime<Utc>,
    /// When it closed (won or lost); `None` while open.
    #[cfg_attr(feature = "serde", serde(default))]
    pub closed_at: Option<DateTime<Utc>>,
    /// Expected close date while open (Salesforce `CloseDate`), a local date of the reporting
    /// calendar; read by pipeline coverage.
    #[cfg_attr(feature = "serde", serde(default))]
    pub close_date: Option<NaiveDate>,
    /// Deal value (annual contract value or the amount the business books).
    pub amount: Money,
    /// Open, won or lost.
    pub status: DealStatus,
    /// Whether the opportunity passed the team's qualification rule (pipeline velocity and
    /// coverage count qualified pipeline only).
    #[cfg_attr(feature = "serde", serde(default))]
    pub qualified: bool,
    /// The one origin of the deal.
    #[cfg_attr(feature = "serde", serde(default))]
    pub origin: Origin,
    /// The lead source channel, if recorded (a common grouping key).
    #[cfg_attr(feature = "serde", serde(default))]
    pub source: Option<ChannelId>,
    /// The account buying, if recorded.
    #[cfg_attr(feature = "serde", serde(default))]
    pub account: Option<AccountId>,
    /// The lead the opportunity came from, if recorded.
    #[cfg_attr(feature = "serde", serde(default))]
    pub lead: Option<LeadId>,
    /// The deal stage it is in (open) or closed from, as the funnel names it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub stage: Option<StageId>,
    /// The forecast category, if the CRM records one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub forecast_category: Option<ForecastCategory>,
    /// The contacts on the opportunity (Salesforce `OpportunityContactRole`, HubSpot deal
    /// associations), in the order recorded; empty when the CRM export does not say. Their
    /// buying roles are on the [`Contact`](super::Contact) facts; read by buying-group
    /// coverage ([`BuyingGroup::coverage`](crate::icp::BuyingGroup::coverage)).
    #[cfg_attr(feature = "serde", serde(default))]
    pub contacts: Vec<ContactId>,
}

impl Deal {
    /// A deal with the required fields; the rest default to not closed, no close date, not
    /// qualified, origin [`Origin::Other`], no source, account, lead, stage, forecast
    /// category or contacts. Set them with the chained setters.
    #[must_use]
    pub fn new(id: OpportunityId, created_at: DateTime<Utc>, amount: Money, status: DealStatus) -> Deal {
        Deal {
            id,
            created_at,
            closed_at: None,
            close_date: None,
            amount,
            status,
            qualified: false,
            origin: Origin::Other,
            source: None,
            account: None,
            lead: None,
            stage: None,
            forecast_category: None,
            contacts: Vec::new(),
        }
    }

    /// Sets `closed_at`.
    #[must_use]
    pub fn closed_at(mut self, closed_at: Option<DateTime<Utc>>) -> Deal {
        self.closed_at = closed_at;
        self
    }

    /// Sets the expected close date.
    #[must_use]
    pub fn close_date(mut self, close_date: Option<NaiveDate>) -> Deal {
        self.close_date = close_date;
        self
    }

    /// Sets `qualified`.
    #[must_use]
    pub fn qualified(mut self, qualified: bool) -> Deal {
        self.qualified = qualified;
        self
    }

    /// Sets the origin.
    #[must_use]
    pub fn origin(mut self, origin: Origin) -> Deal {
        self.origin = origin;
        self
    }

    /// Sets the lead source.
    #[must_use]
    pub fn source(mut self, source: Option<ChannelId>) -> Deal {
        self.source = source;
        self
    }

    /// Sets the account.
    #[must_use]
    pub fn account(mut self, account: Option<AccountId>) -> Deal {
        self.account = account;
        self
    }

    /// Sets the lead the opportunity came from.
    #[must_use]
    pub fn lead(mut self, lead: Option<LeadId>) -> Deal {
        self.lead = lead;
        self
    }

    /// Sets the deal stage.
    #[must_use]
    pub fn stage(mut self, stage: Option<StageId>) -> Deal {
        self.stage = stage;
        self
    }

    /// Sets the forecast category.
    #[must_use]
    pub const fn forecast_category(mut self, category: Option<ForecastCategory>) -> Deal {
        self.forecast_category = category;
        self
    }

    /// Sets the contacts on the opportunity.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::{ContactId, Currency, Money, OpportunityId};
    ///
    /// let at = Utc.with_ymd_and_hms(2024, 5, 2, 0, 0, 0).single().unwrap_or_default();
    /// let deal = Deal::new(OpportunityId::new("opp-7")?, at, Money::from_minor(100, Currency::USD), DealStatus::Won)
    ///     .contacts([ContactId::new("C-1")?, ContactId::new("C-2")?]);
    /// assert_eq!(deal.contacts.len(), 2);
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn contacts(mut self, contacts: impl IntoIterator<Item = ContactId>) -> Deal {
        self.contacts = contacts.into_iter().collect();
        self
    }

    /// Checks the consistency rules of the type documentation.
    ///
    /// # Errors
    /// [`ErrorKind::InconsistentRecord`] if the status and `closed_at` disagree;
    /// [`ErrorKind::CloseBeforeCreate`]; [`ErrorKind::Negative`]; each naming the deal.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use revops::facts::{Deal, DealStatus};
    /// use revops::{Currency, ErrorKind, Money, OpportunityId};
    ///
    /// let t = |d| Utc.with_ymd_and_hms(2024, 5, d, 0, 0, 0).single().unwrap_or_default();
    /// let id = OpportunityId::new("opp-7")?;
    /// let won = Deal::new(id.clone(), t(2), Money::from_minor(10_000_00, Currency::USD), DealStatus::Won);
    ///
    /// // Won, but the CRM row has no close time.
    /// let err = won.check().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InconsistentRecord { .. }));
    /// assert!(err.to_string().contains("opp-7")); // names the deal
    /// // Closed before it was created, or a negative amount: refused too.
    /// assert!(won.clone().closed_at(Some(t(1))).check().is_err());
    /// let refund = Deal::new(id, t(2), Money::from_minor(-500_00, Currency::USD), DealStatus::Won);
    /// assert!(refund.closed_at(Some(t(3))).check().is_err());
    ///
    /// won.closed_at(Some(t(3))).check()?;
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[inline]
    pub fn check(&self) -> Result<(), Error> {
        let closed = self.status.is_closed();
        let fine = match self.closed_at {
            Some(closed_at) => closed && closed_at >= self.created_at,
            None => !closed,
        };
        if fine && !self.amount.amount().is_sign_negative() {
            return Ok(());
        }
        self.check_slow()
    }

    #[cold]
    #[inline(never)]
    fn check_slow(&self) -> Result<(), Error> {
        match (self.status.is_closed(), self.closed_at) {
            (true, None) => {
                return Err(ErrorKind::InconsistentRecord { reason: "a won or lost deal needs closed_at" }
                    .about(Record::Deal(self.id.clone())));
            }
            (false, Some(_)) => {
                return Err(ErrorKind::InconsistentRecord { reason: "an open deal has a closed_at" }
                    .about(Record::Deal(self.id.clone())));
            }
            (_, Some(closed_at)) if closed_at < self.created_at => {
                return Err(ErrorKind::CloseBeforeCreate { created_at: self.created_at, closed_at }
                    .about(Record::Deal(self.id.clone())));
            }
            _ => {}
        }
        if self.amount.is_negative() {
            return Err(ErrorKind::Negative { field: "amount", value: self.amount.amount().to_string() }
                .about(Record::Deal(self.id.clone())));
        }
        Ok(())
    }

    /// Whether the deal was open at `at`: created at or before it and not closed by then.
    #[must_use]
    #[inline]
    pub fn is_open_at(&self, at: DateTime<Utc>) -> bool {
        self.created_at <= at && self.closed_at.is_none_or(|c| c > at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn consistency_errors_name_the_deal() {
        let id = OpportunityId::new("o7").unwrap();
        let usd = |m| Money::from_minor(m, Currency::USD);
        let ok = Deal::new(id.clone(), t(2), usd(100), DealStatus::Won).closed_at(Some(t(3)));
        assert!(ok.check().is_ok());
        assert!(ok.is_open_at(t(2)) && !ok.is_open_at(t(3)) && !ok.is_open_at(t(1)));
        let err = ok.clone().closed_at(Some(t(1))).check().unwrap_err();
        assert_eq!(
            err.to_string(),
            "deal `o7`: closes at 2024-01-01 00:00:00 UTC before it was created at 2024-01-02 00:00:00 UTC"
        );
        assert_eq!(
            ok.clone().closed_at(None).check().unwrap_err().to_string(),
            "deal `o7`: inconsistent record: a won or lost deal needs closed_at"
        );
        let open = DealStatus::open_percent(&id, dec!(50)).unwrap();
        let err = Deal::new(id.clone(), t(2), usd(1), open).closed_at(Some(t(3))).check().unwrap_err();
        assert_eq!(err.to_string(), "deal `o7`: inconsistent record: an open deal has a closed_at");
        assert_eq!(
            Deal::new(id.clone(), t(2), usd(-100), DealStatus::Won).closed_at(Some(t(3))).check().unwrap_err(),
            ErrorKind::Negative { field: "amount", value: "-1.00".into() }
        );
        let err = DealStatus::open_percent(&id, dec!(101)).unwrap_err();
        assert_eq!(
            err,
            ErrorKind::ProbabilityOutOfRange { value: dec!(101), scale: "percent", max: Decimal::ONE_HUNDRED }
        );
        assert_eq!(err.record(), Some(&Record::Deal(id.clone())));
        assert_eq!(Origin::ALL.map(Origin::as_str), ["marketing", "sales", "partner", "other"]);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn deal_wire_format() {
        let json = r#"{"id":"o1","created_at":"2024-01-01T00:00:00Z","amount":{"amount":"10.00","currency":"USD"},
            "status":{"open":{"probability":"0.25"}},"qualified":true}"#;
        let deal: Deal = serde_json::from_str(json).unwrap();
        assert_eq!(deal.status, DealStatus::Open { probability: Probability::from_percent(25).unwrap() });
        assert_eq!(deal.origin, Origin::Other);
        let back: Deal = serde_json::from_str(&serde_json::to_string(&deal).unwrap()).unwrap();
        assert_eq!(back, deal);
        assert!(serde_json::from_str::<Deal>(&json.replace("\"qualified\"", "\"qualifed\"")).is_err());
    }
}
