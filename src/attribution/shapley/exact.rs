//! Exact classic Shapley values: the built-in [`Game`]s, a caller's characteristic function
//! ([`exact_shapley`]), and the subset transforms both run on (see the
//! [module docs](super)).

use core::fmt;

use super::{MAX_EXACT_CHANNELS, ShapleyValues};
use crate::{ChannelId, Error, ErrorKind};

pub(super) fn check_exact_limit(n: usize) -> Result<(), Error> {
    if n > MAX_EXACT_CHANNELS {
        return Err(ErrorKind::TooManyChannels { model: "exact shapley", channels: n, max: MAX_EXACT_CHANNELS }.into());
    }
    Ok(())
}

/// Zeta transform over subsets: `v(S) <- sum over T within S of v(T)`.
pub(super) fn zeta(v: &mut [f64], n: usize) {
    for i in 0..n {
        let bit = 1usize << i;
        for s in 0..v.len() {
            if s & bit != 0 {
                let lower = v.get(s ^ bit).copied().unwrap_or(0.0);
                if let Some(x) = v.get_mut(s) {
                    *x += lower;
                }
            }
        }
    }
}

/// The Shapley transform of a `2^n` table of `v`: one butterfly pass per channel.
pub(super) fn shapley_of_table(channels: &[ChannelId], v: &[f64]) -> Result<ShapleyValues, Error> {
    let n = channels.len();
    if n == 0 {
        return Ok(ShapleyValues { channels: Vec::new(), grand_coalition: 0.0, empty_coalition: 0.0 });
    }
    // w[s] = s! (n - s - 1)! / n!, by the recurrence w[s + 1] = w[s] (s + 1) / (n - s - 1).
    let mut w = vec![1.0 / n as f64; n];
    for s in 1..n {
        let prev = w.get(s - 1).copied().unwrap_or(0.0);
        if let Some(x) = w.get_mut(s) {
            *x = prev * s as f64 / (n - s) as f64;
        }
    }
    let mut phi = Vec::with_capacity(n);
    let mut by_size = vec![0.0f64; n];
    for i in 0..n {
        let bit = 1usize << i;
        by_size.fill(0.0);
        let mut hi = 0;
        while hi < v.len() {
            for s in hi..hi + bit {
                let diff = v.get(s | bit).copied().unwrap_or(0.0) - v.get(s).copied().unwrap_or(0.0);
                if let Some(x) = by_size.get_mut(s.count_ones() as usize) {
                    *x += diff;
                }
            }
            hi += bit << 1;
        }
        phi.push(by_size.iter().zip(&w).map(|(d, w)| d * w).sum::<f64>());
    }
    let grand = v.last().copied().unwrap_or(0.0);
    let empty = v.first().copied().unwrap_or(0.0);
    let sum: f64 = phi.iter().sum();
    let scale = v.iter().fold(1.0f64, |m, x| m.max(x.abs()));
    if (sum - (grand - empty)).abs() > 1e-9 * n as f64 * scale {
        return Err(ErrorKind::ShapleyEfficiency { sum: sum.to_string(), expected: (grand - empty).to_string() }.into());
    }
    let mut out: Vec<(ChannelId, f64)> = channels.iter().cloned().zip(phi).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ShapleyValues { channels: out, grand_coalition: grand, empty_coalition: empty })
}

/// A built-in characteristic function over the tallied journeys.
///
/// # Example
///
/// ```
/// use revops::{ChannelId, Currency, Money};
/// use revops::attribution::{CoalitionCounts, Game};
///
/// let (a, b) = (ChannelId::new("a")?, ChannelId::new("b")?);
/// let usd = |cents| Some(Money::from_minor(cents, Currency::USD));
/// let mut counts = CoalitionCounts::new(Currency::USD);
/// counts.push_channels(&[a.clone(), b.clone()], usd(10_000))?; // a > b converts, $100
/// counts.push_channels(&[b.clone()], usd(5_000))?; // b converts, $50
/// counts.push_channels(&[a.clone()], None)?; // a does not
/// // v({a, b}): 1 of 1 journeys converts (ConversionRate), 2 conversions and $150 lie within.
/// let ends = |game| counts.exact(game).map(|v| v.grand_coalition);
/// assert_eq!(ends(Game::ConversionRate)?, 1.0);
/// assert_eq!(ends(Game::CumulativeConversions)?, 2.0);
/// assert_eq!(ends(Game::CumulativeValue)?, 150.0);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Game {
    /// `v(S)`: conversion rate of the journeys whose channel set is exactly `S` (0 if none),
    /// as DP6 does.
    ConversionRate,
    /// `v(S)`: conversions of the journeys whose channel set lies within `S`; its Shapley
    /// value is the simplified closed form.
    CumulativeConversions,
    /// `v(S)`: conversion value (major units) of the journeys whose channel set lies within `S`.
    CumulativeValue,
}

