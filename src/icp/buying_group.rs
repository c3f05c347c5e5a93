//! Buying groups: required roles ([`BuyingGroup`]) and their [`Coverage`] by an account's
//! [`Contact`]s.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::{BuyingRole, Contact};
use crate::{ContactId, Error, ErrorKind, Ratio};

/// The roles a deal needs, each with a minimum number of distinct contacts.
///
/// # Example
///
/// ```
/// use revops::facts::{BuyingRole, Contact};
/// use revops::icp::BuyingGroup;
/// use revops::{ContactId, Ratio};
///
/// let group = BuyingGroup::new([(BuyingRole::EconomicBuyer, 1), (BuyingRole::Champion, 2)])?;
/// let contacts = [
///     Contact::new(ContactId::new("c1")?).with_role(BuyingRole::Champion),
///     Contact::new(ContactId::new("c2")?).with_role(BuyingRole::Champion).with_role(BuyingRole::EndUser),
/// ];
/// let coverage = group.coverage(&contacts);
/// assert_eq!(coverage.covered, vec![BuyingRole::Champion]);
/// assert_eq!(coverage.missing, vec![BuyingRole::EconomicBuyer]);
/// assert_eq!(coverage.multi_threaded, vec![BuyingRole::Champion]);
/// assert_eq!(coverage.ratio, Ratio::new(1, 2));
/// assert_eq!(coverage.seats, Ratio::new(2, 3));
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/buying_group.md"))]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "Vec<RoleRequirement>", into = "Vec<RoleRequirement>")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BuyingGroup {
    required: BTreeMap<BuyingRole, u32>,
}

/// One requirement of a [`BuyingGroup`]: a role and its minimum number of contacts.
///
/// # Example
///
/// ```
/// use revops::facts::BuyingRole;
/// use revops::icp::{BuyingGroup, RoleRequirement};
///
/// let group = BuyingGroup::new([(BuyingRole::Champion, 2)])?;
/// let first = group.requirements().next();
/// assert_eq!(first, Some(RoleRequirement { role: BuyingRole::Champion, min_contacts: 2 }));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoleRequirement {
    /// The role.
    pub role: BuyingRole,
    /// Fewest distinct contacts holding it (at least 1).
    pub min_contacts: u32,
}

