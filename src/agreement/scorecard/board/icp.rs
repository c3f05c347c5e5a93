//! The plain-text rendering of the ICP section (what the quickstart prints under "3. Ideal
//! customer profile"): per segment the tier distribution and the explained score, the
//! buying-group coverage of the open deals, then per reviewed segment the outcomes by tier
//! and the win-rate lift by criterion.
//!
//! Formatting only: every figure is a field of the section.

use core::fmt;

use rust_decimal::Decimal;

use crate::agreement::scorecard::{BuyingGroupCoverage, ExplainedAccount, IcpSection, SegmentReview, SegmentTiers};

/// `d`, or `-`.
fn show(d: Option<Decimal>) -> String {
    d.map_or_else(|| "-".to_owned(), |d| d.to_string())
}

impl fmt::Display for ExplainedAccount {
    /// `every score explains itself, e.g. Name (id): 76 of 90 points, score 84.44`, then the
    /// criteria matched, missed (and unknown, if any) and the disqualifiers not firing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = match &self.name {
            Some(name) => format!("{name} ({})", self.account),
            None => self.account.to_string(),
        };
        let (points, max, score) = (self.points, self.max_points, self.score);
        writeln!(f, "  every score explains itself, e.g. {who}: {points} of {max} points, score {score}")?;
        if let Some(dq) = &self.disqualified_by {
            writeln!(f, "    disqualified by:          {dq}")?;
        }
        writeln!(f, "    matched:                  {}", self.matched.join(", "))?;
        writeln!(f, "    missed:                   {}", self.missed.join(", "))?;
        if !self.unknown.is_empty() {
            writeln!(f, "    unknown:                  {}", self.unknown.join(", "))?;
        }
        writeln!(f, "    disqualifiers not firing: {}", self.disqualifiers_not_firing.join(", "))
    }
}

