//! [`Stage`]: one step of a funnel, with its owner and kind.

use crate::{Error, Probability, StageId};

/// Which team owns a stage: who must act while a lead sits in it.
///
/// # Example
///
/// ```
/// use revops::funnel::{Funnel, Owner};
/// use revops::StageId;
///
/// let funnel = Funnel::demand_waterfall();
/// let sal = funnel.stage(&StageId::new("sal")?).map(|s| s.owner);
/// assert_eq!(sal, Some(Owner::Sales));
/// assert_eq!(Owner::CustomerSuccess.as_str(), "customer_success");
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Owner {
    /// Marketing (subscribers, inquiries, MQLs, nurture).
    Marketing,
    /// Sales (SAL, SQL, opportunities).
    Sales,
    /// Both teams (e.g. a joint buyer-language stage, or `other`).
    Shared,
    /// Customer success (customers, evangelists).
    CustomerSuccess,
}

impl Owner {
    /// The snake-case key, e.g. `"customer_success"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Owner::Marketing => "marketing",
            Owner::Sales => "sales",
            Owner::Shared => "shared",
            Owner::CustomerSuccess => "customer_success",
        }
    }
}

/// What kind of stage this is, which decides where it may sit in a funnel and whether a lead
/// can leave it.
///
/// - `Open`, `Won` and `Lost` stages sit in the funnel's explicit order; won and lost come
///   after every open stage.
/// - `Disqualified` and `Side` stages sit outside the order (`HubSpot`'s `other`, a nurture
///   pool): they have no position and are neither ahead of nor behind any stage.
/// - `Won`, `Lost` and `Disqualified` are terminal: no move leaves them (our rule, even with a
///   manual override; reopen a deal as a new record).
///
/// # Example
///
/// ```
/// use revops::funnel::StageKind;
///
/// assert!(StageKind::Won.is_terminal() && StageKind::Won.is_ordered());
/// assert!(StageKind::Disqualified.is_terminal() && !StageKind::Disqualified.is_ordered());
/// assert!(!StageKind::Side.is_terminal() && !StageKind::Side.is_ordered());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum StageKind {
    /// A working stage in the order.
    Open,
    /// Closed won (terminal, in the order).
    Won,
    /// Closed lost (terminal, in the order).
    Lost,
    /// Out of the funnel for good (terminal, outside the order).
    Disqualified,
    /// A side stage outside the order, such as `HubSpot`'s `other` or a nurture pool.
    Side,
}

impl StageKind {
    /// Won, lost and disqualified stages are terminal: no move leaves them.
    #[must_use]
    pub const fn is_terminal(self) -> bool {
        matches!(self, StageKind::Won | StageKind::Lost | StageKind::Disqualified)
    }

    /// Whether a stage of this kind sits in the funnel's order (open, won, lost).
    #[must_use]
    pub const fn is_ordered(self) -> bool {
        matches!(self, StageKind::Open | StageKind::Won | StageKind::Lost)
    }
}

/// One stage of a funnel (a passive record: the [`Funnel`](super::Funnel) validates how
/// stages fit together).
///
/// # Example
///
/// ```
/// use revops::funnel::{Owner, Stage, StageKind};
/// use revops::Probability;
/// use rust_decimal_macros::dec;
///
/// let sql = Stage::new("sql", "Sales qualified lead", Owner::Sales, StageKind::Open)?
///     .with_description("Sales confirmed budget, authority, need and timing")
///     .with_probability(Probability::from_percent(20)?);
/// assert_eq!(sql.id.as_str(), "sql");
/// assert_eq!(sql.description, "Sales confirmed budget, authority, need and timing");
/// assert_eq!(sql.probability, Some(Probability::from_percent(20)?));
///
/// // The id must be a valid stage key.
/// assert!(Stage::new("Sales Qualified", "SQL", Owner::Sales, StageKind::Open).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/stage.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Stage {
    /// Stable key used by histories, SLAs and metrics, e.g. `mql`.
    pub id: StageId,
    /// Human-readable name, e.g. "Marketing qualified lead".
    pub name: String,
    /// What the stage means, in the words both teams signed.
    #[cfg_attr(feature = "serde", serde(default))]
    pub description: String,
    /// Who owns leads in this stage.
    pub owner: Owner,
    /// Open, won, lost, disqualified or side.
    pub kind: StageKind,
    /// Default probability that a lead in this stage closes won (for weighted pipeline).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub probability: Option<Probability>,
}

impl Stage {
    /// A stage with an empty description and no default probability.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidId`](crate::ErrorKind::InvalidId) if `id` is not a valid [`StageId`].
    pub fn new(id: &str, name: impl Into<String>, owner: Owner, kind: StageKind) -> Result<Stage, Error> {
        Ok(Stage {
            id: StageId::new(id)?,
            name: name.into(),
            description: String::new(),
            owner,
            kind,
            probability: None,
        })
    }

    /// Sets the description.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Stage {
        self.description = description.into();
        self
    }

    /// Sets the default probability.
    #[must_use]
    pub fn with_probability(mut self, probability: Probability) -> Stage {
        self.probability = Some(probability);
        self
    }
}