impl BuyingGroup {
    /// Requirements from `(role, minimum contacts)` pairs.
    ///
    /// # Errors
    /// [`ErrorKind::DuplicateKey`] if a role appears twice; [`ErrorKind::ZeroBuyingRoleMinimum`]
    /// if a minimum is 0.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::BuyingRole;
    /// use revops::icp::BuyingGroup;
    ///
    /// let group = BuyingGroup::new([(BuyingRole::EconomicBuyer, 1), (BuyingRole::Champion, 2)])?;
    /// assert_eq!(group.requirements().count(), 2);
    /// let err = BuyingGroup::new([(BuyingRole::Coach, 0)]).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("buying group role `coach` requires 0 contacts; require at least 1 or leave it out"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(required: impl IntoIterator<Item = (BuyingRole, u32)>) -> Result<BuyingGroup, Error> {
        let mut map = BTreeMap::new();
        for (role, min) in required {
            if min == 0 {
                return Err(ErrorKind::ZeroBuyingRoleMinimum { role: role.as_str() }.into());
            }
            if map.insert(role, min).is_some() {
                return Err(ErrorKind::DuplicateKey { kind: "buying role", key: (role.as_str()).to_owned() }.into());
            }
        }
        Ok(BuyingGroup { required: map })
    }

    /// The requirements, in role order.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::BuyingRole;
    /// use revops::icp::BuyingGroup;
    ///
    /// let group = BuyingGroup::new([(BuyingRole::Champion, 2), (BuyingRole::EconomicBuyer, 1)])?;
    /// let roles: Vec<BuyingRole> = group.requirements().map(|r| r.role).collect();
    /// assert_eq!(roles, [BuyingRole::EconomicBuyer, BuyingRole::Champion]); // role order
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn requirements(&self) -> impl Iterator<Item = RoleRequirement> + '_ {
        self.required.iter().map(|(&role, &min_contacts)| RoleRequirement { role, min_contacts })
    }

    /// Coverage of the requirements by `contacts` (an account's, or the contacts on one of
    /// its deals), read from each [`Contact`]'s id and roles. A contact listed twice counts
    /// once (its roles are merged); the contacts' order does not matter.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{BuyingRole, Contact};
    /// use revops::icp::BuyingGroup;
    /// use revops::{ContactId, Ratio};
    ///
    /// let group = BuyingGroup::new([(BuyingRole::EconomicBuyer, 1), (BuyingRole::TechnicalEvaluator, 1)])?;
    /// let contacts = [
    ///     Contact::new(ContactId::new("c1")?).with_role(BuyingRole::EconomicBuyer),
    ///     Contact::new(ContactId::new("c2")?).with_role(BuyingRole::TechnicalEvaluator),
    ///     Contact::new(ContactId::new("c3")?).with_role(BuyingRole::EndUser),
    /// ];
    /// // Only the contacts on one deal: any iterator of contacts will do.
    /// let on_deal = group.coverage(contacts.iter().filter(|c| c.id.as_str() != "c2"));
    /// assert_eq!(on_deal.missing, [BuyingRole::TechnicalEvaluator]);
    /// assert_eq!((on_deal.contacts, on_deal.ratio), (2, Ratio::new(1, 2)));
    /// assert!(group.coverage(&contacts).is_complete());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn coverage<'c>(&self, contacts: impl IntoIterator<Item = &'c Contact>) -> Coverage {
        let mut holders: BTreeMap<BuyingRole, BTreeSet<&ContactId>> = BTreeMap::new();
        let mut distinct: BTreeSet<&ContactId> = BTreeSet::new();
        for c in contacts {
            distinct.insert(&c.id);
            for &role in &c.roles {
                holders.entry(role).or_default().insert(&c.id);
            }
        }
        let held_by = |role: &BuyingRole| holders.get(role).map(|h| h.iter().map(|&id| id.clone()).collect::<Vec<_>>());
        let mut covered = Vec::new();
        let mut missing = Vec::new();
        let (mut seats, mut seats_needed) = (0u64, 0u64);
        let mut roles = Vec::with_capacity(self.required.len());
        for (role, &min) in &self.required {
            let held: Vec<ContactId> = held_by(role).unwrap_or_default();
            let present = held.len() as u64;
            if present >= u64::from(min) {
                covered.push(*role);
            } else {
                missing.push(*role);
            }
            seats += present.min(u64::from(min));
            seats_needed += u64::from(min);
            roles.push(RoleCoverage { role: *role, required: min, contacts: present, holders: held });
        }
        let multi_threaded = holders.iter().filter(|(_, h)| h.len() >= 2).map(|(r, _)| *r).collect();
        Coverage {
            ratio: Ratio::new(covered.len() as u64, self.required.len() as u64),
            seats: Ratio::new(seats, seats_needed),
            covered,
            missing,
            multi_threaded,
            contacts: distinct.len() as u64,
            roles,
        }
    }
}

impl TryFrom<Vec<RoleRequirement>> for BuyingGroup {
    type Error = Error;
    fn try_from(r: Vec<RoleRequirement>) -> Result<BuyingGroup, Error> {
        BuyingGroup::new(r.into_iter().map(|r| (r.role, r.min_contacts)))
    }
}

impl From<BuyingGroup> for Vec<RoleRequirement> {
    fn from(g: BuyingGroup) -> Vec<RoleRequirement> {
        g.requirements().collect()
    }
}

