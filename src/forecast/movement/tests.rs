use chrono::NaiveDate;

use super::*;
use crate::Probability;
use crate::facts::Reason;

use crate::forecast::fixtures::{q1, t, usd};

/// Open, Commit, closing on the 15th of `month` (Q1 is months 1 to 3).
fn open(id: &str, dollars: i64, month: u32) -> Deal {
    let status = DealStatus::Open { probability: Probability::from_percent(50).unwrap() };
    Deal::new(OpportunityId::new(id).unwrap(), t(1, 2), usd(dollars), status)
        .close_date(NaiveDate::from_ymd_opt(2024, month, 15))
        .forecast_category(Some(ForecastCategory::Commit))
}

fn closed(deal: Deal, status: DealStatus, at: (u32, u32)) -> Deal {
    Deal { status, close_date: None, ..deal }.closed_at(Some(t(at.0, at.1)))
}

fn tally() -> MovementTally {
    MovementTally::new(q1(), Zone::UTC, Currency::USD, CategoryMap::default())
}

fn run(s0: &[Deal], s1: &[Deal]) -> PipelineMovement {
    tally().tally(&join_snapshots(s0, s1).unwrap()).unwrap()
}

fn minor(f: Flow) -> i128 {
    f.amount.to_minor_i128().unwrap()
}

/// `start + inflows + increased - decreased - outflows - end`, in amounts and in counts.
fn identity(m: &PipelineMovement) -> (i128, i128) {
    let ins = [m.new, m.pulled_in, m.pushed_in, m.moved_in];
    let outs = [m.won, m.lost, m.pushed_out, m.pulled_out, m.moved_out];
    let amount = minor(m.start) + ins.iter().map(|f| minor(*f)).sum::<i128>() + minor(m.increased)
        - minor(m.decreased)
        - outs.iter().map(|f| minor(*f)).sum::<i128>()
        - minor(m.end);
    let count = |fs: &[Flow]| fs.iter().map(|f| i128::from(f.deals)).sum::<i128>();
    (amount, i128::from(m.start.deals) + count(&ins) - count(&outs) - i128::from(m.end.deals))
}

#[test]
fn the_worked_example() {
    // definitions, section 7: 230 + 40 + 30 + 20 - 20 - 120 - 50 = 130 = C + D + E.
    let s0 = [open("A", 100, 2), open("B", 50, 3), open("C", 80, 3), open("E", 30, 5)];
    let s1 = [
        closed(open("A", 120, 2), DealStatus::Won, (2, 10)),
        open("B", 50, 4),
        open("C", 60, 3),
        open("D", 40, 3),
        open("E", 30, 3),
    ];
    let m = run(&s0, &s1);
    assert_eq!((m.start.deals, m.start.amount), (3, usd(230)));
    assert_eq!((m.new.deals, m.new.amount), (1, usd(40)));
    assert_eq!((m.pulled_in.deals, m.pulled_in.amount), (1, usd(30)));
    assert_eq!((m.increased.deals, m.increased.amount), (1, usd(20)));
    assert_eq!((m.decreased.deals, m.decreased.amount), (1, usd(20)));
    assert_eq!((m.won.deals, m.won.amount), (1, usd(120)));
    assert_eq!((m.pushed_out.deals, m.pushed_out.amount), (1, usd(50)));
    assert_eq!((m.end.deals, m.end.amount), (3, usd(130)));
    assert_eq!(identity(&m), (0, 0));
    for b in [
        MovementBucket::PushedIn,
        MovementBucket::MovedIn,
        MovementBucket::Lost,
        MovementBucket::PulledOut,
        MovementBucket::MovedOut,
    ] {
        assert_eq!(m.bucket(b).deals, 0, "{}", b.as_str());
    }
}

