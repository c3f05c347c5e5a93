//! [`AccountEngagementModel`]: the account engagement definition, and its [`EngagementDecay`].

use std::collections::BTreeSet;

use crate::{Error, ErrorKind};

pub(super) const DAY_SECONDS: i64 = 86_400;
const MAX_POINTS: i64 = 1_000_000;
const MAX_CAP: i64 = 100_000_000;
const MAX_WEIGHT_PERCENT: u32 = 1_000;
pub(super) const MAX_GROUPS: usize = 64;

/// How an activity's points fade with its age `as_of - at`.
///
/// # Wire format
///
/// `"none"`, `{ "half_life": { "days": 30 } }`, `{ "linear": { "lifespan_days": 90 } }`,
/// `{ "window": { "days": 90 } }`, `{ "step": { "percent": 50, "interval_days": 30 } }`; days at
/// least 1, percent from 1 to 100.
///
/// # Example
///
/// ```
/// use revops::icp::EngagementDecay;
///
/// let madkudu: EngagementDecay = serde_json::from_str(r#"{ "linear": { "lifespan_days": 90 } }"#)?;
/// assert_eq!(madkudu, EngagementDecay::Linear { lifespan_days: 90 });
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
pub enum EngagementDecay {
    /// Points never fade.
    #[default]
    None,
    /// `points x 0.5^(age / half_life)` (lead scoring's default, definitions section 2).
    HalfLife {
        /// The half-life in days.
        days: u32,
    },
    /// `points x (1 - age / lifespan)` while `age < lifespan`, 0 after (`MadKudu`).
    Linear {
        /// The lifespan in days.
        lifespan_days: u32,
    },
    /// Full points while `age < days`, none after (HubSpot's time frame).
    Window {
        /// The window in days.
        days: u32,
    },
    /// `points x (1 - percent / 100)^n`, `n` the whole intervals elapsed (HubSpot's decay, our
    /// reading: a step each interval).
    Step {
        /// The percent lost each interval.
        percent: u8,
        /// The interval in days.
        interval_days: u32,
    },
}

/// A named group of activity kinds with points, a weight and an optional cap.
///
/// # Wire format
///
/// `{ "key": "events", "points": { "webinar": 10 }, "weight_percent": 200, "cap": 50 }`:
/// points whole, 0 to 1,000,000; `weight_percent` 0 to 1,000 (default 100); `cap` whole points,
/// optional.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
pub struct EngagementGroup {
    /// Unique key of the group.
    pub key: String,
    /// Points per activity kind.
    pub points: std::collections::BTreeMap<String, i64>,
    /// Weight in percent applied to every activity of the group (Demandbase's weightings).
    #[cfg_attr(feature = "serde", serde(default = "hundred"))]
    pub weight_percent: u32,
    /// Most points the group contributes to an account.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub cap: Option<i64>,
}

#[cfg(feature = "serde")]
fn hundred() -> u32 {
    100
}

impl EngagementGroup {
    /// A group `key` with `(kind, points)` rules, weight 100% and no cap.
    pub fn new<'a>(key: &str, points: impl IntoIterator<Item = (&'a str, i64)>) -> EngagementGroup {
        EngagementGroup {
            key: key.to_owned(),
            points: points.into_iter().map(|(k, p)| (k.to_owned(), p)).collect(),
            weight_percent: 100,
            cap: None,
        }
    }

    /// Sets the cap.
    #[must_use]
    pub fn with_cap(mut self, cap: i64) -> EngagementGroup {
        self.cap = Some(cap);
        self
    }

    /// Sets the weight in percent.
    #[must_use]
    pub fn with_weight_percent(mut self, weight: u32) -> EngagementGroup {
        self.weight_percent = weight;
        self
    }
}

/// The account engagement model both teams signed ([definitions, section 11](crate::definitions::account_engagement) for the rules).
///
/// # Wire format
///
/// `{ "groups": [ ... ], "decay": { "linear": { "lifespan_days": 90 } }, "contact_cap": 30, "total_cap": 100 }`:
/// groups as [`EngagementGroup`] (1 to 64, keys unique, each activity kind in one group only),
/// `decay` as [`EngagementDecay`] (default `"none"`), caps optional whole points from 0 to
/// 100,000,000. Deserializing validates like [`AccountEngagementModel::new`].
///
/// # Example
///
/// ```
/// use revops::icp::{AccountEngagementModel, EngagementDecay, EngagementGroup};
///
/// let model = AccountEngagementModel::new(
///     vec![EngagementGroup::new("events", [("webinar", 10), ("demo_request", 40)]).with_cap(60)],
///     EngagementDecay::Linear { lifespan_days: 90 },
/// )?
/// .with_contact_cap(Some(30))?
/// .with_total_cap(Some(100))?;
/// assert_eq!((model.contact_cap(), model.total_cap()), (Some(30), Some(100)));
/// let json = serde_json::to_string(&model).map_err(|_| revops::ErrorKind::Overflow { op: "json" })?;
/// assert!(serde_json::from_str::<AccountEngagementModel>(&json.replace("\"cap\":60", "\"cap\":-1")).is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "ModelRepr", into = "ModelRepr")
)]
pub struct AccountEngagementModel {
    groups: Vec<EngagementGroup>,
    decay: EngagementDecay,
    contact_cap: Option<i64>,
    total_cap: Option<i64>,
    /// `(kind, group index, points x weight_percent)` sorted by kind length, then kind
    /// ([`by_length`]): the hot-path index.
    index: Vec<(String, usize, i64)>,
}

