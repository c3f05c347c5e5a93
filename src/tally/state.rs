//! The one shape of a tally's partial state on the wire (feature `serde`): the definition and
//! the counts, field by field, validated on read.
//!
//! Most tallies of the crate are a definition (period, currency, window, ...) and counts or
//! sums. Their wire form is the same every time: a private struct with the same fields,
//! `From<Tally>` copying every field out, and `TryFrom<State>` rebuilding the tally from its
//! definition through its constructor (so a state is validated as the constructor validates),
//! checking the counts against what a sequence of facts can produce, and copying them in.
//! [`tally_state!`] writes that once; each state module keeps only what is specific to its
//! tally: which fields are the definition, how the constructor is called, and the checks.
//! The definition is compared on merge by the tally itself ([`Tally::merge`](crate::Tally::merge)),
//! so a deserialized state merges exactly like the original.

/// Declares `State`, the partial state of `Tally` on the wire, with `From<Tally> for State`
/// and a validating `TryFrom<State> for Tally` (use both with `serde(try_from, into)`).
///
/// ```text
/// tally_state! {
///     /// Doc.
///     pub(super) struct CacState for CacTally as "cac tally" {
///         definition { window: CacWindow, currency: Currency }
///         counts { #[serde(with = "minor")] spend_minor: i128, customers: u64 }
///     }
///     fresh(s) { Ok(CacTally::new(s.window, s.currency)) }
///     check(T, s) { within(T, ("paid_customers", s.paid_customers), ("customers", s.customers))?; }
/// }
/// ```
///
/// - `definition` fields are copied out as they are; on read `fresh` builds the empty tally
///   from them (a `Result`: a constructor that validates refuses a bad definition on read).
/// - `counts` fields are copied out and, after `check` passed, into the fresh tally; a count
///   kept in a field struct of the tally is written `name in field: type`.
/// - `check` sees the state (by reference) as the name it gives and the tally's name, for its
///   errors, as the constant it names; it returns early with the error of a state that no
///   sequence of facts produces.
macro_rules! tally_state {
    (
        $(#[$meta:meta])*
        $vis:vis struct $State:ident for $Tally:ident as $name:literal {
            definition { $( $(#[$dm:meta])* $def:ident : $dty:ty ),* $(,)? }
            counts { $( $(#[$cm:meta])* $count:ident $(in $sub:ident)? : $cty:ty ),* $(,)? }
        }
        fresh($fs:ident) $fresh:block
        check($t:ident, $cs:ident) $check:block
    ) => {
        $(#[$meta])*
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        $vis struct $State {
            $( $(#[$dm])* $def: $dty, )*
            $( $(#[$cm])* $count: $cty, )*
        }

        impl From<$Tally> for $State {
            fn from(tally: $Tally) -> $State {
                $State {
                    $( $def: tally.$def, )*
                    $( $count: $crate::tally::tally_state!(@field tally $count $($sub)?), )*
                }
            }
        }

        impl TryFrom<$State> for $Tally {
            type Error = $crate::Error;
            fn try_from(state: $State) -> Result<$Tally, $crate::Error> {
                #[allow(dead_code)] // a tally without checks does not name itself
                const $t: &str = $name;
                // The definition first: the constructor validates it as it does on construction.
                let fresh: Result<$Tally, $crate::Error> = {
                    let $fs = &state;
                    $fresh
                };
                let mut tally = fresh?;
                {
                    let $cs = &state;
                    $check
                }
                $( $crate::tally::tally_state!(@field tally $count $($sub)?) = state.$count; )*
                Ok(tally)
            }
        }
    };
    (@field $tally:ident $count:ident) => {
        $tally.$count
    };
    (@field $tally:ident $count:ident $sub:ident) => {
        $tally.$sub.$count
    };
}

pub(crate) use tally_state;
