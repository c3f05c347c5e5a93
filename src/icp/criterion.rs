//! [`Criterion`]: one rule of an ICP: a [`Condition`] over account facts and its [`Effect`].

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use rust_decimal::Decimal;

use crate::{Error, ErrorKind, Money};

/// Largest number of points one weighted criterion may carry.
///
/// # Example
///
/// ```
/// use revops::icp::{Condition, Criterion, Effect, MAX_POINTS};
///
/// let heaviest = Criterion::new("core", Condition::industry_in(["software"]), Effect::Points(MAX_POINTS));
/// assert!(heaviest.validate().is_ok());
/// let too_heavy = Criterion::new("core", Condition::industry_in(["software"]), Effect::Points(MAX_POINTS + 1));
/// assert!(too_heavy.validate().is_err());
/// ```
pub const MAX_POINTS: i64 = 1_000_000;

/// One rule of an ICP: a named condition over an [`Account`](crate::facts::Account) fact and
/// what a match does.
///
/// A passive definition record; it is validated when the [`Icp`](super::Icp) holding it is
/// built or deserialized (see [`Criterion::validate`]).
///
/// # Example
///
/// ```
/// use revops::icp::{Condition, Criterion, Effect};
///
/// let c = Criterion::new("core_industry", Condition::industry_in(["software", "fintech"]), Effect::Points(30));
/// c.validate()?;
/// assert!(Criterion::new("x", Condition::Employees { min: Some(500), max: Some(200) }, Effect::MustHave).validate().is_err());
/// # Ok::<(), revops::Error>(())
/// ```
#[cfg_attr(feature = "serde", doc = include_str!("wire_format/criterion.md"))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Criterion {
    /// Unique name within its ICP, e.g. `core_industry`.
    pub name: String,
    /// What the account must be for the criterion to match.
    pub condition: Condition,
    /// What a match does.
    pub effect: Effect,
}

/// What a matched criterion does to the score.
///
/// # Example
///
/// ```
/// use revops::facts::Account;
/// use revops::icp::{Condition, Icp};
/// use revops::AccountId;
///
/// let icp = Icp::builder("saas")
///     .points("software", Condition::industry_in(["software"]), 10) // Effect::Points(10)
///     .must_have("europe", Condition::region_in(["europe"])) // Effect::MustHave
///     .disqualifier("public_sector", Condition::industry_in(["government"])) // Effect::Disqualifier
///     .build()?;
/// let outside = Account { industry: Some("software".into()), region: Some("apac".into()), ..Account::new(AccountId::new("acme")?) };
/// let fit = icp.score(&outside)?;
/// assert_eq!((fit.points, fit.score.to_string().as_str()), (10, "0.00")); // a missed must-have forces 0
/// assert_eq!(fit.must_haves_missed.iter().collect::<Vec<_>>(), vec![1]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Effect {
    /// Adds this many points when matched (1 to [`MAX_POINTS`]; negative points are not
    /// allowed: express a penalty as a [`Effect::Disqualifier`] or as a positive criterion
    /// over the opposite condition, such as [`Condition::TechnologyNone`]).
    Points(i64),
    /// Must match (a miss forces the score to 0 and the lowest tier; no points).
    MustHave,
    /// The negative ICP: a match disqualifies the account whatever else it matches (score 0,
    /// lowest tier; no points).
    Disqualifier,
}