/// How one required role is covered, and by whom.
///
/// `holders` are the distinct contacts holding the role, in [`ContactId`] order (a contact
/// listed twice appears once), so `contacts == holders.len()`; a missing role has no holders,
/// a role short of its minimum lists the ones it has. With the `serde` feature it is
/// `{ "role": "champion", "required": 2, "contacts": 1, "holders": ["c1"] }` (an output shape:
/// it is never read back into a definition).
///
/// # Example
///
/// ```
/// use revops::facts::{BuyingRole, Contact};
/// use revops::icp::BuyingGroup;
/// use revops::{ContactId, Ratio};
///
/// let group = BuyingGroup::new([(BuyingRole::Champion, 2), (BuyingRole::EconomicBuyer, 1)])?;
/// let coverage = group.coverage(&[
///     Contact::new(ContactId::new("c2")?).with_role(BuyingRole::Champion),
///     Contact::new(ContactId::new("c1")?).with_role(BuyingRole::Champion),
/// ]);
/// let champion = coverage.roles.iter().find(|r| r.role == BuyingRole::Champion);
/// assert_eq!(champion.map(|r| (r.required, r.contacts)), Some((2, 2)));
/// let holders: Vec<&str> = champion.map(|r| r.holders.iter().map(ContactId::as_str).collect()).unwrap_or_default();
/// assert_eq!(holders, ["c1", "c2"]); // in id order
/// let buyer = coverage.roles.iter().find(|r| r.role == BuyingRole::EconomicBuyer);
/// assert_eq!(buyer.map(|r| r.holders.is_empty()), Some(true));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RoleCoverage {
    /// The role.
    pub role: BuyingRole,
    /// Contacts required.
    pub required: u32,
    /// Distinct contacts holding it (`holders.len()`).
    pub contacts: u64,
    /// The distinct contacts holding it, in id order.
    pub holders: Vec<ContactId>,
}

/// Coverage of a [`BuyingGroup`] by an account's (or a deal's) contacts. Role lists are in
/// role order.
///
/// - `ratio` = required roles covered (held by at least their minimum of distinct contacts)
///   over required roles; `0/0` (undefined) for a group without requirements;
/// - `seats` = sum over required roles of `min(contacts, minimum)` over the sum of minimums
///   (partial credit for a role with 1 of 2 champions);
/// - `multi_threaded` = every role (required or not) held by two or more distinct contacts.
///
/// # Example
///
/// ```
/// use revops::facts::{BuyingRole, Contact};
/// use revops::icp::BuyingGroup;
/// use revops::{ContactId, Ratio};
///
/// let group = BuyingGroup::new([(BuyingRole::Champion, 2), (BuyingRole::EconomicBuyer, 1)])?;
/// let contacts = [
///     Contact::new(ContactId::new("c1")?).with_role(BuyingRole::Champion).with_role(BuyingRole::EconomicBuyer),
///     Contact::new(ContactId::new("c2")?).with_role(BuyingRole::EndUser),
///     Contact::new(ContactId::new("c3")?).with_role(BuyingRole::EndUser),
/// ];
/// let coverage = group.coverage(&contacts);
/// assert_eq!(coverage.covered, [BuyingRole::EconomicBuyer]);
/// assert_eq!(coverage.missing, [BuyingRole::Champion]);
/// assert_eq!(coverage.multi_threaded, [BuyingRole::EndUser]); // required or not
/// assert_eq!((coverage.ratio, coverage.seats), (Ratio::new(1, 2), Ratio::new(2, 3)));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Coverage {
    /// Required roles met.
    pub covered: Vec<BuyingRole>,
    /// Required roles not met.
    pub missing: Vec<BuyingRole>,
    /// Roles held by two or more contacts.
    pub multi_threaded: Vec<BuyingRole>,
    /// Covered required roles over required roles.
    pub ratio: Ratio,
    /// Filled seats over required seats.
    pub seats: Ratio,
    /// Distinct contacts given.
    pub contacts: u64,
    /// Per required role, in role order, with the contacts holding it.
    pub roles: Vec<RoleCoverage>,
}

