//! [`ScoringModelBuilder`]: builds and validates a [`ScoringModel`].

use std::collections::BTreeSet;

use super::{Decay, IndexEntry, MAX_GROUPS, MAX_POINTS, ScoreGroup, ScoreKind, ScoringModel, prefix};
use crate::{Error, ErrorKind};

/// Builder for [`ScoringModel`]; see [`ScoringModel::builder`].
///
/// # Example
///
/// ```
/// use revops::funnel::{Decay, ScoreGroup, ScoreKind, ScoringModel};
///
/// let model = ScoringModel::builder().group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 30)]))
///     .fit_cap(60).engagement_cap(80).total_cap(100).decay(Decay::TimeFrame { days: 90 }).build()?;
/// assert_eq!((model.groups().len(), model.fit_cap(), model.engagement_cap(), model.decay()), (1, Some(60), Some(80), Decay::TimeFrame { days: 90 }));
/// assert_eq!(model.total_cap(), Some(100));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct ScoringModelBuilder {
    pub(super) groups: Vec<ScoreGroup>,
    pub(super) fit_cap: Option<i64>,
    pub(super) engagement_cap: Option<i64>,
    pub(super) total_cap: Option<i64>,
    pub(super) decay: Decay,
}

impl ScoringModelBuilder {
    /// Adds a group.
    pub fn group(mut self, group: ScoreGroup) -> ScoringModelBuilder {
        self.groups.push(group);
        self
    }

    /// Caps the fit total (whole points).
    pub fn fit_cap(mut self, cap: i64) -> ScoringModelBuilder {
        self.fit_cap = Some(cap);
        self
    }

    /// Caps the engagement total (whole points).
    pub fn engagement_cap(mut self, cap: i64) -> ScoringModelBuilder {
        self.engagement_cap = Some(cap);
        self
    }

    /// Caps the combined fit + engagement total (whole points), after the per-kind caps; see
    /// [`ScoringModel::total`]. Without it the total is not capped.
    pub fn total_cap(mut self, cap: i64) -> ScoringModelBuilder {
        self.total_cap = Some(cap);
        self
    }

    /// Sets the engagement decay.
    pub fn decay(mut self, decay: Decay) -> ScoringModelBuilder {
        self.decay = decay;
        self
    }