/// A condition over account facts. Sets match when the account's value is one of them;
/// ranges are inclusive at both ends, and either end may be open.
///
/// # Example
///
/// ```
/// use revops::facts::{Account, AttributeValue};
/// use revops::icp::{Condition, Icp};
/// use revops::AccountId;
/// use rust_decimal_macros::dec;
///
/// let icp = Icp::builder("all")
///     .points("size", Condition::employees(200..=5_000), 1)
///     .points("no_oracle", Condition::technology_none(["oracle"]), 1)
///     .points("seats", Condition::number("seats", Some(dec!(10)), None), 1)
///     .build()?;
/// let mut acme = Account { employees: Some(5_000), technologies: Some(Default::default()), ..Account::new(AccountId::new("acme")?) };
/// acme.attributes.insert("seats".into(), AttributeValue::Number(dec!(9.5)));
/// let fit = icp.score(&acme)?;
/// assert_eq!(fit.matched.iter().collect::<Vec<_>>(), vec![0, 1]); // ranges are inclusive
/// assert_eq!(fit.missed.iter().collect::<Vec<_>>(), vec![2]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Condition {
    /// The account's industry is one of these.
    Industry {
        /// Allowed industries (non-empty).
        any_of: BTreeSet<String>,
    },
    /// Headcount within `min..=max`.
    Employees {
        /// Smallest headcount that matches.
        min: Option<u32>,
        /// Largest headcount that matches.
        max: Option<u32>,
    },
    /// Annual revenue within `min..=max`, in the bounds' currency (an account reporting in
    /// another currency is an error at scoring, never silently converted).
    AnnualRevenue {
        /// Smallest revenue that matches.
        min: Option<Money>,
        /// Largest revenue that matches.
        max: Option<Money>,
    },
    /// The account's country is one of these.
    Country {
        /// Allowed countries (non-empty).
        any_of: BTreeSet<String>,
    },
    /// The account's region is one of these.
    Region {
        /// Allowed regions (non-empty).
        any_of: BTreeSet<String>,
    },
    /// The account runs at least one of these technologies.
    TechnologyAny {
        /// Technologies looked for (non-empty).
        any_of: BTreeSet<String>,
    },
    /// The account runs none of these technologies.
    TechnologyNone {
        /// Technologies that must be absent (non-empty).
        none_of: BTreeSet<String>,
    },
    /// A text attribute is one of these values.
    Text {
        /// The attribute's name.
        attribute: String,
        /// Allowed values (non-empty).
        any_of: BTreeSet<String>,
    },
    /// A number attribute within `min..=max`.
    Number {
        /// The attribute's name.
        attribute: String,
        /// Smallest value that matches.
        #[cfg_attr(feature = "serde", serde(default, with = "crate::money::exact::str_option"))]
        #[cfg_attr(feature = "schema", schemars(with = "Option<crate::wire::schema::Decimal>"))]
        min: Option<Decimal>,
        /// Largest value that matches.
        #[cfg_attr(feature = "serde", serde(default, with = "crate::money::exact::str_option"))]
        #[cfg_attr(feature = "schema", schemars(with = "Option<crate::wire::schema::Decimal>"))]
        max: Option<Decimal>,
    },
    /// A flag attribute equals this value.
    Flag {
        /// The attribute's name.
        attribute: String,
        /// The value that matches.
        value: bool,
    },
}

fn set<I, S>(values: I) -> BTreeSet<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    values.into_iter().map(Into::into).collect()
}

impl Condition {
    /// [`Condition::Industry`] over `industries`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Condition;
    ///
    /// assert_eq!(Condition::industry_in(["software"]), Condition::Industry { any_of: ["software".to_owned()].into() });
    /// ```
    pub fn industry_in<I: IntoIterator<Item = S>, S: Into<String>>(industries: I) -> Condition {
        Condition::Industry { any_of: set(industries) }
    }

    /// [`Condition::Employees`] within `range` (inclusive).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Condition;
    ///
    /// assert_eq!(Condition::employees(200..=5_000), Condition::Employees { min: Some(200), max: Some(5_000) });
    /// ```
    #[must_use]
    pub fn employees(range: RangeInclusive<u32>) -> Condition {
        Condition::Employees { min: Some(*range.start()), max: Some(*range.end()) }
    }

    /// [`Condition::Employees`] of at least `min`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Condition;
    ///
    /// assert_eq!(Condition::employees_at_least(1_000), Condition::Employees { min: Some(1_000), max: None });
    /// ```
    #[must_use]
    pub const fn employees_at_least(min: u32) -> Condition {
        Condition::Employees { min: Some(min), max: None }
    }

    /// [`Condition::AnnualRevenue`] within `min..=max` (either end may be open).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Condition;
    /// use revops::{Currency, Money};
    ///
    /// let twenty_million = Money::from_minor(20_000_000_00, Currency::USD);
    /// let c = Condition::annual_revenue(Some(twenty_million), None);
    /// assert_eq!(c, Condition::AnnualRevenue { min: Some(twenty_million), max: None });
    /// ```
    #[must_use]
    pub const fn annual_revenue(min: Option<Money>, max: Option<Money>) -> Condition {
        Condition::AnnualRevenue { min, max }
    }

