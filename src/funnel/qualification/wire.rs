//! The wire form of a [`QualificationRule`] tree and a [`Qualification`] (documented on the
//! types). A node is read with its depth, so a rule nested past
//! [`Qualification::MAX_DEPTH`] is refused while it is read, before it can exhaust the stack
//! of a format without a recursion limit.

use core::fmt;
use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{LeadCondition, Qualification, QualificationRule, too_deep};
use crate::Error;
use crate::funnel::Points;

/// Wire shape of [`Qualification`], validated by [`Qualification::new`] on read.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(super) struct QualificationRepr {
    /// The rule's name, e.g. `mql`.
    name: String,
    /// The rule: a tree of `all`, `any` and `not` nodes over keyed conditions.
    rule: QualificationRule,
}

impl TryFrom<QualificationRepr> for Qualification {
    type Error = Error;
    fn try_from(r: QualificationRepr) -> Result<Qualification, Error> {
        Qualification::new(r.name, r.rule)
    }
}

impl From<Qualification> for QualificationRepr {
    fn from(q: Qualification) -> QualificationRepr {
        QualificationRepr { name: q.name, rule: q.rule }
    }
}

/// Every field a node may hold.
const FIELDS: &[&str] = &[
    "key",
    "all",
    "any",
    "not",
    "fit_score_at_least",
    "engagement_score_at_least",
    "total_score_at_least",
    "fit_tier_in",
    "fields_present",
    "has_trait",
    "activity",
];

/// The value of an `activity` condition.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityValue<'a> {
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    within_days: Option<u32>,
}

impl Serialize for QualificationRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let entries = if matches!(self, QualificationRule::Leaf { .. }) { 2 } else { 1 };
        let mut map = s.serialize_map(Some(entries))?;
        match self {
            QualificationRule::All(children) => map.serialize_entry("all", children)?,
            QualificationRule::Any(children) => map.serialize_entry("any", children)?,
            QualificationRule::Not(child) => map.serialize_entry("not", child)?,
            QualificationRule::Leaf { key, condition } => {
                map.serialize_entry("key", key)?;
                match condition {
                    LeadCondition::FitScoreAtLeast(p) => map.serialize_entry("fit_score_at_least", p)?,
                    LeadCondition::EngagementScoreAtLeast(p) => map.serialize_entry("engagement_score_at_least", p)?,
                    LeadCondition::TotalScoreAtLeast(p) => map.serialize_entry("total_score_at_least", p)?,
                    LeadCondition::FitTierIn(v) => map.serialize_entry("fit_tier_in", v)?,
                    LeadCondition::FieldsPresent(v) => map.serialize_entry("fields_present", v)?,
                    LeadCondition::HasTrait(t) => map.serialize_entry("has_trait", t)?,
                    LeadCondition::Activity { kind, within_days } => map.serialize_entry(
                        "activity",
                        &ActivityValue { kind: Cow::Borrowed(kind), within_days: *within_days },
                    )?,
                }
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for QualificationRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<QualificationRule, D::Error> {
        NodeSeed { depth: 1 }.deserialize(d)
    }
}

/// Reads one node at `depth` (the root is 1).
#[derive(Clone, Copy)]
struct NodeSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = QualificationRule;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<QualificationRule, D::Error> {
        if self.depth > Qualification::MAX_DEPTH {
            return Err(de::Error::custom(too_deep(self.depth)));
        }
        d.deserialize_map(self)
    }
}

/// Reads the children of an `all` or `any` at `depth`.
struct ChildrenSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ChildrenSeed {
    type Value = Vec<QualificationRule>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<QualificationRule>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ChildrenSeed {
    type Value = Vec<QualificationRule>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of qualification rule nodes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<QualificationRule>, A::Error> {
        let mut children = Vec::new();
        while let Some(child) = seq.next_element_seed(NodeSeed { depth: self.depth })? {
            children.push(child);
        }
        Ok(children)
    }
}

/// What a node holds besides its key.
enum Body {
    All(Vec<QualificationRule>),
    Any(Vec<QualificationRule>),
    Not(QualificationRule),
    Condition(LeadCondition),
}

impl Body {
    const fn field(&self) -> &'static str {
        match self {
            Body::All(_) => "all",
            Body::Any(_) => "any",
            Body::Not(_) => "not",
            Body::Condition(_) => "condition",
        }
    }
}

impl<'de> Visitor<'de> for NodeSeed {
    type Value = QualificationRule;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a qualification rule node: { all = [..] }, { any = [..] }, { not = .. } or { key = .., <condition> = .. }",
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<QualificationRule, A::Error> {
        let child = self.depth.saturating_add(1);
        let mut key: Option<String> = None;
        let mut body: Option<Body> = None;
        while let Some(field) = map.next_key::<Cow<'de, str>>()? {
            let next = match field.as_ref() {
                "key" => {
                    if key.is_some() {
                        return Err(de::Error::duplicate_field("key"));
                    }
                    key = Some(map.next_value()?);
                    continue;
                }
                "all" => Body::All(map.next_value_seed(ChildrenSeed { depth: child })?),
                "any" => Body::Any(map.next_value_seed(ChildrenSeed { depth: child })?),
                "not" => Body::Not(map.next_value_seed(NodeSeed { depth: child })?),
                "fit_score_at_least" => Body::Condition(LeadCondition::FitScoreAtLeast(map.next_value::<Points>()?)),
                "engagement_score_at_least" => {
                    Body::Condition(LeadCondition::EngagementScoreAtLeast(map.next_value::<Points>()?))
                }
                "total_score_at_least" => {
                    Body::Condition(LeadCondition::TotalScoreAtLeast(map.next_value::<Points>()?))
                }
                "fit_tier_in" => Body::Condition(LeadCondition::FitTierIn(map.next_value()?)),
                "fields_present" => Body::Condition(LeadCondition::FieldsPresent(map.next_value()?)),
                "has_trait" => Body::Condition(LeadCondition::HasTrait(map.next_value()?)),
                "activity" => {
                    let a: ActivityValue<'_> = map.next_value()?;
                    Body::Condition(LeadCondition::Activity { kind: a.kind.into_owned(), within_days: a.within_days })
                }
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            };
            if let Some(previous) = &body {
                return Err(de::Error::custom(format_args!(
                    "a qualification rule node holds one of all, any, not or a condition; found `{field}` after `{}`",
                    previous.field()
                )));
            }
            body = Some(next);
        }
        match (body, key) {
            (None, _) => Err(de::Error::custom(
                "a qualification rule node needs one of all, any, not or a condition \
                 (fit_score_at_least, engagement_score_at_least, total_score_at_least, fit_tier_in, \
                 fields_present, has_trait, activity)",
            )),
            (Some(Body::Condition(condition)), Some(key)) => Ok(QualificationRule::Leaf { key, condition }),
            (Some(Body::Condition(_)), None) => Err(de::Error::missing_field("key")),
            (Some(group), Some(key)) => Err(de::Error::custom(format_args!(
                "only a condition has a key: `{key}` is on a `{}` node",
                group.field()
            ))),
            (Some(Body::All(children)), None) => Ok(QualificationRule::All(children)),
            (Some(Body::Any(children)), None) => Ok(QualificationRule::Any(children)),
            (Some(Body::Not(child)), None) => Ok(QualificationRule::Not(Box::new(child))),
        }
    }
}
