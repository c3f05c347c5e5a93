//! Facts: what happened, one type per business fact, shared by every module.
//!
//! The crate has three layers (see the crate docs): *definitions* (what sales and marketing
//! agreed), *facts* (what happened), and *evaluations* (definitions applied to facts, as of an
//! instant the caller gives). This module is the middle layer. Each business fact has exactly
//! one type here, and every module ([`icp`](crate::icp), [`funnel`](crate::funnel),
//! [`sla`](crate::sla), [`attribution`](crate::attribution), [`metrics`](crate::metrics))
//! evaluates these types; none defines its own copy. Where a module needs a derived view (a
//! stage history, an SLA instance, a journey's roles), it derives it from these facts with a
//! documented function.
//!
//! Facts are plain structs with pub fields, `DateTime<Utc>` instants and exact [`Money`](crate::Money),
//! built by the caller from CRM or warehouse rows. They depend only on ids, money,
//! probability and period. A fact is checked where it is evaluated, and an error about it
//! names it (its kind and id).
//!
//! | fact | what it records | read by |
//! | --- | --- | --- |
//! | [`Account`] | who a company is (firmographics, technographics, custom attributes) | ICP fit |
//! | [`Contact`] | a person at an account, with typed buying roles | buying-group coverage, handoffs |
//! | [`Lead`] | a lead: source, owner, created | funnel, SLAs, lead-flow metrics |
//! | [`StageChange`] | an entity entering a stage, at an instant | funnel history, conversion |
//! | [`Touchpoint`], [`Journey`] | marketing and sales interactions, in order, with the conversion | attribution |
//! | [`Deal`] | an opportunity: one [`DealStatus`], amount, created, closed, forecast category, loss [`Reason`], its contacts | metrics, ICP refinement, buying-group coverage, attribution value |
//! | [`Disposition`] | what sales did with a lead: accepted, rejected with a [`Reason`], recycled | SLA quality, rejection routing, lead flow |
//! | [`Response`] | a sales touch on a lead (call, email, meeting) | speed to lead, response SLAs |
//! | [`IntentSignal`] | an account's intent score (0-100) on a topic, observed at an instant | account qualification (6QA), MQA |
//! | [`Spend`] | money spent over a period, optionally on a channel and campaign | CAC, payback, return on marketing |
//! | [`RecurringRevenue`] | a customer's MRR from an instant on (a subscription movement or snapshot) | retention, revenue churn |
//!
//! [`FactSet`] holds the facts of one company (or one partition of them) together, for a
//! caller that evaluates everything at once.
//!
//! # Example
//!
//! One lead's story, as a CRM export tells it, is a handful of facts that name each other:
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use revops::facts::{
//!     Deal, DealStatus, Disposition, DispositionOutcome, FactSet, Journey, Lead, Response, ResponseKind,
//!     StageChange, Touchpoint,
//! };
//! use revops::{ChannelId, Currency, JourneyId, LeadId, Money, OpportunityId, StageId};
//!
//! let t = |d, h| Utc.with_ymd_and_hms(2024, 6, d, h, 0, 0).single().unwrap_or_default();
//! let lead = LeadId::new("L-1")?;
//! let value = Money::from_minor(24_000_00, Currency::USD);
//! let webinar = ChannelId::new("webinar")?;
//!
//! let mut facts = FactSet::default();
//! facts.leads.push(Lead::new(lead.clone(), t(3, 9)).from_source(webinar.clone()));
//! facts.stage_changes.push(StageChange { entity: lead.clone(), stage: StageId::new("mql")?, at: t(3, 10) });
//! facts.responses.push(Response::new(lead.clone(), t(3, 11), ResponseKind::Call));
//! facts.dispositions.push(Disposition { lead: lead.clone(), at: t(4, 9), outcome: DispositionOutcome::Accepted });
//! facts.deals.push(
//!     Deal::new(OpportunityId::new("opp-1")?, t(5, 9), value, DealStatus::Won)
//!         .closed_at(Some(t(28, 17)))
//!         .lead(Some(lead)),
//! );
//! facts.journeys.push(
//!     Journey::converted(JourneyId::new("opp-1")?, t(28, 17), value)
//!         .with_touch(Touchpoint::new(t(1, 12), ChannelId::new("paid_search")?))
//!         .with_touch(Touchpoint::new(t(3, 9), webinar)),
//! );
//! facts.check()?; // ids unique per kind, every deal and journey consistent
//!
//! // Evaluations read the facts they need: two hours from lead creation to the first call.
//! let created = facts.leads.iter().map(|l| l.created_at).min();
//! let first_call = facts.responses.iter().map(|r| r.at).min();
//! assert_eq!(created.zip(first_call).map(|(c, r)| (r - c).num_hours()), Some(2));
//!
//! // The same lead exported twice is refused, not counted twice.
//! facts.leads.push(Lead::new(LeadId::new("L-1")?, t(3, 9)));
//! assert!(facts.check().is_err());
//! # Ok::<(), revops::Error>(())
//! ```

mod account;
mod buying_stage;
mod contact;
mod deal;
mod disposition;
mod intent;
mod journey;
mod lead;
mod reason;
mod recurring_revenue;
mod response;
mod set;
mod spend;
mod stage_change;
mod touchpoint;

pub use self::account::{Account, AttributeValue};
pub use self::buying_stage::{BuyingStage, BuyingStageChange};
pub use self::contact::{BuyingRole, Contact};
pub use self::deal::{Deal, DealStatus, ForecastCategory, Origin};
pub use self::disposition::{Disposition, DispositionOutcome};
pub use self::intent::{IntentSignal, MAX_INTENT_SCORE};
pub use self::journey::{Conversion, Journey, Milestones};
pub use self::lead::Lead;
pub use self::reason::Reason;
pub use self::recurring_revenue::RecurringRevenue;
pub use self::response::{Response, ResponseKind};
pub use self::set::FactSet;
pub use self::spend::{Spend, SpendKind};
pub use self::stage_change::StageChange;
pub use self::touchpoint::{Role, Roles, Touchpoint};