    /// [`Condition::Country`] over `countries`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Condition;
    ///
    /// assert_eq!(Condition::country_in(["DE", "FR"]), Condition::Country { any_of: ["DE".to_owned(), "FR".to_owned()].into() });
    /// ```
    pub fn country_in<I: IntoIterator<Item = S>, S: Into<String>>(countries: I) -> Condition {
        Condition::Country { any_of: set(countries) }
    }

    /// [`Condition::Region`] over `regions`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::Condition;
    ///
    /// assert_eq!(Condition::region_in(["europe"]), Condition::Region { any_of: ["europe".to_owned()].into() });
    /// ```
    pub fn region_in<I: IntoIterator<Item = S>, S: Into<String>>(regions: I) -> Condition {
        Condition::Region { any_of: set(regions) }
    }

    /// [`Condition::TechnologyAny`]: runs at least one of `technologies`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("crm").points("crm", Condition::technology_any(["salesforce", "hubspot"]), 1).build()?;
    /// let acme = Account { technologies: Some(["hubspot".to_owned()].into()), ..Account::new(AccountId::new("acme")?) };
    /// assert!(icp.score(&acme)?.matched.contains(0));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn technology_any<I: IntoIterator<Item = S>, S: Into<String>>(technologies: I) -> Condition {
        Condition::TechnologyAny { any_of: set(technologies) }
    }

    /// [`Condition::TechnologyNone`]: runs none of `technologies`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::Account;
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("greenfield").points("no_crm", Condition::technology_none(["salesforce"]), 1).build()?;
    /// let looked = Account { technologies: Some(Default::default()), ..Account::new(AccountId::new("acme")?) };
    /// assert!(icp.score(&looked)?.matched.contains(0)); // looked and found none
    /// let never = Account::new(AccountId::new("unknown")?);
    /// assert!(icp.score(&never)?.unknown.contains(0)); // never enriched: unknown, not a match
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn technology_none<I: IntoIterator<Item = S>, S: Into<String>>(technologies: I) -> Condition {
        Condition::TechnologyNone { none_of: set(technologies) }
    }

    /// [`Condition::Text`]: attribute `attribute` is one of `values`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Account, AttributeValue};
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("plans").points("paid", Condition::text_in("plan", ["pro", "enterprise"]), 1).build()?;
    /// let mut acme = Account::new(AccountId::new("acme")?);
    /// acme.attributes.insert("plan".into(), AttributeValue::Text("pro".into()));
    /// assert!(icp.score(&acme)?.matched.contains(0));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn text_in<I: IntoIterator<Item = S>, S: Into<String>>(attribute: impl Into<String>, values: I) -> Condition {
        Condition::Text { attribute: attribute.into(), any_of: set(values) }
    }

    /// [`Condition::Number`]: attribute `attribute` within `min..=max`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Account, AttributeValue};
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    /// use rust_decimal_macros::dec;
    ///
    /// let icp = Icp::builder("seats").points("seats", Condition::number("seats", Some(dec!(10)), Some(dec!(500))), 1).build()?;
    /// let mut acme = Account::new(AccountId::new("acme")?);
    /// acme.attributes.insert("seats".into(), AttributeValue::Number(dec!(500)));
    /// assert!(icp.score(&acme)?.matched.contains(0));
    /// acme.attributes.insert("seats".into(), AttributeValue::Flag(true));
    /// let err = icp.score(&acme).err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("account `acme`: attribute \"seats\" is flag, but icp criterion `seats` expects number"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn number(attribute: impl Into<String>, min: Option<Decimal>, max: Option<Decimal>) -> Condition {
        Condition::Number { attribute: attribute.into(), min, max }
    }

    /// [`Condition::Flag`]: attribute `attribute` equals `value`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::facts::{Account, AttributeValue};
    /// use revops::icp::{Condition, Icp};
    /// use revops::AccountId;
    ///
    /// let icp = Icp::builder("data").points("data_team", Condition::flag("has_data_team", true), 1).build()?;
    /// let mut acme = Account::new(AccountId::new("acme")?);
    /// acme.attributes.insert("has_data_team".into(), AttributeValue::Flag(false));
    /// assert!(icp.score(&acme)?.missed.contains(0));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn flag(attribute: impl Into<String>, value: bool) -> Condition {
        Condition::Flag { attribute: attribute.into(), value }
    }
}

