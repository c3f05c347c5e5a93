//! The ideal customer profile: fit scores with reasons, tiers, buying groups, and refinement
//! from who actually closes.
//!
//! A shared ICP keeps marketing from filling the funnel with accounts sales would never pursue.
//! This module holds it as data (definitions.md section 3):
//!
//! - [`Icp`]: criteria ([`Criterion`]: a [`Condition`] over [`AccountProfile`] facts and an
//!   [`Effect`]: weighted points, must-have, or disqualifier, the negative ICP), tier
//!   thresholds ([`Tiers`]: A/B/C/D by default, `MadKudu` and 6sense presets, inclusive lower
//!   bounds) and an [`UnknownPolicy`]. Validated by [`IcpBuilder::build`] and on deserialize.
//!   Several ICPs coexist in an [`IcpSet`], one per product or segment.
//! - [`Icp::score`] gives a [`FitScore`]: points, a 0 to 100 normalised score, the tier, the
//!   criteria matched, missed and unknown (as `Copy` bitsets, so every score explains itself at
//!   no cost), and the disqualifier that fired; [`FitScore::explain`] spells it out by name.
//!   Fit uses only who the account is; behaviour belongs to engagement scoring.
//! - [`BuyingGroup`]: required [`BuyingRole`]s with minimum contacts, and the [`Coverage`] of
//!   an account's contacts: covered, missing, multi-threaded roles and a coverage ratio.
//! - [`Refinement`]: an accumulator over scored accounts and their deals giving, per tier and
//!   per criterion, opportunity rate, win rate, average deal size, cycle length and lift, a
//!   tier-order monotonicity check and a minimum sample size under which a tier is flagged.
//!
//! # Example
//!
//! ```
//! use revops::icp::{AccountProfile, Condition, Icp, Tiers};
//!
//! let icp = Icp::builder("core")
//!     .points("industry", Condition::industry_in(["software"]), 50)
//!     .points("size", Condition::employees(200..=5_000), 50)
//!     .disqualifier("students", Condition::industry_in(["education"]))
//!     .tiers(Tiers::sixsense())
//!     .build()?;
//! let fit = icp.score(&AccountProfile {
//!     industry: Some("software".into()),
//!     employees: Some(1_200),
//!     ..AccountProfile::default()
//! })?;
//! assert_eq!(icp.tiers().name(fit.tier), Some("strong"));
//! # Ok::<(), revops::Error>(())
//! ```

mod account;
mod batch;
mod buying_group;
mod criterion;
mod plan;
mod profile;
mod refinement;
mod score;
mod set;
mod tiers;

pub use self::account::{AccountProfile, AttributeValue};
pub use self::batch::AccountBatch;
pub use self::buying_group::{BuyingGroup, BuyingGroupMember, BuyingRole, Coverage, RoleCoverage, RoleRequirement};
pub use self::criterion::{Condition, Criterion, Effect, MAX_POINTS};
pub use self::profile::{Icp, IcpBuilder, UnknownPolicy};
pub use self::refinement::{
    CriterionReport, DealOutcome, DealStatus, GroupReport, Refinement, RefinementReport, ScoredAccount, TierInversion,
    TierReport,
};
pub use self::score::{CriteriaSet, CriterionResult, Explanation, FitScore, Outcome};
pub use self::set::IcpSet;
pub use self::tiers::{Tier, Tiers};
