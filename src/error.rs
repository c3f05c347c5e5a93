//! The one error type of the crate: [`Error`], a pointer to its [`ErrorKind`] and the
//! [`Record`] it is about.
//!
//! Every fallible operation returns [`Error`]. Its [`ErrorKind`] carries the offending value
//! in named fields, so a caller can report exactly what was wrong without parsing the message,
//! and match on the kind (`match err.kind() { ErrorKind::TouchOutOfOrder { journey, .. } => .. }`).
//! An error raised about a record of the caller's data (a deal, a lead, a journey, a touch, a
//! spend line, a line of a table) also names it: [`Error::record`] gives its kind and id, and
//! the message starts with it (`deal `opp-7`: amount must not be negative, got -1.00`).
//! Messages are lowercase phrases without a trailing period, meant to be embedded in the
//! caller's own.
//!
//! **Why a box** (after jiff's error design, which keeps its `Error` one pointer wide): the
//! hot paths of the crate return `Result<(), Error>` once per fact, and the kinds carry
//! strings, decimals and instants (96 bytes as a bare enum). Boxing the kind and its record
//! makes `Error` and `Result<(), Error>` one pointer (8 bytes), so the success path moves
//! nothing, and the allocation happens only on the error path, which is cold. Unlike jiff,
//! the kind stays a public, matchable enum: callers of a definitions library need to know
//! *which* field of *which* record was wrong, not only that something was.
//!
//! **Why the record is context, not a field of each kind**: the same failure (a negative
//! amount, a currency that does not match) happens to deals, spend lines and journeys alike.
//! Keeping the record beside the kind lets one kind serve every record type, lets a tally name
//! the record of an error raised deep in a foundation type ([`Error::about`]), and gives
//! callers one place to read it, whatever the kind.
//!
//! Each capability adds its kinds in [`ErrorKind`] (`error/kind.rs`), grouped under a comment
//! naming the module, with the kind's message in `error/message.rs` and its stable code in
//! `error/code.rs` (both exhaustive matches, so a new kind cannot lack either); the enum is
//! `#[non_exhaustive]`, so adding one is not a breaking change.

use core::fmt;

mod code;
mod kind;
mod message;
mod record;

pub use kind::ErrorKind;
pub use record::Record;
pub(crate) use record::Subject;

/// The error type for every fallible operation in this crate: one pointer to its
/// [`ErrorKind`] and the [`Record`] it is about, if any (see the module docs for why).
///
/// # Example
///
/// ```
/// use revops::{Currency, ErrorKind, LeadId, Record};
///
/// let err = Currency::new("usd").unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::InvalidCurrency { .. }));
/// assert_eq!(err.record(), None);
/// assert_eq!(std::mem::size_of::<Result<(), revops::Error>>(), std::mem::size_of::<usize>());
///
/// // A tally names the record whose value failed a foundation check.
/// let err = err.about(Record::Lead(LeadId::new("lead-77")?));
/// assert_eq!(err.record(), Some(&Record::Lead(LeadId::new("lead-77")?)));
/// assert!(err.to_string().starts_with("lead `lead-77`: invalid currency code"));
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    record: Option<Record>,
}

impl Error {
    /// The kind's stable `snake_case` code ([`ErrorKind::code`]): what conformance vectors and
    /// other implementations match on; the message is information only.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// What went wrong, with the offending values.
    #[must_use]
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The kind, by value.
    #[must_use]
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// The record of the caller's data the error is about, `None` for an error about a
    /// definition or a parameter.
    #[must_use]
    pub fn record(&self) -> Option<&Record> {
        self.0.record.as_ref()
    }

    /// The error, about `record`. An error that already names a record keeps it: the
    /// innermost record is the most precise (a touch rather than its journey).
    #[must_use]
    #[cold]
    pub fn about(mut self, record: Record) -> Error {
        if self.0.record.is_none() {
            self.0.record = Some(record);
        }
        self
    }
}

impl From<ErrorKind> for Error {
    #[cold]
    #[inline(never)]
    fn from(kind: ErrorKind) -> Error {
        Error(Box::new(Inner { kind, record: None }))
    }
}

impl ErrorKind {
    /// The error of this kind, about `record` (shorthand for `Error::from(kind).about(record)`).
    #[must_use]
    #[cold]
    pub fn about(self, record: Record) -> Error {
        Error::from(self).about(record)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.record {
            None => fmt::Debug::fmt(&self.0.kind, f),
            Some(record) => f.debug_struct("Error").field("record", record).field("kind", &self.0.kind).finish(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(record) = &self.0.record {
            write!(f, "{record}: ")?;
        }
        fmt::Display::fmt(&self.0.kind, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0.kind)
    }
}

/// An error equals a kind when its kind does, whatever record it names.
impl PartialEq<ErrorKind> for Error {
    fn eq(&self, other: &ErrorKind) -> bool {
        self.0.kind == *other
    }
}

/// A kind equals an error when the error's kind does, whatever record it names.
impl PartialEq<Error> for ErrorKind {
    fn eq(&self, other: &Error) -> bool {
        *self == other.0.kind
    }
}

#[cfg(test)]
mod tests;
