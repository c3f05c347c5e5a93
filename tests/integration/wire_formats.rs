//! The documented wire formats hold in TOML too: a funnel, an ICP set and an attribution model
//! written as TOML definition files load, equal the same definitions built in code, and write
//! back to TOML that loads to equal values.

use chrono::TimeDelta;
use revops::attribution::Model;
use revops::funnel::{Funnel, HandoffField, Owner, Stage, StageKind};
use revops::icp::{Condition, Icp, IcpSet};
use revops::{ChannelId, Currency, Money, Probability, SegmentId, StageId};
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

/// TOML has no top-level array: an ICP set is a field of its document.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct IcpDocument {
    icps: IcpSet,
}

/// Reads `text`, writes the value back to TOML, reads that again: both reads must agree.
fn round_trip<T>(text: &str) -> T
where
    T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
{
    let value: T = toml::from_str(text).unwrap();
    let written = toml::to_string(&value).unwrap();
    let again: T = toml::from_str(&written).unwrap();
    assert_eq!(again, value, "TOML written back:\n{written}");
    value
}

const FUNNEL: &str = r#"
name = "inbound"
policy = { allow_skips = false, nurture = "nurture" }

[[stages]]
id = "mql"
name = "Marketing qualified lead"
owner = "marketing"
kind = "open"

[[stages]]
id = "sql"
name = "Sales qualified lead"
description = "Sales confirmed a real opportunity"
owner = "sales"
kind = "open"
probability = "0.2"

[[stages]]
id = "won"
name = "Won"
owner = "sales"
kind = "won"
probability = "1"

[[side_stages]]
id = "nurture"
name = "Nurture"
owner = "marketing"
kind = "side"

[[handoffs]]
from = "mql"
to = "sql"
required = ["lead_id", "sla_deadline"]
"#;

#[test]
fn a_funnel_written_as_toml_loads_and_round_trips() {
    let funnel: Funnel = round_trip(FUNNEL);
    let id = |s: &str| StageId::new(s).unwrap();
    let stage = |id, name, owner, kind| Stage::new(id, name, owner, kind).unwrap();
    let expected = Funnel::builder("inbound")
        .stage(stage("mql", "Marketing qualified lead", Owner::Marketing, StageKind::Open))
        .stage(
            stage("sql", "Sales qualified lead", Owner::Sales, StageKind::Open)
                .with_description("Sales confirmed a real opportunity")
                .with_probability(Probability::from_percent(20).unwrap()),
        )
        .stage(
            stage("won", "Won", Owner::Sales, StageKind::Won).with_probability(Probability::from_percent(100).unwrap()),
        )
        .side_stage(stage("nurture", "Nurture", Owner::Marketing, StageKind::Side))
        .nurture(id("nurture"))
        .handoff(id("mql"), id("sql"), [HandoffField::LeadId, HandoffField::SlaDeadline])
        .build()
        .unwrap();
    assert_eq!(funnel, expected);
    // TOML gets the builder's checks too: an open stage outside the order does not load.
    let misplaced = FUNNEL.replace("kind = \"side\"", "kind = \"open\"");
    assert!(toml::from_str::<Funnel>(&misplaced).is_err());
}

const ICPS: &str = r#"
[[icps]]
segment = "enterprise"

[icps.icp]
name = "enterprise"
unknown = "excluded"

[[icps.icp.criteria]]
name = "size"
condition = { kind = "employees", min = 1000 }
effect = { points = 60 }

[[icps.icp.criteria]]
name = "revenue"
condition = { kind = "annual_revenue", min = { amount = "50000000.00", currency = "USD" } }
effect = { points = 40 }

[[icps.icp.criteria]]
name = "public_sector"
condition = { kind = "industry", any_of = ["government"] }
effect = "disqualifier"

[[icps]]
segment = "smb"

[icps.icp]
name = "smb"

[[icps.icp.criteria]]
name = "size"
condition = { kind = "employees", min = 10, max = 199 }
effect = { points = 100 }

[[icps.icp.tiers]]
name = "fit"
min_score = "50/100"

[[icps.icp.tiers]]
name = "no_fit"
min_score = "0/100"
"#;

#[test]
fn an_icp_set_written_as_toml_loads_and_round_trips() {
    let doc: IcpDocument = round_trip(ICPS);
    let usd = Money::new(dec!(50_000_000.00), Currency::USD);
    let enterprise = Icp::builder("enterprise")
        .points("size", Condition::employees_at_least(1_000), 60)
        .points("revenue", Condition::annual_revenue(Some(usd), None), 40)
        .disqualifier("public_sector", Condition::industry_in(["government"]))
        .unknown(revops::icp::UnknownPolicy::Excluded)
        .build()
        .unwrap();
    let segment = |s: &str| SegmentId::new(s).unwrap();
    let loaded = doc.icps.get(&segment("enterprise")).unwrap();
    assert_eq!(loaded, &enterprise);
    let smb = doc.icps.get(&segment("smb")).unwrap();
    let tiers: Vec<&str> = smb.tiers().as_slice().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tiers, ["fit", "no_fit"]);
    assert_eq!(doc.icps.len(), 2);
    // A segment given twice does not load.
    let twice = ICPS.replace("segment = \"smb\"", "segment = \"enterprise\"");
    assert!(toml::from_str::<IcpDocument>(&twice).is_err());
}

const MODEL: &str = r#"
lookback = "90d"
excluded = ["direct"]
missing_anchor = "roll_to_latest"

[shape]
kind = "time_decay"
half_life = "7d"
curve = "step"
"#;

#[test]
fn an_attribution_model_written_as_toml_loads_and_round_trips() {
    let model: Model = round_trip(MODEL);
    let expected = Model::new(
        revops::attribution::Shape::TimeDecay {
            half_life: TimeDelta::days(7),
            curve: revops::attribution::DecayCurve::Step,
        },
        revops::attribution::Options::default(),
    )
    .unwrap()
    .with_lookback(TimeDelta::days(90))
    .unwrap()
    .excluding(ChannelId::new("direct").unwrap())
    .with_missing_anchor(revops::attribution::MissingAnchor::RollToLatest);
    assert_eq!(model, expected);
    // Every preset writes to TOML and reads back equal.
    for preset in [Model::w_shaped(), Model::linear(), Model::last_non_direct(), Model::full_path()] {
        let text = toml::to_string(&preset).unwrap();
        assert_eq!(toml::from_str::<Model>(&text).unwrap(), preset, "{text}");
    }
    // A zero half-life does not load, nor a half-life without its unit.
    assert!(toml::from_str::<Model>(&MODEL.replace(r#""7d""#, r#""0s""#)).is_err());
    assert!(toml::from_str::<Model>(&MODEL.replace(r#""7d""#, "604800")).is_err());
    // The model writes back with its durations in their canonical spelling.
    let text = toml::to_string(&model).unwrap();
    assert!(text.contains(r#"lookback = "90d""#) && text.contains(r#"half_life = "7d""#), "{text}");
}