/// Wire shape of [`AccountEngagementModel`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelRepr {
    groups: Vec<EngagementGroup>,
    #[serde(default)]
    decay: EngagementDecay,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contact_cap: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    total_cap: Option<i64>,
}

#[cfg(feature = "serde")]
impl TryFrom<ModelRepr> for AccountEngagementModel {
    type Error = Error;
    fn try_from(r: ModelRepr) -> Result<AccountEngagementModel, Error> {
        AccountEngagementModel::new(r.groups, r.decay)?.with_contact_cap(r.contact_cap)?.with_total_cap(r.total_cap)
    }
}

#[cfg(feature = "serde")]
impl From<AccountEngagementModel> for ModelRepr {
    fn from(m: AccountEngagementModel) -> ModelRepr {
        ModelRepr { groups: m.groups, decay: m.decay, contact_cap: m.contact_cap, total_cap: m.total_cap }
    }
}

fn invalid(field: &'static str, value: String, reason: &'static str) -> Error {
    ErrorKind::InvalidValue { field, value, reason }.into()
}

fn check_cap(field: &'static str, cap: Option<i64>) -> Result<(), Error> {
    match cap {
        Some(c) if !(0..=MAX_CAP).contains(&c) => {
            Err(invalid(field, c.to_string(), "must be whole points from 0 to 100,000,000"))
        }
        _ => Ok(()),
    }
}

impl AccountEngagementModel {
    /// A model of `groups` with `decay`, no contact cap and no total cap.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the field: no group or more than 64, a blank or repeated
    /// group key or kind, a kind in two groups, points outside 0 to 1,000,000, a weight above
    /// 1,000%, a cap outside 0 to 100,000,000, a decay of 0 days or a step percent outside 1-100.
    pub fn new(groups: Vec<EngagementGroup>, decay: EngagementDecay) -> Result<AccountEngagementModel, Error> {
        if groups.is_empty() || groups.len() > MAX_GROUPS {
            return Err(invalid("engagement groups", groups.len().to_string(), "must be 1 to 64 groups"));
        }
        let days_ok = match decay {
            EngagementDecay::None => true,
            EngagementDecay::HalfLife { days } | EngagementDecay::Window { days } => days >= 1,
            EngagementDecay::Linear { lifespan_days } => lifespan_days >= 1,
            EngagementDecay::Step { percent, interval_days } => interval_days >= 1 && (1..=100).contains(&percent),
        };
        if !days_ok {
            return Err(invalid("engagement decay", format!("{decay:?}"), "days at least 1, percent from 1 to 100"));
        }
        let mut keys = BTreeSet::new();
        let mut index = Vec::new();
        for (i, g) in groups.iter().enumerate() {
            if g.key.trim().is_empty() || !keys.insert(g.key.as_str()) {
                return Err(invalid("engagement group key", g.key.clone(), "must be non-blank and unique"));
            }
            if g.weight_percent > MAX_WEIGHT_PERCENT {
                return Err(invalid("engagement group weight_percent", g.weight_percent.to_string(), "at most 1000"));
            }
            check_cap("engagement group cap", g.cap)?;
            for (kind, &points) in &g.points {
                if kind.trim().is_empty() {
                    return Err(invalid("engagement activity kind", kind.clone(), "must not be blank"));
                }
                if !(0..=MAX_POINTS).contains(&points) {
                    return Err(invalid("engagement points", points.to_string(), "whole points from 0 to 1,000,000"));
                }
                index.push((kind.clone(), i, points * i64::from(g.weight_percent)));
            }
        }
        index.sort();
        if let Some(w) = index.windows(2).find(|w| w.first().map(|a| &a.0) == w.get(1).map(|b| &b.0)) {
            let kind = w.first().map(|a| a.0.clone()).unwrap_or_default();
            return Err(invalid("engagement activity kind", kind, "must be in one group only"));
        }
        // The hot path's order: by length, then bytes, so most steps of the search compare
        // two lengths instead of two strings.
        index.sort_by(|a, b| by_length(&a.0, &b.0));
        Ok(AccountEngagementModel { groups, decay, contact_cap: None, total_cap: None, index })
    }

