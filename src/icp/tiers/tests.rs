//! Unit tests of [`Tiers`](super::Tiers).

use super::*;
use rust_decimal_macros::dec;

#[test]
fn presets_validate_and_bounds_are_inclusive() {
    for preset in [Tiers::letters(), Tiers::madkudu(), Tiers::sixsense()] {
        assert_eq!(Tiers::try_from(preset.as_slice().to_vec()).unwrap(), preset);
    }
    let s = Tiers::sixsense();
    assert!(s.grades_every_score());
    assert_eq!(s.tier_of(dec!(0)), Some(2));
    assert_eq!(s.name(s.tier_of(dec!(81))), Some("strong"));
    assert_eq!(s.name(s.tier_of(dec!(80.99))), Some("moderate"));
    assert_eq!(s.name(s.tier_of(dec!(50))), Some("moderate"));
    assert_eq!(s.name(s.tier_of(dec!(49.99))), Some("weak"));
    assert_eq!(s.tier_of_hundredths(8100), Some(0));
    assert_eq!(s.tier_of_hundredths(8099), Some(1));
    assert_eq!(s.tier_of_hundredths(0), Some(2));
    assert_eq!(Tiers::default(), Tiers::letters());
    assert!(!s.is_empty());
    assert_eq!(s.lowest(), 2);
}

#[test]
fn bad_tiers_are_named() {
    let e = |t: Vec<(&str, Decimal)>| Tiers::new(t).unwrap_err().to_string();
    assert_eq!(e(vec![("a", dec!(50)), ("b", dec!(60)), ("c", dec!(0))]), "tier thresholds out of order: 60 after 50");
    assert_eq!(e(vec![]), "invalid tier \"\": at least one tier is required");
    assert_eq!(e(vec![("a", dec!(50)), ("a", dec!(0))]), "invalid tier \"a\": the name is used twice");
    assert_eq!(e(vec![(" ", dec!(0))]), "invalid tier \" \": the name must not be empty");
    assert_eq!(
        e(vec![("a", dec!(100.5)), ("b", dec!(0))]),
        "invalid tier \"a\": the threshold must be from 0 to 100 with at most two decimals"
    );
    assert!(Tiers::new([("a", dec!(50.005)), ("b", dec!(0))]).is_err());
    assert!(Tiers::new([("a", dec!(-1)), ("b", dec!(0))]).is_err());
    assert!(Tiers::new([("a", dec!(50.25)), ("b", dec!(0))]).is_ok());
}

#[test]
fn a_lowest_grade_above_zero_leaves_lower_scores_ungraded() {
    // By hand: grades from 85, 70 and 50; 50 is medium (inclusive), 49.99 and 0 ungraded.
    let g = Tiers::new([("very_good", dec!(85)), ("good", dec!(70)), ("medium", dec!(50))]).unwrap();
    assert!(!g.grades_every_score());
    assert_eq!(g.lowest(), 2);
    for (score, want) in [(dec!(100), Some("very_good")), (dec!(84.99), Some("good")), (dec!(50), Some("medium"))] {
        assert_eq!(g.name(g.tier_of(score)), want, "{score}");
    }
    for score in [dec!(49.99), dec!(0)] {
        assert_eq!(g.tier_of(score), None, "{score}");
        assert_eq!(g.name(g.tier_of(score)), None);
    }
    assert_eq!((g.tier_of_hundredths(5000), g.tier_of_hundredths(4999)), (Some(2), None));
    // A single grade from 100: only a perfect score is graded.
    let top = Tiers::new([("perfect", dec!(100))]).unwrap();
    assert_eq!((top.tier_of(dec!(100)), top.tier_of(dec!(99.99))), (Some(0), None));
}

#[cfg(feature = "serde")]
#[test]
fn an_ungraded_band_round_trips_on_the_wire() {
    let json = r#"[{"name":"good","min_score":"70/100"},{"name":"medium","min_score":"50/100"}]"#;
    let g: Tiers = serde_json::from_str(json).unwrap();
    assert_eq!(g, Tiers::new([("good", dec!(70)), ("medium", dec!(50))]).unwrap());
    assert_eq!(serde_json::to_string(&g).unwrap(), json);
}

#[cfg(feature = "serde")]
#[test]
fn wire_format() {
    let json = serde_json::to_string(&Tiers::sixsense()).unwrap();
    assert_eq!(
        json,
        r#"[{"name":"strong","min_score":"81/100"},{"name":"moderate","min_score":"50/100"},{"name":"weak","min_score":"0/100"}]"#
    );
    assert_eq!(serde_json::from_str::<Tiers>(&json).unwrap(), Tiers::sixsense());
    let err = serde_json::from_str::<Tiers>(r#"[{"name":"a","min_score":"10/100"},{"name":"b","min_score":"20/100"}]"#)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("tier thresholds out of order: 20 after 10"), "{err}");
    let tiers = Tiers::new([("a", dec!(62.50)), ("b", dec!(0))]).unwrap();
    assert_eq!(
        serde_json::to_string(&tiers).unwrap(),
        r#"[{"name":"a","min_score":"62.5/100"},{"name":"b","min_score":"0/100"}]"#
    );
}

#[cfg(feature = "serde")]
#[test]
fn the_documented_toml_loads() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Doc {
        tiers: Tiers,
    }
    let text = "[[tiers]]\nname = \"strong\"\nmin_score = \"81/100\"\n\n[[tiers]]\nname = \"moderate\"\n\
                min_score = \"50/100\"\n\n[[tiers]]\nname = \"weak\"\nmin_score = \"0/100\"\n";
    let doc: Doc = toml::from_str(text).unwrap();
    assert_eq!(doc.tiers, Tiers::sixsense());
    let back: Doc = toml::from_str(&toml::to_string(&doc).unwrap()).unwrap();
    assert_eq!(back.tiers, Tiers::sixsense());
    let bare = toml::from_str::<Doc>(&text.replace("\"81/100\"", "81")).err().unwrap().to_string();
    assert!(bare.contains(r#"write "75/100""#), "{bare}");
}

#[cfg(feature = "serde")]
#[test]
fn a_tier_threshold_without_its_scale_is_refused_naming_the_form() {
    let tier = |min: &str| serde_json::from_str::<Tier>(&format!(r#"{{"name":"a","min_score":{min}}}"#));
    for bare in ["75", "75.5", r#""75""#, r#""75%""#, r#""75 points""#, r#""75/10""#, r#""/100""#] {
        let err = tier(bare).unwrap_err().to_string();
        assert!(
            err.contains(r#"a 0-100 fit score says its scale: write "75/100""#) || err.starts_with("invalid decimal"),
            "{bare}: {err}"
        );
    }
    assert!(tier(r#""75""#).unwrap_err().to_string().starts_with(r#"invalid tier threshold "75": "#));
    for ok in [r#""75/100""#, r#""75 / 100""#, r#"" 75/100 ""#] {
        assert_eq!(tier(ok).unwrap().min_score, dec!(75), "{ok}");
    }
    assert_eq!(parse_score_100("12.25/100").unwrap(), dec!(12.25));
    assert!(parse_score_100("12.25").is_err());
}
