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
//! | [`Deal`] | an opportunity: one [`DealStatus`], amount, created, closed, forecast category, loss [`Reason`] | metrics, ICP refinement, attribution value |
//! | [`Disposition`] | what sales did with a lead: accepted, rejected with a [`Reason`], recycled | SLA quality, rejection routing, lead flow |
//! | [`Response`] | a sales touch on a lead (call, email, meeting) | speed to lead, response SLAs |
//! | [`Spend`] | money spent over a period, optionally on a channel and campaign | CAC, payback, return on marketing |
//!
//! [`FactSet`] holds the facts of one company (or one partition of them) together, for a
//! caller that evaluates everything at once.

mod account;
mod contact;
mod deal;
mod disposition;
mod journey;
mod lead;
mod reason;
mod response;
mod set;
mod spend;
mod stage_change;
mod touchpoint;

pub use self::account::{Account, AttributeValue};
pub use self::contact::{BuyingRole, Contact};
pub use self::deal::{Deal, DealStatus, ForecastCategory, Origin};
pub use self::disposition::{Disposition, DispositionOutcome};
pub use self::journey::{Conversion, Journey, Milestones};
pub use self::lead::Lead;
pub use self::reason::Reason;
pub use self::response::{Response, ResponseKind};
pub use self::set::FactSet;
pub use self::spend::{Spend, SpendKind};
pub use self::stage_change::StageChange;
pub use self::touchpoint::{Role, Roles, Touchpoint};
