//! Which record an error is about: [`Record`], its kind and its id.

use core::fmt;

use crate::{AccountId, ContactId, JourneyId, LeadId, OpportunityId};

/// The record (a fact of the caller's data) an [`Error`](crate::Error) is about: its kind and
/// its id, so a service can point at the row to fix without parsing the message.
///
/// Every error raised while checking or tallying a record carries one
/// ([`Error::record`](crate::Error::record)); errors about a definition carry none. Kinds that
/// are always about one record type name it in their own fields (a journey's touch out of
/// order names the journey and the touch); the record here is then the same one.
///
/// # Example
///
/// ```
/// use chrono::DateTime;
/// use revops::facts::{Deal, DealStatus};
/// use revops::{Currency, ErrorKind, Money, OpportunityId, Record};
///
/// let created = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
/// let id = OpportunityId::new("opp-7")?;
/// let deal = Deal::new(id.clone(), created, Money::from_minor(-100, Currency::USD), DealStatus::open_percent(&id, 50.into())?);
/// let Err(err) = deal.check() else { return Err(ErrorKind::Empty { what: "expected an error" }.into()) };
/// assert_eq!(err.record(), Some(&Record::Deal(id)));
/// assert_eq!(err.record().map(Record::kind), Some("deal"));
/// assert!(matches!(err.kind(), ErrorKind::Negative { field: "amount", .. }));
/// assert_eq!(err.to_string(), "deal `opp-7`: amount must not be negative, got -1.00");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Record {
    /// An account.
    Account(AccountId),
    /// A contact.
    Contact(ContactId),
    /// A lead, or one of its facts (a disposition, a response, a milestone).
    Lead(LeadId),
    /// A deal (an opportunity).
    Deal(OpportunityId),
    /// A journey.
    Journey(JourneyId),
    /// One touch of a journey, by its 0-based position.
    Touch {
        /// The journey.
        journey: JourneyId,
        /// The touch's position in the journey (0-based).
        index: usize,
    },
    /// A spend line, described by its period start, kind, and channel and campaign if traced
    /// (spend lines have no id of their own).
    Spend(String),
    /// A journey of a columnar batch, by its 0-based position in the batch.
    BatchJourney(usize),
    /// A line of a text table (1-based), e.g. an aggregated path table.
    Line(usize),
}

impl Record {
    /// The record's kind as a stable `snake_case` key: `"account"`, `"contact"`, `"lead"`,
    /// `"deal"`, `"journey"`, `"touch"`, `"spend"`, `"batch_journey"` or `"line"`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Record::Account(_) => "account",
            Record::Contact(_) => "contact",
            Record::Lead(_) => "lead",
            Record::Deal(_) => "deal",
            Record::Journey(_) => "journey",
            Record::Touch { .. } => "touch",
            Record::Spend(_) => "spend",
            Record::BatchJourney(_) => "batch_journey",
            Record::Line(_) => "line",
        }
    }
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Record::Account(id) => write!(f, "account `{id}`"),
            Record::Contact(id) => write!(f, "contact `{id}`"),
            Record::Lead(id) => write!(f, "lead `{id}`"),
            Record::Deal(id) => write!(f, "deal `{id}`"),
            Record::Journey(id) => write!(f, "journey `{id}`"),
            Record::Touch { journey, index } => write!(f, "touch {index} of journey `{journey}`"),
            Record::Spend(what) => write!(f, "spend `{what}`"),
            Record::BatchJourney(index) => write!(f, "journey {index} of the batch"),
            Record::Line(line) => write!(f, "line {line}"),
        }
    }
}

/// Something that names a [`Record`], or no record at all (a definition's parameter): what the
/// crate's checks take so that the record is built only when an error is.
pub(crate) trait Subject {
    /// The record, if the subject is one.
    fn record(&self) -> Option<Record>;
}

impl Subject for OpportunityId {
    fn record(&self) -> Option<Record> {
        Some(Record::Deal(self.clone()))
    }
}

impl Subject for LeadId {
    fn record(&self) -> Option<Record> {
        Some(Record::Lead(self.clone()))
    }
}

impl Subject for AccountId {
    fn record(&self) -> Option<Record> {
        Some(Record::Account(self.clone()))
    }
}

/// A definition's parameter, named by its field: no record.
impl Subject for &str {
    fn record(&self) -> Option<Record> {
        None
    }
}

impl crate::Error {
    /// The error, about `subject`'s record if it names one.
    #[cold]
    pub(crate) fn about_subject(self, subject: &dyn Subject) -> crate::Error {
        match subject.record() {
            Some(record) => self.about(record),
            None => self,
        }
    }
}
