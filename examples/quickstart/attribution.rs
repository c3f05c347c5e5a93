//! Prints sections 6 to 8: the agreement's attribution models by name, in the board's order and labels.
use revops::{Currency, agreement::Agreement, agreement::scorecard::Scorecard, attribution::ChannelTable};
const SIX: [&str; 6] = ["first_touch", "linear", "u_shaped", "w_shaped", "full_path", "time_decay_7d"];
const SIX_LABELS: [&str; 6] = ["first touch", "linear", "U (40/40/20)", "W (30x3/10)", "full path", "decay 7d"];
const EIGHT: [&str; 6] = ["first_touch", "linear", "w_shaped", "time_decay_7d", "markov_o1", "shapley"];
const EIGHT_LABELS: [&str; 6] = ["first touch", "linear", "W-shaped", "decay 7d", "Markov o1", "Shapley"];
#[allow(clippy::float_arithmetic)] // shares shown as percents
pub(crate) fn print(_agreement: &Agreement, card: &Scorecard) -> crate::Fallible {
    let (a, usd, m) = (&card.attribution, Currency::USD, card.attribution.markov.get("markov_o1").ok_or("markov_o1")?);
    let (won, skip, bookings) = (a.converted.numerator(), a.non_converting, a.bookings.get(&usd).ok_or("no USD")?);
    crate::heading("6. Attribution");
    println!("  {won} won deals credited over their touches ({skip} journeys did not convert); USD, exact to the cent");
    table(&a.table(SIX.into_iter().zip(SIX_LABELS), usd)?, 15);
    println!("  bookings (won ACV) {bookings}: every column sums to it\n");
    let sh = a.shapley.get("shapley").and_then(|s| s.simplified()).ok_or("no simplified model shapley")?;
    crate::heading(&format!("7. Data-driven attribution (Markov order {}, Shapley)", m.order));
    println!("  {} journeys, {won} won ({}), bookings {bookings}", a.converted.denominator(), a.converted);
    let (pc, split) = (m.conversion_probability * 100.0, m.value_allocation);
    println!("  Markov: exact absorbing-chain solve, P(conversion) = {pc:.4}%; value split by {split}");
    println!("  Shapley: simplified (each win split equally over its distinct channels)\n");
    println!("  {:<14} {:-^46} {:-^27}", "", format!(" Markov (order {}) ", m.order), " Shapley ");
    let (w, pct, f1) = ([10, 9, 10, 18, 10, 18], |x: f64| format!("{:.1}%", x * 100.0), |x: f64| format!("{x:.1}"));
    line("channel", ["removal", "share", "wins", "credit", "wins", "credit"], &w);
    for (c, x) in m.channels.iter().zip(&sh.channels) {
        let markov = [pct(c.removal_effect), pct(c.share), f1(c.conversions), c.value.amount().to_string()];
        line(c.channel.as_str(), markov.into_iter().chain([f1(x.conversions), x.value.amount().to_string()]), &w);
    }
    let t = ["100.0%".into(), m.conversions.to_string(), m.total_value.amount().to_string()]; // no removal total
    line("total", t.into_iter().chain([sh.conversions.to_string(), sh.total_value.amount().to_string()]), &[18, 10]);
    println!("  (credits sum to bookings to the cent in both models; amounts in USD)\n");
    crate::heading("8. Every model side by side (the same journeys, the same bookings)");
    table(&a.table(EIGHT.into_iter().zip(EIGHT_LABELS), usd)?, 14);
    println!("  (USD; every column credits the same bookings, checked to the cent when the table is built)\n");
    Ok(())
}
fn table(table: &ChannelTable, w: usize) {
    line("channel", table.columns(), &[w]);
    for (channel, row) in table.rows().map(|(c, r)| (c.as_str(), r)).chain([("total", table.totals())]) {
        line(channel, row.iter().map(revops::Money::amount), &[w]);
    }
}
/// `head` in 14 columns, then the cells of `row` right-aligned in the widths `w` (cycled).
fn line<T: std::fmt::Display>(head: &str, row: impl IntoIterator<Item = T>, w: &[usize]) {
    println!("  {head:<14}{}", w.iter().cycle().zip(row).map(|(w, c)| format!("{c:>w$}")).collect::<Vec<_>>().concat());
}
