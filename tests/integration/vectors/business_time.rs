//! Family runners of area `business_time`: business time between two instants, added to an
//! instant, open or not and the next opening, and invalid calendars.
//!
//! The calendar is read twice: through the public builder (so an invalid definition fails with
//! its typed error kind) and through its wire format (serde), and both must agree. Every
//! answer is also computed on a [`BusinessTimeline`] over the dates around the case, which
//! must give the calendar's answer.
//!
//! Also holds the helpers the other families of `vectors2` share (instants, durations).

use chrono::{DateTime, Days, SecondsFormat, TimeDelta, Utc, Weekday};
use revops::Error;
use revops::calendar::{
    BusinessCalendar, BusinessClock, BusinessSpan, BusinessTimeline, CalendarException, ExceptionKind, WorkingWindow,
    parse_date,
};
use serde_json::{Value, json};

use super::{Case, Path};

/// The paths of the families that also run on a precomputed or columnar form (business time
/// on a `BusinessTimeline`, ICP fit on an `AccountBatch`).
pub(super) const ROW_AND_COLUMNAR: &[Path] = &[Path::Row, Path::Columnar];

/// An RFC 3339 instant of a vector (any offset), in UTC.
pub(super) fn instant(v: &Value) -> DateTime<Utc> {
    let text = v.as_str().unwrap_or_else(|| panic!("an instant must be an RFC 3339 string, got {v}"));
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("bad instant {text}: {e}")).with_timezone(&Utc)
}

/// An instant as the vectors write results: RFC 3339 in UTC with `Z`, whole seconds.
pub(super) fn write_instant(at: DateTime<Utc>) -> Value {
    Value::String(at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// An optional instant (`null` for none).
pub(super) fn write_opt_instant(at: Option<DateTime<Utc>>) -> Value {
    at.map_or(Value::Null, write_instant)
}

/// Whole seconds of a duration (the vectors' durations are whole seconds).
pub(super) fn seconds(d: TimeDelta) -> i64 {
    assert_eq!(d.subsec_nanos(), 0, "a vector duration is whole seconds: {d}");
    d.num_seconds()
}

/// A field of a vector object that must be there.
pub(super) fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or_else(|| panic!("the vector lacks `{key}`: {v}"))
}

/// A text field that must be there.
pub(super) fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    field(v, key).as_str().unwrap_or_else(|| panic!("`{key}` must be a string: {v}"))
}

/// A value of a plain (unvalidated) serde type of the crate, read from a vector.
pub(super) fn plain<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"))
}

fn weekday(key: &str) -> Weekday {
    match key {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        other => panic!("not a weekday key: {other}"),
    }
}

/// The calendar of a definition in the agreement's wire format, built through the public
/// builder (typed errors), and checked equal to the same definition read by serde.
pub(super) fn calendar(def: &Value) -> Result<BusinessCalendar, Error> {
    let mut builder = BusinessCalendar::builder(text(def, "zone"));
    if let Some(week) = field(def, "week").as_object() {
        for (day, windows) in week {
            for w in windows.as_array().into_iter().flatten() {
                let window: WorkingWindow = w.as_str().unwrap_or_default().parse()?;
                builder = builder.window(weekday(day), window);
            }
        }
    }
    for h in def.get("holidays").and_then(Value::as_array).into_iter().flatten() {
        builder = builder.holiday(parse_date(h.as_str().unwrap_or_default())?);
    }
    for x in def.get("exceptions").and_then(Value::as_array).into_iter().flatten() {
        let kind = match text(x, "kind") {
            "open" => ExceptionKind::Open,
            "closed" => ExceptionKind::Closed,
            other => panic!("not an exception kind: {other}"),
        };
        builder =
            builder.exception(CalendarException::new(instant(field(x, "start")), instant(field(x, "end")), kind)?);
    }
    let built = builder.build()?;
    let wire: BusinessCalendar = serde_json::from_value(def.clone())
        .unwrap_or_else(|e| panic!("the builder accepts a calendar its wire format refuses ({e}): {def}"));
    assert_eq!(wire, built, "the wire format and the builder read different calendars: {def}");
    Ok(built)
}