impl fmt::Display for SegmentTiers {
    /// The profile, the tier distribution, the lowest tier's disqualified and must-have
    /// counts, and the explained account of its review (if any), one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  {} ({} criteria, {} points attainable)", self.icp, self.criteria, self.points_attainable)?;
        writeln!(f, "  tier distribution of {} accounts:", self.accounts)?;
        for t in &self.tiers {
            writeln!(f, "    {:<3} score >= {:>5}  {:>18}", t.tier, t.min_score.to_string(), t.accounts.to_string())?;
        }
        let lowest = self.tiers.last();
        let below = lowest.filter(|t| !t.min_score.is_zero()).map(|t| t.min_score);
        if let Some(min) = below {
            writeln!(f, "    ungraded (score < {min:>5})  {:>18}", self.ungraded)?;
        }
        let bucket = match (below, lowest) {
            (Some(_), _) => "ungraded".to_owned(),
            (None, Some(t)) => format!("tier {}", t.tier),
            (None, None) => "tier ".to_owned(),
        };
        writeln!(
            f,
            "    ({bucket} includes {} disqualified and {} missing a must-have)",
            self.disqualified, self.missing_must_have
        )?;
        match self.review.as_ref().and_then(|r| r.example.as_ref()) {
            Some(example) => write!(f, "{example}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for BuyingGroupCoverage {
    /// The roles required, then open deals, complete, roles covered, multi-threaded and the
    /// deals missing each role, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let roles: Vec<String> = self.requirements.iter().map(|r| format!("{} x{}", r.role, r.min_contacts)).collect();
        writeln!(f, "  buying-group coverage of open deals (requires {}):", roles.join(", "))?;
        writeln!(f, "    open deals                    {:>18}", self.open_deals)?;
        writeln!(f, "    every required role covered   {:>18}", self.complete.to_string())?;
        writeln!(f, "    required roles covered        {:>18}", self.roles_covered.to_string())?;
        writeln!(f, "    multi-threaded (2+ per role)  {:>18}", self.multi_threaded.to_string())?;
        for (role, deals) in &self.missing {
            writeln!(f, "    missing {:<22}{:>18}", role.as_str(), deals.to_string())?;
        }
        Ok(())
    }
}

impl fmt::Display for SegmentReview {
    /// The outcomes by tier (with the overall row and the tier-order check), a blank line,
    /// and the win-rate lift by criterion. (The explained account prints with its
    /// [`SegmentTiers`].)
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = &self.outcomes;
        writeln!(
            f,
            "  outcomes by tier (ranked with at least {} closed deals; lift vs overall):",
            report.min_closed_deals
        )?;
        writeln!(
            f,
            "    {:<8}{:>20}{:>20}{:>8}{:>22}{:>10}",
            "tier", "opportunity rate", "win rate", "lift", "avg won deal", "cycle d"
        )?;
        let tiers = report.tiers.iter().map(|t| (t.tier.as_str(), t.ranked, &t.outcomes));
        for (name, ranked, o) in tiers.chain([("all", true, &report.overall)]) {
            writeln!(
                f,
                "    {:<8}{:>20}{:>20}{:>8}{:>22}{:>10}{}",
                name,
                o.opportunity_rate.to_string(),
                o.win_rate.to_string(),
                show(o.win_rate_lift),
                o.average_deal_size.map_or_else(|| "-".to_owned(), |m| m.to_string()),
                show(o.average_cycle_days),
                if ranked { "" } else { "  (sample too small: not ranked)" }
            )?;
        }
        if report.monotonic {
            writeln!(f, "    tier order matches win-rate order")?;
        }
        for inversion in &report.inversions {
            writeln!(
                f,
                "    tier order does NOT match win-rate order: {} wins less often than {}",
                inversion.better, inversion.worse
            )?;
        }
        writeln!(f)?;
        writeln!(f, "  win-rate lift by criterion (accounts matching it vs not):")?;
        for c in &report.criteria {
            writeln!(
                f,
                "    {:<22}{:>20} lift {:>5}   vs {:>20}",
                c.criterion,
                c.matched.win_rate.to_string(),
                show(c.matched.win_rate_lift),
                c.not_matched.win_rate.to_string()
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for IcpSection {
    /// Each segment's tiers, the coverage, then each reviewed segment's outcomes (headed by
    /// its profile's name when more than one is reviewed); a blank line after each block.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in self.segments.values() {
            writeln!(f, "{segment}")?;
        }
        if let Some(coverage) = &self.coverage {
            writeln!(f, "{coverage}")?;
        }
        let reviewed: Vec<(&str, &SegmentReview)> =
            self.segments.values().filter_map(|s| Some((s.icp.as_str(), s.review.as_ref()?))).collect();
        for (icp, review) in &reviewed {
            if reviewed.len() > 1 {
                writeln!(f, "  {icp}:")?;
            }
            writeln!(f, "{review}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::icp::{Condition, Icp, Refinement};
    use crate::testkit::icp::sample_buying_group;
    use crate::{AccountId, Currency, Ratio};

    #[test]
    fn an_account_without_a_name_and_a_fired_disqualifier_say_so() {
        let e = ExplainedAccount {
            account: AccountId::new("A1").unwrap(),
            name: None,
            tier: Some("D".into()),
            points: 0,
            max_points: 10,
            score: Decimal::ZERO,
            matched: vec![],
            missed: vec!["size".into()],
            unknown: vec!["crm".into()],
            disqualifiers_not_firing: vec![],
            disqualified_by: Some("public_sector".into()),
        };
        let text = e.to_string();
        assert!(text.starts_with("  every score explains itself, e.g. A1: 0 of 10 points, score 0\n"), "{text}");
        assert!(text.contains("    disqualified by:          public_sector\n"));
        assert!(text.contains("    unknown:                  crm\n"));
    }

    #[test]
    fn an_empty_review_shows_unranked_tiers_and_undefined_rates() {
        let icp = Icp::builder("saas").points("software", Condition::industry_in(["software"]), 1).build().unwrap();
        let review = SegmentReview { example: None, outcomes: Refinement::new(&icp, Currency::USD, 30).finish() };
        let text = review.to_string();
        let a = text.lines().nth(2).unwrap();
        assert_eq!(
            a,
            "    A            0/0 (undefined)     0/0 (undefined)       -                     -         -  (sample too small: not ranked)"
        );
        assert!(text.contains("    tier order matches win-rate order\n")); // nothing ranked, nothing inverted
        assert!(
            text.ends_with("    software                   0/0 (undefined) lift     -   vs      0/0 (undefined)\n")
        );
    }

    #[test]
    fn coverage_of_no_open_deal_lists_every_required_role() {
        let group = sample_buying_group();
        let coverage = BuyingGroupCoverage {
            requirements: group.requirements().collect(),
            open_deals: 0,
            complete: Ratio::new(0, 0),
            roles_covered: Ratio::new(0, 0),
            multi_threaded: Ratio::new(0, 0),
            missing: group.requirements().map(|r| (r.role, Ratio::new(0, 0))).collect(),
        };
        let text = coverage.to_string();
        assert_eq!(text.lines().count(), 5 + 4);
        assert!(text.contains("    missing champion                 0/0 (undefined)\n"), "{text}");
    }

    #[test]
    fn an_ungraded_band_gets_its_own_line() {
        use crate::agreement::scorecard::TierCount;
        use rust_decimal_macros::dec;
        // By hand: 4 accounts, 1 good (from 70), 1 medium (from 50), 2 below 50: ungraded.
        let tier = |name: &str, min, n| TierCount { tier: name.into(), min_score: min, accounts: Ratio::new(n, 4) };
        let row = SegmentTiers {
            icp: "core".into(),
            criteria: 2,
            points_attainable: 100,
            accounts: 4,
            tiers: vec![tier("good", dec!(70), 1), tier("medium", dec!(50), 1)],
            ungraded: 2,
            disqualified: 1,
            missing_must_have: 0,
            review: None,
        };
        let text = row.to_string();
        assert!(text.contains("    ungraded (score <    50)                   2\n"), "{text}");
        assert!(text.contains("    (ungraded includes 1 disqualified and 0 missing a must-have)\n"), "{text}");
        let json = serde_json::to_string(&row).unwrap();
        assert!(json.contains(r#""ungraded":2"#), "{json}");
        assert_eq!(serde_json::from_str::<SegmentTiers>(&json).unwrap(), row);
        let graded =
            SegmentTiers { ungraded: 0, tiers: vec![tier("good", dec!(70), 1), tier("low", dec!(0), 3)], ..row };
        assert!(!serde_json::to_string(&graded).unwrap().contains("ungraded"));
        assert!(graded.to_string().contains("    (tier low includes 1 disqualified"));
    }
}
