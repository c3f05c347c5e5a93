//! The split / serialize / merge-tree law every accumulator obeys (issue 11 item 3), shared by
//! the areas' state tests: tally the facts split at random cuts, send each part's state through
//! JSON, merge the parts in a random tree order (each merged state through JSON again), finish.

use revops::Tally;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// `state` through JSON and back; the state read back writes the same JSON again.
pub(crate) fn round_trip<T: Serialize + DeserializeOwned>(state: &T) -> T {
    let json = serde_json::to_string(state).unwrap();
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    back
}

/// Tallies `facts` split at `cuts` (each part's state through `through`, a JSON round trip),
/// merges the parts in the tree order `picks` gives (each pick merges two neighbours, in either
/// order, the merged state through `through` again) and finishes.
pub(crate) fn split_serialize_merge<T>(
    fresh: &T,
    facts: &[T::Fact],
    cuts: &[usize],
    picks: &[usize],
    through: impl Fn(&T) -> T,
) -> T::Output
where
    T: Tally + Clone,
    T::Fact: Sized,
{
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (facts.len() + 1)).collect();
    bounds.extend([0, facts.len()]);
    bounds.sort_unstable();
    let mut parts: Vec<T> = bounds
        .windows(2)
        .map(|w| {
            let mut part = fresh.clone();
            for fact in &facts[w[0]..w[1]] {
                part.push(fact).unwrap();
            }
            through(&part)
        })
        .collect();
    let mut picks = picks.iter().copied().cycle();
    while parts.len() > 1 {
        let pick = picks.next().unwrap_or(0);
        let i = pick % (parts.len() - 1);
        let (mut left, mut right) = (parts.remove(i), parts.remove(i));
        if pick & (1 << 20) != 0 {
            std::mem::swap(&mut left, &mut right);
        }
        left.merge(right).unwrap();
        parts.insert(i, through(&left));
    }
    parts.pop().unwrap().finish().unwrap()
}
