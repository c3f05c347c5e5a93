//! [`QualificationResult`]: a qualification's outcome with its provenance.

use super::Qualification;

/// The outcome of [`Qualification::evaluate`]: qualified or not, and each leaf's result (the
/// leaf's own condition, before any `not` above it), in definition order.
///
/// # Example
///
/// ```
/// use revops::funnel::{LeadCondition, LeadFacts, Qualification, QualificationRule};
/// # fn at(s: &str) -> Result<chrono::DateTime<chrono::Utc>, revops::Error> { s.parse().map_err(|_| revops::ErrorKind::InstantOutOfRange { instant: s.into() }.into()) }
///
/// let q = Qualification::new("reachable", QualificationRule::any([
///     QualificationRule::leaf("email", LeadCondition::FieldsPresent(vec!["email".into()])),
///     QualificationRule::leaf("phone", LeadCondition::FieldsPresent(vec!["phone".into()])),
/// ]))?;
/// let facts = LeadFacts { fields: vec!["phone".into()], ..LeadFacts::default() };
/// let result = q.evaluate(&facts, at("2024-06-01T00:00:00Z")?);
/// assert!(result.qualified());
/// assert!(!result.leaf_passed(0) && result.leaf_passed(1) && !result.leaf_passed(2));
/// assert_eq!(result.outcomes(&q).collect::<Vec<_>>(), [("email", false), ("phone", true)]);
/// assert_eq!(result.passed(&q).collect::<Vec<_>>(), ["phone"]);
/// assert_eq!(result.failed(&q).collect::<Vec<_>>(), ["email"]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct QualificationResult {
    pub(super) qualified: bool,
    pub(super) passed: u64,
    pub(super) leaves: u32,
}

impl QualificationResult {
    /// Whether the lead qualifies.
    #[must_use]
    pub const fn qualified(&self) -> bool {
        self.qualified
    }

    /// Whether leaf number `index` (definition order) passed; false past the last leaf.
    #[must_use]
    pub fn leaf_passed(&self, index: usize) -> bool {
        index < self.leaf_count()
            && u32::try_from(index).is_ok_and(|i| self.passed & 1u64.checked_shl(i).unwrap_or(0) != 0)
    }

    /// Number of leaves evaluated.
    #[must_use]
    pub fn leaf_count(&self) -> usize {
        usize::try_from(self.leaves).unwrap_or(usize::MAX)
    }

    /// Every leaf's key and whether it passed, in definition order (`qualification` must be
    /// the definition that produced this result).
    pub fn outcomes<'q>(&self, qualification: &'q Qualification) -> impl Iterator<Item = (&'q str, bool)> + use<'q> {
        let result = *self;
        qualification.rule.leaves().enumerate().map(move |(i, (key, _))| (key, result.leaf_passed(i)))
    }

    /// Keys of the leaves that passed, in definition order.
    pub fn passed<'q>(&self, qualification: &'q Qualification) -> impl Iterator<Item = &'q str> + use<'q> {
        self.outcomes(qualification).filter(|(_, ok)| *ok).map(|(key, _)| key)
    }

    /// Keys of the leaves that failed, in definition order.
    pub fn failed<'q>(&self, qualification: &'q Qualification) -> impl Iterator<Item = &'q str> + use<'q> {
        self.outcomes(qualification).filter(|(_, ok)| !*ok).map(|(key, _)| key)
    }
}