impl Criterion {
    /// A criterion called `name`.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Criterion, Effect};
    ///
    /// let c = Criterion::new("core_industry", Condition::industry_in(["software"]), Effect::Points(30));
    /// assert_eq!(c.name, "core_industry");
    /// ```
    pub fn new(name: impl Into<String>, condition: Condition, effect: Effect) -> Criterion {
        Criterion { name: name.into(), condition, effect }
    }

    /// Checks the criterion on its own (an [`Icp`](super::Icp) also checks names are unique).
    ///
    /// # Errors
    /// - [`ErrorKind::InvalidValue`] if the name or an attribute name is empty;
    /// - [`ErrorKind::InvalidCriterion`] if weighted points are not from 1 to [`MAX_POINTS`], a
    ///   set of values is empty, or a range has neither end or its min above its max;
    /// - [`ErrorKind::CurrencyMismatch`] if revenue bounds are in two currencies.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::icp::{Condition, Criterion, Effect};
    ///
    /// Criterion::new("size", Condition::employees(200..=5_000), Effect::Points(30)).validate()?;
    /// let inverted = Criterion::new("size", Condition::Employees { min: Some(500), max: Some(200) }, Effect::MustHave);
    /// let err = inverted.validate().err().map(|e| e.to_string());
    /// assert_eq!(err.as_deref(), Some("icp criterion `size` has employees min 500 above max 200"));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let name = &self.name;
        if name.trim().is_empty() {
            return Err(ErrorKind::InvalidValue {
                field: "icp criterion name",
                value: name.clone(),
                reason: "must not be empty",
            }
            .into());
        }
        if let Effect::Points(points) = self.effect
            && !(1..=MAX_POINTS).contains(&points)
        {
            let problem = format!("has invalid points {points}: must be from 1 to 1000000");
            return Err(ErrorKind::InvalidCriterion { criterion: name.clone(), problem }.into());
        }
        let non_empty = |values: &BTreeSet<String>, field: &'static str| {
            if values.is_empty() {
                Err(ErrorKind::InvalidCriterion {
                    criterion: name.clone(),
                    problem: format!("has an empty {field} set"),
                }
                .into())
            } else {
                Ok(())
            }
        };
        let attribute_named = |attribute: &str| {
            if attribute.is_empty() {
                Err(ErrorKind::InvalidValue {
                    field: "icp attribute name",
                    value: attribute.to_owned(),
                    reason: "must not be empty",
                }
                .into())
            } else {
                Ok(())
            }
        };
        match &self.condition {
            Condition::Industry { any_of } => non_empty(any_of, "industry"),
            Condition::Country { any_of } => non_empty(any_of, "country"),
            Condition::Region { any_of } => non_empty(any_of, "region"),
            Condition::TechnologyAny { any_of } => non_empty(any_of, "technology"),
            Condition::TechnologyNone { none_of } => non_empty(none_of, "technology"),
            Condition::Text { attribute, any_of } => {
                attribute_named(attribute)?;
                non_empty(any_of, "text")
            }
            Condition::Flag { attribute, .. } => attribute_named(attribute),
            Condition::Employees { min, max } => check_range(name, "employees", *min, *max),
            Condition::Number { attribute, min, max } => {
                attribute_named(attribute)?;
                check_range(name, "number", *min, *max)
            }
            Condition::AnnualRevenue { min, max } => {
                if let (Some(lo), Some(hi)) = (min, max)
                    && lo.currency() != hi.currency()
                {
                    return Err(ErrorKind::CurrencyMismatch { expected: lo.currency(), found: hi.currency() }.into());
                }
                check_range(name, "annual_revenue", min.map(|m| m.amount()), max.map(|m| m.amount()))
            }
        }
    }
}