/// A coalition handed to a caller's characteristic function.
///
/// # Example
///
/// A game where `a` alone is worth 1, `b` adds 2 whatever the company, and `c` nothing.
///
/// ```
/// use revops::ChannelId;
/// use revops::attribution::exact_shapley;
///
/// let channels = [ChannelId::new("a")?, ChannelId::new("b")?, ChannelId::new("c")?];
/// let (a, b) = (channels[0].clone(), channels[1].clone());
/// let values = exact_shapley(&channels, |s| {
///     assert_eq!(s.len(), s.members().count());
///     assert_eq!(s.is_empty(), s.mask() == 0);
///     f64::from(u8::from(s.contains(&a))) + 2.0 * f64::from(u8::from(s.contains(&b)))
/// })?;
/// let phi: Vec<f64> = values.channels.iter().map(|(_, v)| *v).collect();
/// assert_eq!(phi, [1.0, 2.0, 0.0]);
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Coalition<'a> {
    mask: u64,
    channels: &'a [ChannelId],
}

impl<'a> Coalition<'a> {
    /// The members as a bit mask over the channels given to [`exact_shapley`] (bit `i` is
    /// `channels[i]`).
    #[must_use]
    pub const fn mask(&self) -> u64 {
        self.mask
    }

    /// How many members.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.mask.count_ones() as usize
    }

    /// Whether the coalition is empty.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.mask == 0
    }

    /// Whether `channel` is a member.
    #[must_use]
    pub fn contains(&self, channel: &ChannelId) -> bool {
        self.channels.iter().position(|c| c == channel).is_some_and(|i| self.mask & (1 << i) != 0)
    }

    /// The members, in the order given to [`exact_shapley`].
    pub fn members(&self) -> impl Iterator<Item = &'a ChannelId> + 'a {
        let mask = self.mask;
        self.channels.iter().enumerate().filter(move |(i, _)| mask & (1 << i) != 0).map(|(_, c)| c)
    }
}

impl fmt::Debug for Coalition<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.members().map(ChannelId::as_str)).finish()
    }
}

impl fmt::Display for Coalition<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, c) in self.members().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(c.as_str())?;
        }
        f.write_str("}")
    }
}

/// Exact classic Shapley values of a caller's characteristic function `v` over `channels`
/// (at most [`MAX_EXACT_CHANNELS`], distinct), by subset transforms (see the
/// [module docs](super)). `v` is called once per coalition, `2^n` times, in mask order.
///
/// # Errors
/// [`ErrorKind::TooManyChannels`]; [`ErrorKind::InvalidValue`] for a repeated channel;
/// [`ErrorKind::NonFiniteCoalitionValue`] if `v` returns NaN or an infinity;
/// [`ErrorKind::ShapleyEfficiency`].
///
/// # Example
///
/// ```
/// use revops::ChannelId;
/// use revops::attribution::exact_shapley;
///
/// // A glove game: a pair is worth 1 only with `left` and at least one `right`.
/// let channels = [ChannelId::new("left")?, ChannelId::new("right_1")?, ChannelId::new("right_2")?];
/// let left = channels[0].clone();
/// let values = exact_shapley(&channels, |s| if s.contains(&left) && s.len() >= 2 { 1.0 } else { 0.0 })?;
/// assert!((values.channels[0].1 - 2.0 / 3.0).abs() < 1e-12); // left
/// assert!((values.channels[1].1 - 1.0 / 6.0).abs() < 1e-12);
///
/// let err = exact_shapley(&channels, |_| f64::NAN).unwrap_err();
/// assert_eq!(err.to_string(), "characteristic function returned NaN for coalition {}");
/// # Ok::<(), revops::Error>(())
/// ```
pub fn exact_shapley(channels: &[ChannelId], mut v: impl FnMut(Coalition<'_>) -> f64) -> Result<ShapleyValues, Error> {
    let n = channels.len();
    check_exact_limit(n)?;
    let mut seen: Vec<&ChannelId> = channels.iter().collect();
    seen.sort();
    if let Some(w) = seen.windows(2).find(|w| w.first() == w.get(1)) {
        return Err(ErrorKind::InvalidValue {
            field: "shapley channel",
            value: w.first().map(ToString::to_string).unwrap_or_default(),
            reason: "channels must be distinct",
        }
        .into());
    }
    let size = 1usize << n;
    let mut table = Vec::with_capacity(size);
    for mask in 0..size as u64 {
        let coalition = Coalition { mask, channels };
        let x = v(coalition);
        if !x.is_finite() {
            return Err(
                ErrorKind::NonFiniteCoalitionValue { coalition: coalition.to_string(), value: x.to_string() }.into()
            );
        }
        table.push(x);
    }
    shapley_of_table(channels, &table)
}
