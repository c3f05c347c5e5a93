//! [`WaterfallDefinition`]: the period, `as_of`, reach rule, aging edges and percentiles of a
//! funnel waterfall, validated on construction and on deserialize.

use chrono::{DateTime, Utc};

use crate::funnel::Reach;
use crate::{Error, ErrorKind, Period};

/// The default aging edges in days: `[0,30) [30,60) [60,90) [90,180) [180,inf)`.
pub const DEFAULT_AGING_EDGES: [u32; 5] = [0, 30, 60, 90, 180];

/// What a [`WaterfallTally`](super::WaterfallTally) measures
/// ([definitions, section 8](crate::definitions::waterfall)).
///
/// - `period`: the half-open cohort period: an entity is *entered* at a stage when its entry
///   into the stage is in it; a visit counts in time in stage when it *exits* in it; an entity
///   counts in the outcomes (win rate, cycle) when it *closes* in it.
/// - `as_of`: the instant the waterfall is read; changes after it are ignored, open visits and
///   aging are measured up to it.
/// - `reach`: [`Reach::Strict`] (entry into the stage itself) or [`Reach::OrBeyond`] (entry into
///   the stage or any later open or won stage: a skip counts as passing the skipped stage).
/// - `aging_edges`: the lower edges in days of the half-open aging buckets, strictly
///   increasing, starting at 0; the last bucket is unbounded.
/// - `percentiles`: extra nearest-rank percentiles of time in stage, each in `1..=100`,
///   strictly increasing (the median, p25, p75 and p90 are always given).
///
/// Wire format (feature `serde`): `{"period": {"start", "end"}, "as_of": RFC 3339,
/// "reach": "strict" | "or_beyond", "aging_edges": [0, 30, ...], "percentiles": [95, 99]}`,
/// validated on read as [`WaterfallDefinition::new`] validates.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use revops::funnel::Reach;
/// use revops::metrics::WaterfallDefinition;
/// use revops::Period;
///
/// let as_of = Utc.with_ymd_and_hms(2024, 7, 1, 0, 0, 0).single().unwrap_or_default();
/// let def = WaterfallDefinition::new(Period::all_time(), as_of, Reach::OrBeyond)?
///     .with_aging_edges(vec![0, 14, 45])?
///     .with_percentiles(vec![95])?;
/// assert_eq!(def.aging_edges(), [0, 14, 45]);
/// assert!(WaterfallDefinition::new(Period::all_time(), as_of, Reach::Strict)?.with_aging_edges(vec![5, 10]).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "DefinitionRepr", into = "DefinitionRepr")
)]
pub struct WaterfallDefinition {
    period: Period,
    as_of: DateTime<Utc>,
    reach: Reach,
    aging_edges: Vec<u32>,
    percentiles: Vec<u8>,
}

impl WaterfallDefinition {
    /// A definition with the default aging edges ([`DEFAULT_AGING_EDGES`]) and no extra
    /// percentile.
    ///
    /// # Errors
    /// Infallible today; kept fallible so the definition can add checks.
    pub fn new(period: Period, as_of: DateTime<Utc>, reach: Reach) -> Result<WaterfallDefinition, Error> {
        Ok(WaterfallDefinition {
            period,
            as_of,
            reach,
            aging_edges: DEFAULT_AGING_EDGES.to_vec(),
            percentiles: Vec::new(),
        })
    }

    /// Replaces the aging edges.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] for no edge; [`ErrorKind::InvalidValue`] if the first edge is not 0
    /// or the edges do not strictly increase.
    pub fn with_aging_edges(mut self, edges: Vec<u32>) -> Result<WaterfallDefinition, Error> {
        check_edges(&edges)?;
        self.aging_edges = edges;
        Ok(self)
    }

    /// Replaces the extra percentiles.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for a percentile outside `1..=100` or not strictly increasing.
    pub fn with_percentiles(mut self, percentiles: Vec<u8>) -> Result<WaterfallDefinition, Error> {
        check_percentiles(&percentiles)?;
        self.percentiles = percentiles;
        Ok(self)
    }

    /// The cohort period.
    #[must_use]
    pub const fn period(&self) -> Period {
        self.period
    }

    /// The instant the waterfall is read.
    #[must_use]
    pub const fn as_of(&self) -> DateTime<Utc> {
        self.as_of
    }

    /// The reach rule.
    #[must_use]
    pub const fn reach(&self) -> Reach {
        self.reach
    }

    /// The aging buckets' lower edges in days.
    #[must_use]
    pub fn aging_edges(&self) -> &[u32] {
        &self.aging_edges
    }

    /// The extra percentiles of time in stage.
    #[must_use]
    pub fn percentiles(&self) -> &[u8] {
        &self.percentiles
    }

    /// The aging bucket of `days` open (`days >= 0`).
    pub(super) fn bucket(&self, days: i64) -> usize {
        self.aging_edges.partition_point(|&e| i64::from(e) <= days).saturating_sub(1)
    }
}

fn check_edges(edges: &[u32]) -> Result<(), Error> {
    match edges.first() {
        None => return Err(ErrorKind::Empty { what: "waterfall aging edges" }.into()),
        Some(&first) if first != 0 => {
            return Err(ErrorKind::InvalidValue {
                field: "aging_edges",
                value: first.to_string(),
                reason: "the first aging edge must be 0 days",
            }
            .into());
        }
        Some(_) => {}
    }
    if let Some(w) = edges.windows(2).find(|w| w.first() >= w.get(1)) {
        return Err(ErrorKind::InvalidValue {
            field: "aging_edges",
            value: format!("{w:?}"),
            reason: "aging edges must strictly increase",
        }
        .into());
    }
    Ok(())
}

fn check_percentiles(percentiles: &[u8]) -> Result<(), Error> {
    if let Some(p) = percentiles.iter().find(|p| !(1..=100).contains(*p)) {
        return Err(ErrorKind::InvalidValue {
            field: "percentiles",
            value: p.to_string(),
            reason: "a percentile must be in 1..=100",
        }
        .into());
    }
    if let Some(w) = percentiles.windows(2).find(|w| w.first() >= w.get(1)) {
        return Err(ErrorKind::InvalidValue {
            field: "percentiles",
            value: format!("{w:?}"),
            reason: "percentiles must strictly increase",
        }
        .into());
    }
    Ok(())
}

/// Wire shape of [`WaterfallDefinition`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DefinitionRepr {
    period: Period,
    as_of: DateTime<Utc>,
    reach: Reach,
    #[serde(default = "default_edges")]
    aging_edges: Vec<u32>,
    #[serde(default)]
    percentiles: Vec<u8>,
}

#[cfg(feature = "serde")]
fn default_edges() -> Vec<u32> {
    DEFAULT_AGING_EDGES.to_vec()
}

#[cfg(feature = "serde")]
impl TryFrom<DefinitionRepr> for WaterfallDefinition {
    type Error = Error;
    fn try_from(r: DefinitionRepr) -> Result<WaterfallDefinition, Error> {
        WaterfallDefinition::new(r.period, r.as_of, r.reach)?
            .with_aging_edges(r.aging_edges)?
            .with_percentiles(r.percentiles)
    }
}

#[cfg(feature = "serde")]
impl From<WaterfallDefinition> for DefinitionRepr {
    fn from(d: WaterfallDefinition) -> DefinitionRepr {
        DefinitionRepr {
            period: d.period,
            as_of: d.as_of,
            reach: d.reach,
            aging_edges: d.aging_edges,
            percentiles: d.percentiles,
        }
    }
}