fn check_range<T: PartialOrd + ToString>(
    criterion: &str,
    field: &'static str,
    min: Option<T>,
    max: Option<T>,
) -> Result<(), Error> {
    match (min, max) {
        (None, None) => Err(ErrorKind::InvalidCriterion {
            criterion: criterion.to_owned(),
            problem: format!("has a {field} range with neither min nor max"),
        }
        .into()),
        (Some(lo), Some(hi)) if lo > hi => Err(ErrorKind::InvalidCriterion {
            criterion: criterion.to_owned(),
            problem: format!("has {field} min {} above max {}", lo.to_string(), hi.to_string()),
        }
        .into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use rust_decimal_macros::dec;

    fn err(condition: Condition, effect: Effect) -> String {
        Criterion::new("c", condition, effect).validate().unwrap_err().to_string()
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(
            err(Condition::industry_in(Vec::<String>::new()), Effect::MustHave),
            "icp criterion `c` has an empty industry set"
        );
        assert_eq!(
            err(Condition::Employees { min: Some(500), max: Some(200) }, Effect::MustHave),
            "icp criterion `c` has employees min 500 above max 200"
        );
        assert_eq!(
            err(Condition::Employees { min: None, max: None }, Effect::MustHave),
            "icp criterion `c` has a employees range with neither min nor max"
        );
        assert_eq!(
            err(Condition::industry_in(["a"]), Effect::Points(-5)),
            "icp criterion `c` has invalid points -5: must be from 1 to 1000000"
        );
        assert!(Criterion::new("c", Condition::industry_in(["a"]), Effect::Points(0)).validate().is_err());
        assert!(Criterion::new("c", Condition::industry_in(["a"]), Effect::Points(MAX_POINTS)).validate().is_ok());
        assert_eq!(
            err(
                Condition::annual_revenue(
                    Some(Money::new(dec!(5), Currency::USD)),
                    Some(Money::new(dec!(1), Currency::USD))
                ),
                Effect::MustHave
            ),
            "icp criterion `c` has annual_revenue min 5 above max 1"
        );
        assert_eq!(
            Criterion::new(
                "c",
                Condition::annual_revenue(Some(Money::zero(Currency::USD)), Some(Money::zero(Currency::EUR))),
                Effect::MustHave
            )
            .validate()
            .unwrap_err(),
            ErrorKind::CurrencyMismatch { expected: Currency::USD, found: Currency::EUR }
        );
        assert_eq!(
            Criterion::new(" ", Condition::flag("x", true), Effect::MustHave).validate().unwrap_err().to_string(),
            "invalid icp criterion name \" \": must not be empty"
        );
        assert_eq!(
            err(Condition::flag("", true), Effect::MustHave),
            "invalid icp attribute name \"\": must not be empty"
        );
        assert_eq!(
            err(Condition::text_in("plan", Vec::<String>::new()), Effect::MustHave),
            "icp criterion `c` has an empty text set"
        );
        assert!(
            Criterion::new("c", Condition::number("n", Some(dec!(2)), Some(dec!(1))), Effect::MustHave)
                .validate()
                .is_err()
        );
        assert!(Criterion::new("c", Condition::employees_at_least(5), Effect::MustHave).validate().is_ok());
        assert!(Criterion::new("c", Condition::technology_none(["x"]), Effect::Disqualifier).validate().is_ok());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_format() {
        let c = Criterion::new("size", Condition::number("seats", Some(dec!(1.5)), None), Effect::Points(10));
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"name":"size","condition":{"kind":"number","attribute":"seats","min":"1.5","max":null},"effect":{"points":10}}"#
        );
        assert_eq!(serde_json::from_str::<Criterion>(&json).unwrap(), c);
        let d = Criterion::new("dq", Condition::industry_in(["government"]), Effect::Disqualifier);
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(
            json,
            r#"{"name":"dq","condition":{"kind":"industry","any_of":["government"]},"effect":"disqualifier"}"#
        );
        assert_eq!(serde_json::from_str::<Criterion>(&json).unwrap(), d);
        assert!(
            serde_json::from_str::<Criterion>(
                r#"{"name":"dq","condition":{"kind":"industry","any_of":["g"],"x":1},"effect":"disqualifier"}"#
            )
            .is_err()
        );
    }
}