/// A timeline over the dates around `at` (a week before to a hundred days after).
fn timeline(calendar: &BusinessCalendar, at: DateTime<Utc>) -> Result<BusinessTimeline, Error> {
    let day = at.date_naive();
    let from = day.checked_sub_days(Days::new(7)).unwrap_or(day);
    let to = day.checked_add_days(Days::new(100)).unwrap_or(day);
    BusinessTimeline::new(calendar, from, to)
}

fn between_on(clock: &impl BusinessClock, facts: &Value) -> Result<Value, Error> {
    let (start, end) = (instant(field(facts, "start")), instant(field(facts, "end")));
    Ok(json!({ "seconds": seconds(clock.between(start, end)?) }))
}

fn add_on(clock: &impl BusinessClock, facts: &Value) -> Result<Value, Error> {
    let span: BusinessSpan = text(facts, "span").parse()?;
    Ok(json!({ "deadline": write_instant(clock.add(instant(field(facts, "start")), span)?) }))
}

fn opening_on(clock: &impl BusinessClock, facts: &Value) -> Result<Value, Error> {
    let at = instant(field(facts, "at"));
    Ok(json!({ "open": clock.is_open(at)?, "next_opening": write_instant(clock.next_opening(at)?) }))
}

/// Runs `f` on the path's clock: the calendar itself (row) or a timeline precomputed over the
/// dates around the case's first instant (columnar).
fn run_on(case: &Case, path: Path, f: fn(&dyn Clock, &Value) -> Result<Value, Error>) -> Result<Value, Error> {
    let calendar = calendar(&case.definition)?;
    if path == Path::Row {
        return f(&calendar, &case.facts);
    }
    let first = ["start", "at"].iter().find_map(|k| case.facts.get(*k)).map(instant);
    let first = first.unwrap_or_else(|| panic!("case {:?} has no instant", case.name));
    f(&timeline(&calendar, first)?, &case.facts)
}

/// Object-safe view of the two clocks (the crate's `BusinessClock` is sealed and generic).
pub(super) trait Clock {
    fn between(&self, facts: &Value) -> Result<Value, Error>;
    fn add(&self, facts: &Value) -> Result<Value, Error>;
    fn opening(&self, facts: &Value) -> Result<Value, Error>;
}

impl<C: BusinessClock> Clock for C {
    fn between(&self, facts: &Value) -> Result<Value, Error> {
        between_on(self, facts)
    }
    fn add(&self, facts: &Value) -> Result<Value, Error> {
        add_on(self, facts)
    }
    fn opening(&self, facts: &Value) -> Result<Value, Error> {
        opening_on(self, facts)
    }
}

/// `business_time.between`: facts `{start, end}` -> `{seconds}`.
pub(super) fn between(case: &Case, path: Path) -> Result<Value, Error> {
    run_on(case, path, |c, f| c.between(f))
}

/// `business_time.add`: facts `{start, span}` -> `{deadline}`.
pub(super) fn add(case: &Case, path: Path) -> Result<Value, Error> {
    run_on(case, path, |c, f| c.add(f))
}

/// `business_time.opening`: facts `{at}` -> `{open, next_opening}`.
pub(super) fn opening(case: &Case, path: Path) -> Result<Value, Error> {
    run_on(case, path, |c, f| c.opening(f))
}

/// `business_time.calendar_errors`: a definition that must fail to build, or a span that must
/// fail to parse; measured as `add` (facts with a span) or `between`.
pub(super) fn calendar_errors(case: &Case, path: Path) -> Result<Value, Error> {
    if case.facts.get("span").is_some() { add(case, path) } else { between(case, path) }
}