    /// Sets the cap per contact and group (`None` for none).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the cap is outside 0 to 100,000,000.
    pub fn with_contact_cap(mut self, cap: Option<i64>) -> Result<AccountEngagementModel, Error> {
        check_cap("engagement contact_cap", cap)?;
        self.contact_cap = cap;
        Ok(self)
    }

    /// Sets the cap on an account's total (`None` for none).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if the cap is outside 0 to 100,000,000.
    pub fn with_total_cap(mut self, cap: Option<i64>) -> Result<AccountEngagementModel, Error> {
        check_cap("engagement total_cap", cap)?;
        self.total_cap = cap;
        Ok(self)
    }

    /// The groups, as given.
    #[must_use]
    pub fn groups(&self) -> &[EngagementGroup] {
        &self.groups
    }

    /// The decay.
    #[must_use]
    pub const fn decay(&self) -> EngagementDecay {
        self.decay
    }

    /// The cap per contact and group, in whole points.
    #[must_use]
    pub const fn contact_cap(&self) -> Option<i64> {
        self.contact_cap
    }

    /// The cap on an account's total, in whole points.
    #[must_use]
    pub const fn total_cap(&self) -> Option<i64> {
        self.total_cap
    }

    /// The group index and the weighted points in hundredths of `kind`.
    pub(super) fn rule(&self, kind: &str) -> Option<(usize, i64)> {
        let i = self.index.binary_search_by(|e| by_length(&e.0, kind)).ok()?;
        self.index.get(i).map(|e| (e.1, e.2))
    }

    /// `hundredths` decayed by `age_seconds` (not negative), rounded to a whole hundredth.
    pub(super) fn decayed(&self, hundredths: i64, age_seconds: i64) -> i64 {
        match self.decay {
            EngagementDecay::None => hundredths,
            EngagementDecay::Window { days } => {
                if age_seconds < i64::from(days) * DAY_SECONDS {
                    hundredths
                } else {
                    0
                }
            }
            EngagementDecay::Linear { lifespan_days } => {
                let life = i64::from(lifespan_days) * DAY_SECONDS;
                if age_seconds >= life {
                    0
                } else if let Some(num) = hundredths.checked_mul(life - age_seconds) {
                    div_half_even(num, life) // the common case, in 64 bits
                } else {
                    let wide = div_half_even(i128::from(hundredths) * i128::from(life - age_seconds), i128::from(life));
                    i64::try_from(wide).unwrap_or(0)
                }
            }
            EngagementDecay::HalfLife { days } => {
                let factor = float::half_life(age_seconds, i64::from(days) * DAY_SECONDS);
                float::scale(hundredths, factor)
            }
            EngagementDecay::Step { percent, interval_days } => {
                let steps = age_seconds / (i64::from(interval_days) * DAY_SECONDS);
                float::scale(hundredths, float::step(percent, steps))
            }
        }
    }
}

/// The index order of activity kinds: by length, then bytes (a total order, so the index
/// can be binary searched in it).
fn by_length(a: &str, b: &str) -> core::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `num / den` rounded half to even; `num >= 0`, `den > 0`.
fn div_half_even<T>(num: T, den: T) -> T
where
    T: Copy + Ord + From<u8> + core::ops::Div<Output = T> + core::ops::Rem<Output = T> + core::ops::Add<Output = T>,
    T: core::ops::Mul<Output = T>,
{
    let (q, r) = (num / den, num % den);
    let two = T::from(2);
    match (two * r).cmp(&den) {
        core::cmp::Ordering::Less => q,
        core::cmp::Ordering::Greater => q + T::from(1),
        core::cmp::Ordering::Equal => q + (q % two),
    }
}

// The half-life and step curves are float models (definitions, section 2 and 11); inputs are
// at most 1e11 hundredths and a few billion seconds, and each result is rounded back to an
// integer at once.
#[allow(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    reason = "decay factor is a float model; result rounded to integer hundredths immediately"
)]
mod float {
    pub(super) fn half_life(age_seconds: i64, half_life_seconds: i64) -> f64 {
        (-(age_seconds as f64) / half_life_seconds as f64).exp2()
    }

    pub(super) fn step(percent: u8, steps: i64) -> f64 {
        let keep = 1.0 - f64::from(percent) / 100.0;
        keep.powi(i32::try_from(steps).unwrap_or(i32::MAX))
    }

    pub(super) fn scale(hundredths: i64, factor: f64) -> i64 {
        (hundredths as f64 * factor).round_ties_even() as i64
    }
}
