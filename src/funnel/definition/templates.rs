//! The built-in funnel templates: `HubSpot`'s lifecycle, the demand waterfall and buyer-language
//! stages.

use super::{Funnel, TransitionPolicy};
use crate::funnel::handoff::{HandoffField, HandoffRequirement};
use crate::funnel::stage::{Owner, Stage, StageKind};
use crate::{Probability, StageId};

impl Funnel {
    /// `HubSpot`'s default lifecycle: subscriber, lead, marketing qualified lead, sales qualified
    /// lead, opportunity, customer, evangelist, with `other` as a side stage. Skips allowed
    /// (`HubSpot` lets a contact jump stages forward); no nurture stage; no handoff requirements.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{ChangeKind, Funnel, Owner};
    /// use revops::StageId;
    ///
    /// let hubspot = Funnel::hubspot_lifecycle();
    /// assert_eq!(hubspot.stages().len(), 7);
    /// let (lead, opportunity) = (StageId::new("lead")?, StageId::new("opportunity")?);
    /// // Skips are allowed: a lead can become an opportunity in one automatic move.
    /// assert!(hubspot.check_move(Some(&lead), &opportunity, &ChangeKind::Automatic)?.is_applied());
    /// let customer = hubspot.stage(&StageId::new("customer")?).map(|s| s.owner);
    /// assert_eq!(customer, Some(Owner::CustomerSuccess));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn hubspot_lifecycle() -> Funnel {
        let open = |id: &str, name: &str, owner: Owner, description: &str| {
            template_stage(id, name, owner, StageKind::Open, description)
        };
        Funnel {
            name: "HubSpot lifecycle".to_owned(),
            stages: vec![
                open("subscriber", "Subscriber", Owner::Marketing, "Opted in to hear from us (blog, newsletter)"),
                open("lead", "Lead", Owner::Marketing, "Showed interest beyond a subscription (a form, a download)"),
                open(
                    "marketingqualifiedlead",
                    "Marketing qualified lead",
                    Owner::Marketing,
                    "Meets the fit and engagement thresholds marketing and sales agreed",
                ),
                open(
                    "salesqualifiedlead",
                    "Sales qualified lead",
                    Owner::Sales,
                    "Sales confirmed the lead is worth a direct sales follow-up",
                ),
                open("opportunity", "Opportunity", Owner::Sales, "A deal is open"),
                open("customer", "Customer", Owner::CustomerSuccess, "At least one closed-won deal"),
                open("evangelist", "Evangelist", Owner::CustomerSuccess, "A customer who refers or advocates"),
            ],
            side_stages: vec![template_stage(
                "other",
                "Other",
                Owner::Shared,
                StageKind::Side,
                "Outside the lifecycle (partners, press, candidates)",
            )],
            policy: TransitionPolicy { allow_skips: true, nurture: None },
            handoffs: Vec::new(),
        }
    }

    /// The Sirius Decisions demand waterfall: inquiry, MQL, SAL, SQL, won, lost, with side
    /// stages `nurture` (the recycle target) and `disqualified`. Skips are not allowed (every
    /// lead passes every gate); the MQL-to-SAL handoff requires the lead and account ids, MQL
    /// time and reason, both scores, the lead source and the SLA deadline.
    ///
    /// Default probabilities (closing won): SQL 20%, won 100%, lost 0%.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{ChangeKind, Funnel};
    /// use revops::{Probability, StageId};
    /// use rust_decimal_macros::dec;
    ///
    /// let waterfall = Funnel::demand_waterfall();
    /// let sql = StageId::new("sql")?;
    /// assert_eq!(waterfall.stage(&sql).and_then(|s| s.probability), Some(Probability::from_percent(20)?));
    /// // No skips: an inquiry cannot jump to SQL automatically.
    /// let inquiry = StageId::new("inquiry")?;
    /// assert!(!waterfall.check_move(Some(&inquiry), &sql, &ChangeKind::Automatic)?.is_applied());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn demand_waterfall() -> Funnel {
        let prob = |p: u8| Probability::from_percent(p).ok();
        let mut sql = template_stage(
            "sql",
            "Sales qualified lead",
            Owner::Sales,
            StageKind::Open,
            "Sales qualified it: a real opportunity is likely",
        );
        sql.probability = prob(20);
        let mut won =
            template_stage("won", "Won", Owner::Sales, StageKind::Won, "Closed won: the account is a customer");
        won.probability = prob(100);
        let mut lost = template_stage("lost", "Lost", Owner::Sales, StageKind::Lost, "Closed lost");
        lost.probability = prob(0);
        let id = |s: &str| StageId::trusted(s.to_owned());
        Funnel {
            name: "Demand waterfall".to_owned(),
            stages: vec![
                template_stage(
                    "inquiry",
                    "Inquiry",
                    Owner::Marketing,
                    StageKind::Open,
                    "A known person raised a hand (form, event, import)",
                ),
                template_stage(
                    "mql",
                    "Marketing qualified lead",
                    Owner::Marketing,
                    StageKind::Open,
                    "Meets the agreed fit and engagement thresholds; handed to sales",
                ),
                template_stage(
                    "sal",
                    "Sales accepted lead",
                    Owner::Sales,
                    StageKind::Open,
                    "Sales accepted the handoff and is working it",
                ),
                sql,
                won,
                lost,
            ],
            side_stages: vec![
                template_stage(
                    "nurture",
                    "Nurture",
                    Owner::Marketing,
                    StageKind::Side,
                    "Recycled to marketing until it re-qualifies",
                ),
                template_stage(
                    "disqualified",
                    "Disqualified",
                    Owner::Sales,
                    StageKind::Disqualified,
                    "Out of the funnel for good (bad fit, bad data, duplicate)",
                ),
            ],
            policy: TransitionPolicy { allow_skips: false, nurture: Some(id("nurture")) },
            handoffs: vec![HandoffRequirement {
                from: id("mql"),
                to: id("sal"),
                required: HandoffField::MQL_TO_SAL.into_iter().collect(),
            }],
        }
    }

    /// Buyer-language stages: Curious (learning: visited, read, downloaded; owned by
    /// marketing), Engaged (interacting: came back, attended a webinar, replied; shared), and
    /// Interested (asked to talk: demo request, question; owned by sales), then won and lost,
    /// with a `nurture` side stage. Skips allowed (a demo request can come first).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::funnel::{Funnel, Owner};
    /// use revops::StageId;
    ///
    /// let buyer = Funnel::buyer_language();
    /// let order: Vec<&str> = buyer.stages().iter().map(|s| s.id.as_str()).collect();
    /// assert_eq!(order, ["curious", "engaged", "interested", "won", "lost"]);
    /// let owners = buyer.handoff_owners(&StageId::new("engaged")?, &StageId::new("interested")?);
    /// assert_eq!(owners, Some((Owner::Shared, Owner::Sales)));
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn buyer_language() -> Funnel {
        Funnel {
            name: "Buyer language".to_owned(),
            stages: vec![
                template_stage(
                    "curious",
                    "Curious",
                    Owner::Marketing,
                    StageKind::Open,
                    "Learning: visited, read, downloaded",
                ),
                template_stage(
                    "engaged",
                    "Engaged",
                    Owner::Shared,
                    StageKind::Open,
                    "Interacting: came back, attended a webinar, replied",
                ),
                template_stage(
                    "interested",
                    "Interested",
                    Owner::Sales,
                    StageKind::Open,
                    "Asked to talk: demo request, question",
                ),
                template_stage("won", "Won", Owner::Sales, StageKind::Won, "Bought"),
                template_stage("lost", "Lost", Owner::Sales, StageKind::Lost, "Decided not to buy"),
            ],
            side_stages: vec![template_stage(
                "nurture",
                "Nurture",
                Owner::Marketing,
                StageKind::Side,
                "Not ready; marketing keeps in touch",
            )],
            policy: TransitionPolicy { allow_skips: true, nurture: Some(StageId::trusted("nurture".to_owned())) },
            handoffs: Vec::new(),
        }
    }
}

fn template_stage(id: &str, name: &str, owner: Owner, kind: StageKind, description: &str) -> Stage {
    Stage {
        id: StageId::trusted(id.to_owned()),
        name: name.to_owned(),
        description: description.to_owned(),
        owner,
        kind,
        probability: None,
    }
}
