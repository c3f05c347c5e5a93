//! Merging tallies compares their whole definitions: parts of different definitions never sum.

use crate::{Error, ErrorKind};

/// `Ok` if part `field` of two tallies' definitions is equal, else
/// [`ErrorKind::DefinitionMismatch`] naming the tally and the part.
#[inline]
pub(crate) fn same<T: PartialEq + ?Sized>(tally: &'static str, field: &'static str, a: &T, b: &T) -> Result<(), Error> {
    if a == b { Ok(()) } else { Err(ErrorKind::DefinitionMismatch { tally, field }.into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_tally_and_the_part() {
        assert!(same("win rate", "period", &1, &1).is_ok());
        let err = same("win rate", "period", &1, &2).unwrap_err();
        assert_eq!(err, ErrorKind::DefinitionMismatch { tally: "win rate", field: "period" });
        assert_eq!(err.to_string(), "cannot merge win rate tallies of different definitions: `period` differs");
    }
}
