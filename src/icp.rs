//! The ideal customer profile: fit scores with reasons, tiers, buying groups, and refinement
//! from who actually closes.
//!
//! A shared ICP keeps marketing from filling the funnel with accounts sales would never pursue.
//! This module holds it as data ([definitions, section 3](crate::definitions::icp)):
//!
//! - [`Icp`]: criteria ([`Criterion`]: a [`Condition`] over an [`Account`] fact and an
//!   [`Effect`]: weighted points, must-have, or disqualifier, the negative ICP), tier
//!   thresholds ([`Tiers`]: A/B/C/D by default, `MadKudu` and 6sense presets, inclusive lower
//!   bounds) and an [`UnknownPolicy`]. Validated by [`IcpBuilder::build`] and on deserialize.
//!   Several ICPs coexist in an [`IcpSet`], one per product or segment.
//! - [`Icp::score`] gives a [`FitScore`]: points, a 0 to 100 normalised score, the tier, the
//!   criteria matched, missed and unknown (as `Copy` bitsets, so every score explains itself at
//!   no cost), and the disqualifier that fired; [`FitScore::explain`] spells it out by name.
//!   Fit uses only who the account is; behaviour belongs to engagement scoring.
//! - [`BuyingGroup`]: required [`BuyingRole`]s with minimum contacts, and the [`Coverage`] of
//!   an account's [`Contact`]s: covered, missing, multi-threaded roles and a coverage ratio.
//! - [`Refinement`]: an accumulator over scored accounts and their [`Deal`]s (one
//!   [`AccountOutcomes`] per account) giving, per tier and per criterion, opportunity rate,
//!   win rate, average deal size, cycle length and lift, a tier-order monotonicity check and a
//!   minimum sample size under which a tier is flagged.
//!
//! # Our rules
//!
//! Where the products this crate follows (`MadKudu`, 6sense, `HubSpot`, Salesforce) are silent or
//! disagree, the module decides, and says so here and on the item:
//!
//! - **Score** = `100 * points / max_points`, truncated to two decimals, where `points` sums the
//!   matched weighted criteria and `max_points` sums every weighted criterion (minus unknown
//!   ones under [`UnknownPolicy::Excluded`]). Truncation keeps `score >= threshold` equal to the
//!   exact comparison, so a tier never depends on rounding. Bands meant to be exclusive (two
//!   size ranges) make 100 unreachable; nest them instead (a base band plus a bonus band).
//! - **Disqualifiers win**: a matched disqualifier forces score 0 (the lowest tier, or
//!   ungraded when the lowest tier starts above 0) whatever
//!   else matched; the first one in definition order is reported. A missed must-have does the
//!   same. Points are still reported, so the explanation shows what the account would have
//!   scored.
//! - **Unknown** facts are reported as unknown, never guessed. By default they count as a miss
//!   ([`UnknownPolicy::CountsAsMiss`]); a disqualifier never fires on unknown facts.
//! - **Tiers** have inclusive lower bounds, best first. When the last starts at 0 every score
//!   has a tier; when it starts above 0, scores below it are ungraded (`FitScore::tier` is
//!   `None`, in no tier's row). Default A/B/C/D from 75/50/25/0 (quartiles); presets for
//!   `MadKudu` (85/70/50) and 6sense (81/50).
//! - **Matching** is exact and case-sensitive; ranges are inclusive at both ends; revenue in
//!   another currency than the criterion is an error, never converted.
//! - **Buying-group coverage** counts distinct contacts per role; the ratio is required roles
//!   met over required roles, with a seat ratio beside it for partial credit.
//! - **Refinement** rates are ratios of sums (win rate over closed deals only); lift divides by
//!   the overall rate; a tier with fewer closed deals than the minimum (or none) is flagged and
//!   left out of the monotonicity check.
//! - **Errors name the record**: an error about an account's data (a revenue in another
//!   currency, an attribute of another type) names the account's id and the criterion, in a
//!   batch too; an error about a deal names the deal.
//!
//! # Bulk scoring
//!
//! [`Icp::score`] scores one [`Account`] without allocating. For millions of accounts,
//! collect them into an [`AccountBatch`] (columns, values interned to small ids) and use
//! [`Icp::score_batch`] or [`Icp::score_batch_with`]: the same scores, criterion by criterion
//! over columns. Explanations are opt-in ([`FitScore::explain`]); the bitsets in every
//! [`FitScore`] already say which criteria matched, missed or were unknown.
//!
//! # Example
//!
//! ```
//! use revops::facts::Account;
//! use revops::icp::{Condition, Icp, Tiers};
//! use revops::AccountId;
//!
//! let icp = Icp::builder("core")
//!     .points("industry", Condition::industry_in(["software"]), 50)
//!     .points("size", Condition::employees(200..=5_000), 50)
//!     .disqualifier("students", Condition::industry_in(["education"]))
//!     .tiers(Tiers::sixsense())
//!     .build()?;
//! let fit = icp.score(&Account {
//!     industry: Some("software".into()),
//!     employees: Some(1_200),
//!     ..Account::new(AccountId::new("acme")?)
//! })?;
//! assert_eq!(icp.tiers().name(fit.tier), Some("strong"));
//! # Ok::<(), revops::Error>(())
//! ```
//!
//! [`Account`]: crate::facts::Account
//! [`BuyingRole`]: crate::facts::BuyingRole
//! [`Contact`]: crate::facts::Contact
//! [`Deal`]: crate::facts::Deal

mod account_qualification;
mod batch;
mod buying_group;
mod criterion;
mod engagement;
mod plan;
mod profile;
mod refinement;
mod score;
mod set;
mod tiers;

pub use self::account_qualification::{AccountQualification, AccountQualificationResult};
pub use self::batch::AccountBatch;
pub use self::buying_group::{BuyingGroup, Coverage, RoleCoverage, RoleRequirement};
pub use self::criterion::{Condition, Criterion, Effect, MAX_POINTS};
pub use self::engagement::{
    AccountEngagement, AccountEngagementModel, AccountEngagementReport, AccountEngagementTally, EngagementActivity,
    EngagementDecay, EngagementGroup, GroupEngagement, MqaResult, MqaRule, MqaThreshold,
};
pub use self::profile::{Icp, IcpBuilder, UnknownPolicy};
pub use self::refinement::{
    AccountOutcomes, CriterionReport, GroupReport, Refinement, RefinementReport, ScoredAccount, TierInversion,
    TierReport,
};
pub use self::score::{CriteriaSet, CriterionResult, Explanation, FitScore, Outcome};
pub use self::set::IcpSet;
pub use self::tiers::{Tier, Tiers};
