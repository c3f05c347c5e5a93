//! [`WorkingWindow`]: one stretch of working time within a local day, e.g. `09:00-12:30`.

use core::fmt;
use core::str::FromStr;

use crate::{Error, ErrorKind};

/// Minutes in a day; a window may end at `24:00` (the next local midnight).
pub(crate) const DAY_MINUTES: u16 = 1_440;

/// One stretch of working time within a local day, from `start` (inclusive) to `end`
/// (exclusive), in the calendar's local wall-clock time, to the minute.
///
/// A window ends at the latest at `24:00` (the next local midnight), so a day can be worked
/// around the clock with `00:00-24:00`. Several windows per weekday are allowed (a lunch break is
/// two windows); they must not overlap (touching, like `09:00-12:00` and `12:00-17:00`, is fine).
///
/// The text form is `HH:MM-HH:MM`, and that is also the wire format.
///
/// # Wire format
///
/// A string `"HH:MM-HH:MM"`: two-digit hours and minutes, start before end, `24:00` allowed
/// as the end only. It serializes the same way ([`Display`](core::fmt::Display)).
///
/// ```
/// use revops::calendar::WorkingWindow;
///
/// let windows: Vec<WorkingWindow> = serde_json::from_str(r#"["09:00-12:30", "18:00-24:00"]"#)?;
/// assert_eq!(windows, [WorkingWindow::new(9, 0, 12, 30)?, WorkingWindow::new(18, 0, 24, 0)?]);
/// assert_eq!(serde_json::to_string(&windows)?, r#"["09:00-12:30","18:00-24:00"]"#);
/// assert!(serde_json::from_str::<WorkingWindow>(r#""17:00-09:00""#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Example
///
/// ```
/// use revops::calendar::WorkingWindow;
///
/// let morning: WorkingWindow = "09:00-12:30".parse()?;
/// assert_eq!(morning.minutes(), 210);
/// assert_eq!((morning.start_minute(), morning.end_minute()), (540, 750));
/// assert_eq!(morning.to_string(), "09:00-12:30");
/// let afternoon: WorkingWindow = "12:30-17:00".parse()?;
/// assert!(!morning.overlaps(&afternoon)); // touching is fine
/// assert!(morning.overlaps(&"12:00-13:00".parse()?));
/// assert!("17:00-09:00".parse::<WorkingWindow>().is_err()); // start at or after end
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "String", into = "String")
)]
pub struct WorkingWindow {
    start: u16,
    end: u16,
}

impl WorkingWindow {
    /// A window from `start_hour:start_minute` to `end_hour:end_minute` local time.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if a time is not a valid time of day (`24:00` is allowed as an
    /// end only) or the start is at or after the end.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::ErrorKind;
    /// use revops::calendar::WorkingWindow;
    ///
    /// let evening = WorkingWindow::new(18, 0, 24, 0)?; // until local midnight
    /// assert_eq!(evening.to_string(), "18:00-24:00");
    /// assert_eq!(evening.end_minute(), 1_440);
    ///
    /// // A night shift crosses midnight: two windows, one on each day, not 22:00-06:00.
    /// let err = WorkingWindow::new(22, 0, 6, 0).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InvalidValue { .. }));
    /// assert!(WorkingWindow::new(24, 0, 24, 0).is_err()); // 24:00 only ends a window
    /// assert!(WorkingWindow::new(9, 60, 17, 0).is_err());
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(start_hour: u8, start_minute: u8, end_hour: u8, end_minute: u8) -> Result<WorkingWindow, Error> {
        let text = format!("{start_hour:02}:{start_minute:02}-{end_hour:02}:{end_minute:02}");
        let start = minute_of_day(start_hour, start_minute)
            .filter(|m| *m < DAY_MINUTES)
            .ok_or_else(|| invalid(&text, "the start is not a time of day"))?;
        let end = minute_of_day(end_hour, end_minute).ok_or_else(|| invalid(&text, "the end is not a time of day"))?;
        if start >= end {
            return Err(invalid(&text, "the start must be before the end"));
        }
        Ok(WorkingWindow { start, end })
    }

