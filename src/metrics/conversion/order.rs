//! [`StageOrder`]: the order of a funnel's stages, the derived view stage conversion carries.

use crate::StageId;
#[cfg(feature = "serde")]
use crate::{Error, ErrorKind};

/// The order of a [`Funnel`](crate::funnel::Funnel)'s stages, first to last, as a stage
/// conversion definition carries it: a derived view of the funnel, not a second definition.
///
/// Built only from a funnel (`StageOrder::from(&funnel)`: its ordered stages, side and
/// disqualified stages left out, its won and lost stages **terminal**), so metrics and the
/// funnel agree on what "reached" means: under [`Reach::OrBeyond`](crate::funnel::Reach) a
/// terminal stage is reached only by entering it (a lost deal has passed every open stage but
/// has not reached won), the rule of
/// [`Funnel::is_at_or_beyond`](crate::funnel::Funnel::is_at_or_beyond). Why a view exists at
/// all: a definition and a tally's partial state must be self-contained on the wire and
/// compare whole on merge, and a stage's position is what a tally keeps per entry.
///
/// On the wire (feature `serde`) it is the snapshot `{"stages": ["lead", ...], "terminal":
/// ["won", "lost"]}` (`terminal` optional), validated on read (at least one stage, no repeats,
/// terminal stages in the list).
///
/// # Example
///
/// ```
/// use revops::funnel::Funnel;
/// use revops::metrics::StageOrder;
/// use revops::StageId;
///
/// let order = StageOrder::from(&Funnel::demand_waterfall());
/// let names: Vec<&str> = order.stages().iter().map(|s| s.as_str()).collect();
/// assert_eq!(names, ["inquiry", "mql", "sal", "sql", "won", "lost"]); // side stages left out
/// assert_eq!(order.position("sql"), Some(3));
/// assert_eq!(order.position("nurture"), None);
/// let (won, lost, mql) = (order.position("won").unwrap_or(0), order.position("lost").unwrap_or(0), 1);
/// assert!(order.is_at_or_beyond(lost, mql));   // a lost lead passed MQL
/// assert!(!order.is_at_or_beyond(lost, won));  // but did not reach won
/// assert_eq!(order.terminal_stages().collect::<Vec<_>>(), [&StageId::new("won")?, &StageId::new("lost")?]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "StageOrderRepr", into = "StageOrderRepr")
)]
pub struct StageOrder {
    pub(super) stages: Vec<StageId>,
    /// Per position: whether the stage is terminal (reached only by itself).
    pub(super) terminal: Vec<bool>,
}

/// Wire shape of [`StageOrder`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StageOrderRepr {
    stages: Vec<StageId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    terminal: Vec<StageId>,
}

#[cfg(feature = "serde")]
impl TryFrom<StageOrderRepr> for StageOrder {
    type Error = Error;
    fn try_from(repr: StageOrderRepr) -> Result<StageOrder, Error> {
        StageOrder::with_terminal(repr.stages, repr.terminal)
    }
}

#[cfg(feature = "serde")]
impl From<StageOrder> for StageOrderRepr {
    fn from(order: StageOrder) -> StageOrderRepr {
        let terminal = order.stages.iter().zip(&order.terminal).filter(|(_, t)| **t).map(|(s, _)| s.clone()).collect();
        StageOrderRepr { stages: order.stages, terminal }
    }
}

impl From<&crate::funnel::Funnel> for StageOrder {
    /// The funnel's ordered stages (side and disqualified stages are outside the order), with
    /// its won and lost stages terminal.
    fn from(funnel: &crate::funnel::Funnel) -> StageOrder {
        let stages: Vec<StageId> = funnel.stages().iter().map(|s| s.id.clone()).collect();
        let terminal = funnel.stages().iter().map(|s| s.kind.is_terminal()).collect();
        StageOrder { stages, terminal }
    }
}

impl StageOrder {
    /// Validates the stages of a wire snapshot: at least one, no repeats.
    #[cfg(feature = "serde")]
    fn new(stages: Vec<StageId>) -> Result<StageOrder, Error> {
        if stages.is_empty() {
            return Err(ErrorKind::InvalidValue {
                field: "stage order",
                value: String::new(),
                reason: "must name at least one stage",
            }
            .into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for stage in &stages {
            if !seen.insert(stage) {
                return Err(ErrorKind::InvalidValue {
                    field: "stage order",
                    value: stage.to_string(),
                    reason: "names a stage twice",
                }
                .into());
            }
        }
        let terminal = vec![false; stages.len()];
        Ok(StageOrder { stages, terminal })
    }

    /// Like [`StageOrder::new`], marking the stages in `terminal` as reached only by entering
    /// them; a terminal stage outside `stages` is [`ErrorKind::StageOutsideOrder`].
    #[cfg(feature = "serde")]
    pub(super) fn with_terminal(stages: Vec<StageId>, terminal: Vec<StageId>) -> Result<StageOrder, Error> {
        let mut order = StageOrder::new(stages)?;
        for t in terminal {
            let Some(pos) = order.position(t.as_str()) else {
                return Err(ErrorKind::StageOutsideOrder {
                    place: "terminal stages of a stage order".to_owned(),
                    stage: t,
                }
                .into());
            };
            if let Some(slot) = order.terminal.get_mut(pos) {
                *slot = true;
            }
        }
        Ok(order)
    }

    /// The stages marked terminal, in order.
    pub fn terminal_stages(&self) -> impl Iterator<Item = &StageId> {
        self.stages.iter().zip(&self.terminal).filter(|(_, t)| **t).map(|(s, _)| s)
    }

    /// Whether the stage at position `pos` is at or beyond the stage at position `target`:
    /// `pos >= target` for an open target, `pos == target` for a terminal one.
    #[must_use]
    pub fn is_at_or_beyond(&self, pos: usize, target: usize) -> bool {
        if self.terminal.get(target).copied().unwrap_or(false) { pos == target } else { pos >= target }
    }

    /// The stages, first to last.
    #[must_use]
    pub fn stages(&self) -> &[StageId] {
        &self.stages
    }

    /// Position of `stage` (0 for the first), `None` if it is not in the order.
    #[must_use]
    pub fn position(&self, stage: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.as_str() == stage)
    }
}

impl From<StageOrder> for Vec<StageId> {
    fn from(order: StageOrder) -> Vec<StageId> {
        order.stages
    }
}