    /// Validates and returns the model.
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] for a repeated group key, or a signal scored twice within fit
    /// or within engagement; [`ErrorKind::Negative`] for a cap below zero;
    /// [`ErrorKind::NonPositiveDuration`] for a zero half-life or time frame;
    /// [`ErrorKind::InvalidValue`] for points outside ±1,000,000; [`ErrorKind::TooMany`] for
    /// more than 64 groups.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Decay, ScoreGroup, ScoreKind, ScoringModel};
    /// use revops::ErrorKind;
    ///
    /// let fit = |key: &str, points| ScoreGroup::new(key, ScoreKind::Fit, [("software", points)]);
    /// // One signal scored twice within fit, a negative cap, a huge rule: refused.
    /// assert!(ScoringModel::builder().group(fit("a", 10)).group(fit("b", 5)).build().is_err());
    /// assert!(ScoringModel::builder().group(fit("a", 10).with_cap(-5)).build().is_err());
    /// assert!(ScoringModel::builder().group(fit("a", 2_000_000)).build().is_err());
    /// let zero = ScoringModel::builder().decay(Decay::HalfLife { days: 0 }).build();
    /// assert!(matches!(zero.as_ref().map_err(revops::Error::kind), Err(ErrorKind::NonPositiveDuration { .. })));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn build(self) -> Result<ScoringModel, Error> {
        if self.groups.len() > MAX_GROUPS {
            return Err(
                ErrorKind::TooMany { what: "scoring model groups", count: self.groups.len(), max: MAX_GROUPS }.into()
            );
        }
        let mut keys = BTreeSet::new();
        let mut fit_index = Vec::new();
        let mut engagement_index = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            if !keys.insert(group.key.as_str()) {
                return Err(ErrorKind::DuplicateKey { kind: "scoring group", key: group.key.clone() }.into());
            }
            if let Some(cap) = group.cap
                && cap < 0
            {
                let value = format!("{cap} for scoring group `{}`", group.key);
                return Err(ErrorKind::Negative { field: "score cap", value }.into());
            }
            for rule in &group.rules {
                if !(-MAX_POINTS..=MAX_POINTS).contains(&rule.points) {
                    return Err(ErrorKind::InvalidValue {
                        field: "scoring rule points",
                        value: rule.points.to_string(),
                        reason: "must be from -1000000 to 1000000",
                    }
                    .into());
                }
                let index = match group.kind {
                    ScoreKind::Fit => &mut fit_index,
                    ScoreKind::Engagement => &mut engagement_index,
                };
                index.push(IndexEntry {
                    prefix: prefix(&rule.signal),
                    signal: rule.signal.clone(),
                    group: g,
                    points: rule.points,
                });
            }
        }
        for index in [&mut fit_index, &mut engagement_index] {
            index.sort();
            if let Some(w) = index.windows(2).find(|w| w.first().map(|a| &a.signal) == w.get(1).map(|b| &b.signal))
                && let Some(e) = w.first()
            {
                return Err(ErrorKind::DuplicateKey { kind: "scoring signal", key: e.signal.clone() }.into());
            }
        }
        for (key, cap) in [("fit", self.fit_cap), ("engagement", self.engagement_cap), ("total", self.total_cap)] {
            if let Some(cap) = cap
                && cap < 0
            {
                let value = format!("{cap} for score total `{key}`");
                return Err(ErrorKind::Negative { field: "score cap", value }.into());
            }
            if cap.is_some_and(|c| c > MAX_POINTS * 1_000) {
                return Err(ErrorKind::InvalidValue {
                    field: "score cap",
                    value: cap.unwrap_or_default().to_string(),
                    reason: "must be at most 1000000000",
                }
                .into());
            }
        }
        match self.decay {
            Decay::HalfLife { days: 0 } => {
                return Err(ErrorKind::NonPositiveDuration { field: "half-life", seconds: 0 }.into());
            }
            Decay::TimeFrame { days: 0 } => {
                return Err(ErrorKind::NonPositiveDuration { field: "time frame", seconds: 0 }.into());
            }
            _ => {}
        }
        if let Some(g) = self.groups.iter().find(|g| g.cap.is_some_and(|c| c > MAX_POINTS * 1_000)) {
            return Err(ErrorKind::InvalidValue {
                field: "score cap",
                value: g.cap.unwrap_or_default().to_string(),
                reason: "must be at most 1000000000",
            }
            .into());
        }
        Ok(ScoringModel {
            groups: self.groups,
            fit_cap: self.fit_cap,
            engagement_cap: self.engagement_cap,
            total_cap: self.total_cap,
            decay: self.decay,
            fit_index,
            engagement_index,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use crate::funnel::{Activity, LeadCondition, LeadFacts, Points, Qualification, QualificationRule};

    use super::*;

    fn as_of() -> DateTime<Utc> {
        DateTime::from_timestamp(1_717_200_000, 0).unwrap()
    }

    fn model(total_cap: Option<i64>) -> ScoringModel {
        let mut b = ScoringModel::builder()
            .group(ScoreGroup::new("industry", ScoreKind::Fit, [("software", 40), ("fintech", 30)]))
            .group(ScoreGroup::new("events", ScoreKind::Engagement, [("webinar", 25)]).with_cap(60))
            .fit_cap(60);
        if let Some(c) = total_cap {
            b = b.total_cap(c);
        }
        b.build().unwrap()
    }

    fn facts(webinars: usize) -> LeadFacts {
        let webinar = Activity { kind: "webinar".into(), at: as_of() };
        LeadFacts {
            traits: vec!["software".into(), "fintech".into()],
            activities: vec![webinar; webinars],
            ..LeadFacts::default()
        }
    }

    #[test]
    fn the_total_cap_bounds_fit_plus_engagement_after_the_kind_caps() {
        // By hand: fit 40 + 30 = 70, capped at 60; engagement 3 x 25 = 75, group cap 60.
        // Total 60 + 60 = 120; with a total cap of 100 it is 100; the parts stay 60 and 60.
        let capped = model(Some(100));
        let b = capped.breakdown(&facts(3), as_of());
        assert_eq!((b.score.fit, b.score.engagement, b.total), (dec!(60), dec!(60), dec!(100)));
        assert_eq!(capped.total(&facts(3), as_of()), dec!(100));
        assert_eq!(capped.score(&facts(3), as_of()), b.score);
        // Under the cap the total is the plain sum: 60 + 25 = 85.
        assert_eq!(capped.total(&facts(1), as_of()), dec!(85));
        // No total cap (the default): 120.
        let open = model(None);
        assert_eq!((open.total_cap(), open.total(&facts(3), as_of())), (None, dec!(120)));
        // A cap of 0 holds a positive total at 0 but, as every cap, never lifts a penalty.
        let zero = ScoringModel::builder()
            .group(ScoreGroup::new("p", ScoreKind::Fit, [("student", -20)]))
            .total_cap(0)
            .build()
            .unwrap();
        let student = LeadFacts { traits: vec!["student".into()], ..LeadFacts::default() };
        assert_eq!(zero.total(&student, as_of()), dec!(-20));
    }

    #[test]
    fn total_score_conditions_read_the_capped_total() {
        let hot = Qualification::new(
            "hot",
            QualificationRule::leaf("t", LeadCondition::TotalScoreAtLeast(Points::from(110))),
        )
        .unwrap();
        let m = model(Some(100));
        let mut f = facts(3);
        f.set_score(m.score(&f, as_of()));
        assert!(hot.evaluate(&f, as_of()).qualified(), "60 + 60 uncapped");
        f.set_breakdown(&m.breakdown(&f, as_of()));
        assert_eq!(f.total_score, Some(dec!(100)));
        assert!(!hot.evaluate(&f, as_of()).qualified(), "capped at 100");
        f.set_score(m.score(&f, as_of()));
        assert_eq!(f.total_score, None);
    }

    #[test]
    fn a_bad_total_cap_is_refused_naming_it() {
        let err = ScoringModel::builder().total_cap(-1).build().unwrap_err().to_string();
        assert!(err.contains("-1 for score total `total`"), "{err}");
        assert!(ScoringModel::builder().total_cap(1_000_000_001).build().is_err());
        assert!(ScoringModel::builder().total_cap(1_000_000_000).build().is_ok());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn the_total_cap_is_on_the_wire_and_absent_by_default() {
        let json = serde_json::to_string(&model(Some(100))).unwrap();
        assert!(json.contains(r#""fit_cap":60,"total_cap":100,"decay":"none""#), "{json}");
        assert!(!serde_json::to_string(&model(None)).unwrap().contains("total_cap"));
        let back: ScoringModel = serde_json::from_str(&json).unwrap();
        assert_eq!(back, model(Some(100)));
        let bad = json.replace(r#""total_cap":100"#, r#""total_cap":-5"#);
        let err = serde_json::from_str::<ScoringModel>(&bad).unwrap_err().to_string();
        assert!(err.contains("-5 for score total `total`"), "{err}");
    }

    proptest! {
        #[test]
        fn the_total_is_min_of_the_sum_and_the_cap(
            fit in -500i64..500, engagement in -500i64..500, cap in proptest::option::of(0i64..800), n in 0usize..4,
        ) {
            let mut b = ScoringModel::builder()
                .group(ScoreGroup::new("f", ScoreKind::Fit, [("t", fit)]))
                .group(ScoreGroup::new("e", ScoreKind::Engagement, [("a", engagement)]));
            if let Some(c) = cap {
                b = b.total_cap(c);
            }
            let m = b.build().unwrap();
            let facts = LeadFacts {
                traits: vec!["t".into()],
                activities: vec![Activity { kind: "a".into(), at: as_of() }; n],
                ..LeadFacts::default()
            };
            // Second implementation: the plain sum of the parts, then the cap.
            let sum = Decimal::from(fit + engagement * i64::try_from(n).unwrap());
            let expected = cap.map_or(sum, |c| sum.min(Decimal::from(c)));
            prop_assert_eq!(m.total(&facts, as_of()), expected);
            prop_assert_eq!(m.breakdown(&facts, as_of()).total, expected);
            #[cfg(feature = "serde")]
            {
                let back: ScoringModel = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
                prop_assert_eq!(back, m);
            }
        }
    }
}