    /// Start, in minutes after local midnight.
    #[must_use]
    pub const fn start_minute(&self) -> u16 {
        self.start
    }

    /// End (exclusive), in minutes after local midnight; `1440` is `24:00`.
    #[must_use]
    pub const fn end_minute(&self) -> u16 {
        self.end
    }

    /// Length in minutes (of local wall-clock time; a daylight-saving change inside the window
    /// makes its real length differ on that date).
    #[must_use]
    pub const fn minutes(&self) -> u16 {
        self.end - self.start
    }

    /// Whether the two windows share any minute (touching windows do not).
    #[must_use]
    pub const fn overlaps(&self, other: &WorkingWindow) -> bool {
        self.start < other.end && other.start < self.end
    }
}

fn minute_of_day(hour: u8, minute: u8) -> Option<u16> {
    let m = u16::from(hour) * 60 + u16::from(minute);
    (minute < 60 && m <= DAY_MINUTES).then_some(m)
}

fn invalid(text: &str, reason: &'static str) -> Error {
    crate::Error::from(ErrorKind::InvalidValue { field: "working window", value: text.to_owned(), reason })
}

fn parse_hm(text: &str) -> Option<(u8, u8)> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((h.parse().ok()?, m.parse().ok()?))
}

impl FromStr for WorkingWindow {
    type Err = Error;

    /// Parses `HH:MM-HH:MM`.
    fn from_str(s: &str) -> Result<WorkingWindow, Error> {
        let parsed = s.split_once('-').and_then(|(a, b)| Some((parse_hm(a)?, parse_hm(b)?)));
        let ((sh, sm), (eh, em)) = parsed.ok_or_else(|| invalid(s, "expected HH:MM-HH:MM"))?;
        WorkingWindow::new(sh, sm, eh, em).map_err(|e| match e.into_kind() {
            ErrorKind::InvalidValue { reason, .. } => invalid(s, reason),
            other => other.into(),
        })
    }
}

impl TryFrom<String> for WorkingWindow {
    type Error = Error;
    fn try_from(s: String) -> Result<WorkingWindow, Error> {
        s.parse()
    }
}

impl From<WorkingWindow> for String {
    fn from(w: WorkingWindow) -> String {
        w.to_string()
    }
}

impl fmt::Display for WorkingWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}-{:02}:{:02}", self.start / 60, self.start % 60, self.end / 60, self.end % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let w: WorkingWindow = "00:00-24:00".parse().unwrap();
        assert_eq!(w.minutes(), 1_440);
        assert_eq!(w.to_string(), "00:00-24:00");
        assert_eq!(WorkingWindow::new(9, 0, 17, 30).unwrap().to_string(), "09:00-17:30");
    }

    #[test]
    fn rejects_bad_windows() {
        assert_eq!(
            "17:00-09:00".parse::<WorkingWindow>().unwrap_err().to_string(),
            "invalid working window \"17:00-09:00\": the start must be before the end"
        );
        assert!("09:00-09:00".parse::<WorkingWindow>().is_err());
        assert!("24:00-24:00".parse::<WorkingWindow>().is_err());
        assert!("09:60-10:00".parse::<WorkingWindow>().is_err());
        assert!("9:00-10:00".parse::<WorkingWindow>().is_err());
        assert!("09:00-24:01".parse::<WorkingWindow>().is_err());
        assert_eq!(
            "nine to five".parse::<WorkingWindow>().unwrap_err().to_string(),
            "invalid working window \"nine to five\": expected HH:MM-HH:MM"
        );
    }

    #[test]
    fn overlap_is_strict() {
        let a: WorkingWindow = "09:00-12:00".parse().unwrap();
        let b: WorkingWindow = "12:00-17:00".parse().unwrap();
        let c: WorkingWindow = "11:59-13:00".parse().unwrap();
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&c) && c.overlaps(&b));
    }
}