impl Coverage {
    /// Whether every required role is covered.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{BuyingRole, Contact};
    /// use revops::icp::BuyingGroup;
    /// use revops::{ContactId, Ratio};
    ///
    /// let group = BuyingGroup::new([(BuyingRole::Champion, 1)])?;
    /// assert!(group.coverage(&[Contact::new(ContactId::new("c1")?).with_role(BuyingRole::Champion)]).is_complete());
    /// assert!(!group.coverage(&[Contact::new(ContactId::new("c2")?)]).is_complete());
    /// # Ok::<(), revops::Error>(())
    /// ```
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_match_the_testkit() {
        for role in BuyingRole::ALL {
            assert_eq!(role.as_str().parse::<BuyingRole>().unwrap(), role);
            assert_eq!(role.to_string(), role.as_str());
        }
        #[cfg(feature = "testkit")]
        assert_eq!(BuyingRole::ALL.map(BuyingRole::as_str), crate::testkit::BUYING_ROLES);
        assert_eq!("cfo".parse::<BuyingRole>().unwrap_err().to_string(), "unknown buying role \"cfo\"");
    }

    #[test]
    fn bad_groups_are_named() {
        assert_eq!(
            BuyingGroup::new([(BuyingRole::Champion, 1), (BuyingRole::Champion, 2)]).unwrap_err().to_string(),
            "duplicate buying role `champion`"
        );
        assert_eq!(
            BuyingGroup::new([(BuyingRole::Coach, 0)]).unwrap_err().to_string(),
            "buying group role `coach` requires 0 contacts; require at least 1 or leave it out"
        );
    }

    fn m_id() -> ContactId {
        ContactId::new("c").unwrap()
    }

    #[test]
    fn holders_are_named_per_role_in_id_order() {
        // Worked by hand: champion needs 2 and is held by b and a (a once, though listed twice);
        // the economic buyer needs 1 and nobody holds it; end users are not required.
        let g = BuyingGroup::new([(BuyingRole::Champion, 2), (BuyingRole::EconomicBuyer, 1)]).unwrap();
        let id = |s: &str| ContactId::new(s).unwrap();
        let contacts = [
            Contact::new(id("b")).with_role(BuyingRole::Champion),
            Contact::new(id("a")).with_role(BuyingRole::Champion).with_role(BuyingRole::EndUser),
            Contact::new(id("a")).with_role(BuyingRole::Champion),
            Contact::new(id("z")).with_role(BuyingRole::EndUser),
        ];
        let c = g.coverage(&contacts);
        let by_role: Vec<(BuyingRole, u64, Vec<ContactId>)> =
            c.roles.iter().map(|r| (r.role, r.contacts, r.holders.clone())).collect();
        assert_eq!(
            by_role,
            vec![(BuyingRole::EconomicBuyer, 0, vec![]), (BuyingRole::Champion, 2, vec![id("a"), id("b")])]
        );
        assert!(c.roles.iter().all(|r| r.contacts == r.holders.len() as u64));
        #[cfg(feature = "serde")]
        assert_eq!(
            serde_json::to_string(c.roles.last().unwrap()).unwrap(),
            r#"{"role":"champion","required":2,"contacts":2,"holders":["a","b"]}"#
        );
    }

    #[test]
    fn duplicate_contacts_count_once() {
        let g = BuyingGroup::new([(BuyingRole::Champion, 2)]).unwrap();
        let m = Contact::new(ContactId::new("c").unwrap()).with_role(BuyingRole::Champion);
        let c = g.coverage(&[m.clone(), m]);
        assert_eq!(c.missing, vec![BuyingRole::Champion]);
        assert!(c.multi_threaded.is_empty());
        assert_eq!(c.seats, Ratio::new(1, 2));
        assert_eq!(c.contacts, 1);
        assert!(!c.is_complete());
        assert_eq!(c.roles.first().map(|r| (r.contacts, r.holders.clone())), Some((1, vec![m_id()])));
        let empty = BuyingGroup::new([]).unwrap().coverage(&[] as &[Contact]);
        assert_eq!(empty.ratio.value(), None);
        assert!(empty.is_complete());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let g = BuyingGroup::new([(BuyingRole::LegalOrProcurement, 1)]).unwrap();
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(json, r#"[{"role":"legal_or_procurement","min_contacts":1}]"#);
        assert_eq!(serde_json::from_str::<BuyingGroup>(&json).unwrap(), g);
        let err = serde_json::from_str::<BuyingGroup>(r#"[{"role":"coach","min_contacts":0}]"#).unwrap_err();
        assert!(err.to_string().starts_with("buying group role `coach` requires 0"), "{err}");
    }
}