#[test]
fn every_bucket() {
    let omitted = |d: Deal| d.forecast_category(Some(ForecastCategory::Omitted));
    let s0 = [
        open("pushed-in", 10, 12).close_date(NaiveDate::from_ymd_opt(2023, 12, 1)),
        omitted(open("moved-in", 20, 2)),
        closed(open("reopened", 30, 2), DealStatus::lost(Reason::Price), (1, 5)),
        open("lost", 40, 2),
        open("pulled-out", 50, 2),
        open("moved-out", 60, 2),
        open("deleted", 70, 2),
        open("no-date", 80, 2),
    ];
    let s1 = [
        open("pushed-in", 10, 2),
        open("moved-in", 20, 2),
        open("reopened", 30, 3),
        closed(open("lost", 45, 2), DealStatus::lost(Reason::Price), (2, 1)),
        open("pulled-out", 50, 2).close_date(NaiveDate::from_ymd_opt(2023, 12, 20)),
        omitted(open("moved-out", 60, 2)),
        Deal { close_date: None, ..open("no-date", 80, 2) },
        // New and won between the snapshots: New and Won, no net effect.
        closed(open("flash", 90, 2), DealStatus::Won, (3, 1)),
    ];
    let m = run(&s0, &s1);
    assert_eq!((m.pushed_in.deals, m.moved_in.deals), (1, 2));
    assert_eq!((m.lost.deals, m.lost.amount, m.increased.amount), (1, usd(45), usd(5)));
    assert_eq!((m.pulled_out.deals, m.moved_out.deals), (1, 3)); // omitted, deleted, no date
    assert_eq!(m.moved_out.amount, usd(60 + 70 + 80)); // deleted leaves at its S0 amount
    assert_eq!((m.new.deals, m.won.deals, m.won.amount), (1, 1, usd(90)));
    assert_eq!(identity(&m), (0, 0));
    // Drill-down of the deal that entered and closed.
    let pairs = join_snapshots(&s0, &s1).unwrap();
    let flash = pairs.iter().find(|p| p.id().as_str() == "flash").unwrap();
    let one = tally().movement(flash).unwrap();
    assert_eq!(
        (one.entered, one.left, one.start, one.end),
        (Some(MovementBucket::New), Some(MovementBucket::Won), None, None)
    );
}

#[test]
fn closed_twice_or_out_of_scope_twice_does_not_move() {
    let won = closed(open("w", 10, 2), DealStatus::Won, (1, 10));
    let later = open("later", 10, 6);
    let m = run(&[won.clone(), later.clone()], &[won, later.close_date(NaiveDate::from_ymd_opt(2024, 7, 1))]);
    assert_eq!(m, tally().finish().unwrap());
}

#[test]
fn merge_and_pairs() {
    let mut a = tally();
    let b = MovementTally::new(q1(), Zone::UTC, Currency::EUR, CategoryMap::default());
    assert!(matches!(
        a.merge(b).unwrap_err().kind(),
        ErrorKind::DefinitionMismatch { tally: "pipeline movement", field: "currency" }
    ));
    let err = SnapshotPair::new(Some(open("a", 1, 2)), Some(open("b", 1, 2))).unwrap_err();
    assert_eq!(err.record(), Some(&Record::Deal(OpportunityId::new("a").unwrap())));
    let err = join_snapshots(&[open("a", 1, 2), open("a", 2, 2)], &[]).unwrap_err();
    assert_eq!(err.to_string(), "deal `a`: duplicate opportunity in snapshot S0 `a`");
    let eur = Deal { amount: Money::from_minor(1, Currency::EUR), ..open("e", 1, 2) };
    let err = tally().tally(&join_snapshots(&[], &[eur]).unwrap()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::MixedCurrency { .. }));
}

#[cfg(feature = "serde")]
#[test]
fn state_round_trips_and_checks_the_identity() {
    let s0 = [open("A", 100, 2), open("B", 50, 3)];
    let s1 = [closed(open("A", 120, 2), DealStatus::Won, (2, 10)), open("C", 5, 3)];
    let mut t = tally();
    for p in join_snapshots(&s0, &s1).unwrap() {
        t.push(&p).unwrap();
    }
    let json = serde_json::to_string(&t).unwrap();
    let back: MovementTally = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut broken = v.clone();
    broken["rows"]["end"]["amount_minor"] = serde_json::Value::String("1".into());
    let err = serde_json::from_value::<MovementTally>(broken).unwrap_err();
    assert!(err.to_string().contains("must equal end"), "{err}");
}
