//! [`StageOrder`]: the order of a funnel's stages, as stage conversion reads it.

use crate::{Error, StageId};

/// The order of the funnel's stages, first to last: the explicit input stage conversion
/// needs for reached-or-beyond semantics and to reject unknown stages.
///
/// Some stages may be marked **terminal** (won, lost): under reached-or-beyond semantics a
/// terminal stage is reached only by entering it (a lost deal has passed every open stage but
/// has not reached won), the rule of [`Funnel::is_at_or_beyond`](crate::funnel::Funnel::is_at_or_beyond).
/// `StageOrder::from(&funnel)` takes the funnel's ordered stages and marks its won and lost
/// stages terminal, so metrics and the funnel agree on what "reached" means.
///
/// On the wire (feature `serde`): `{"stages": ["lead", ...], "terminal": ["won", "lost"]}`,
/// `terminal` optional; validated on read.
///
/// # Example
///
/// ```
/// use revops::metrics::StageOrder;
///
/// let order = StageOrder::new(["lead", "mql", "sql", "won"])?;
/// assert_eq!(order.position("sql"), Some(2));
/// assert!(StageOrder::new(["mql", "mql"]).is_err());
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
    /// Validates the stages: at least one, no repeats, each a valid [`StageId`].
    ///
    /// # Errors
    /// [`Error::InvalidId`] for a malformed stage id; [`Error::InvalidValue`] (field
    /// `"stage order"`) if the list is empty or names a stage twice.
    pub fn new<S: AsRef<str>>(stages: impl IntoIterator<Item = S>) -> Result<StageOrder, Error> {
        let stages = stages.into_iter().map(|s| StageId::new(s.as_ref())).collect::<Result<Vec<StageId>, Error>>()?;
        if stages.is_empty() {
            return Err(Error::InvalidValue {
                field: "stage order",
                value: String::new(),
                reason: "must name at least one stage",
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for stage in &stages {
            if !seen.insert(stage) {
                return Err(Error::InvalidValue {
                    field: "stage order",
                    value: stage.to_string(),
                    reason: "names a stage twice",
                });
            }
        }
        let terminal = vec![false; stages.len()];
        Ok(StageOrder { stages, terminal })
    }

    /// Like [`StageOrder::new`], marking the stages in `terminal` as reached only by entering
    /// them (won, lost).
    ///
    /// # Errors
    /// As [`StageOrder::new`]; [`Error::StageOutsideOrder`] for a terminal stage that is not in
    /// `stages`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::metrics::StageOrder;
    ///
    /// let order = StageOrder::with_terminal(["lead", "mql", "won", "lost"], ["won", "lost"])?;
    /// let (won, lost, mql) = (order.position("won").unwrap(), order.position("lost").unwrap(), 1);
    /// assert!(order.is_at_or_beyond(lost, mql));   // a lost lead passed MQL
    /// assert!(!order.is_at_or_beyond(lost, won));  // but did not reach won
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn with_terminal<S: AsRef<str>, T: AsRef<str>>(
        stages: impl IntoIterator<Item = S>,
        terminal: impl IntoIterator<Item = T>,
    ) -> Result<StageOrder, Error> {
        let mut order = StageOrder::new(stages)?;
        for t in terminal {
            let Some(pos) = order.position(t.as_ref()) else {
                return Err(Error::StageOutsideOrder {
                    record: "terminal stages of a stage order".to_owned(),
                    stage: StageId::new(t.as_ref())?,
                });
            };
            if let Some(slot) = order.terminal.get_mut(pos) {
                *slot = true;
            }
        }
        Ok(order)
    }

    /// An order the crate built from distinct, valid stages (testkit).
    #[cfg_attr(not(feature = "testkit"), allow(dead_code))]
    pub(crate) fn trusted(stages: Vec<StageId>) -> StageOrder {
        debug_assert!(!stages.is_empty());
        let terminal = vec![false; stages.len()];
        StageOrder { stages, terminal }
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

impl TryFrom<Vec<StageId>> for StageOrder {
    type Error = Error;
    fn try_from(stages: Vec<StageId>) -> Result<StageOrder, Error> {
        StageOrder::new(stages)
    }
}

impl From<StageOrder> for Vec<StageId> {
    fn from(order: StageOrder) -> Vec<StageId> {
        order.stages
    }
}
