//! `Currency`: an ISO 4217 code and the number of digits of its minor unit.

use core::fmt;
use core::str::FromStr;

use rust_decimal::Decimal;

use crate::{Error, ErrorKind};

/// A currency: a three-letter ISO 4217-style code and its minor-unit exponent (the number of
/// decimal digits of its smallest unit: 2 for USD cents, 0 for JPY, 3 for KWD fils).
///
/// [`Currency::new`] knows the exponent of every active ISO 4217 currency; for anything else
/// (a test currency, a loyalty point, a crypto asset) [`Currency::with_exponent`] takes it
/// explicitly. Two currencies are equal when code and exponent are equal.
///
/// On the wire (feature `serde`) a table currency is its code, `"USD"`; one built with an
/// explicit exponent outside the table is `{"code": "XBT", "exponent": 8}`. Both forms are
/// validated when read.
///
/// # Example
///
/// ```
/// use revops::Currency;
/// use rust_decimal_macros::dec;
///
/// assert_eq!(Currency::new("JPY")?.exponent(), 0);
/// assert_eq!(Currency::new("KWD")?.exponent(), 3);
/// assert_eq!(Currency::USD.to_string(), "USD");
/// assert_eq!(Currency::USD.minor_unit(), dec!(0.01));
/// assert_eq!(Currency::JPY.minor_unit(), dec!(1));
/// let points = Currency::with_exponent("XLP", 0)?;
/// assert_eq!(points.code(), "XLP");
/// assert!(Currency::EUR.is_iso() && !points.is_iso());
/// assert!(Currency::new("XLP").is_err()); // not in ISO 4217: say its exponent
/// # Ok::<(), revops::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
}

/// Active ISO 4217 codes whose minor unit is not two digits.
const NON_TWO_DIGIT: [(&[u8; 3], u8); 26] = [
    (b"BHD", 3),
    (b"BIF", 0),
    (b"CLF", 4),
    (b"CLP", 0),
    (b"DJF", 0),
    (b"GNF", 0),
    (b"IQD", 3),
    (b"ISK", 0),
    (b"JOD", 3),
    (b"JPY", 0),
    (b"KMF", 0),
    (b"KRW", 0),
    (b"KWD", 3),
    (b"LYD", 3),
    (b"OMR", 3),
    (b"PYG", 0),
    (b"RWF", 0),
    (b"TND", 3),
    (b"UGX", 0),
    (b"UYI", 0),
    (b"UYW", 4),
    (b"VND", 0),
    (b"VUV", 0),
    (b"XAF", 0),
    (b"XOF", 0),
    (b"XPF", 0),
];

/// Active ISO 4217 codes with a two-digit minor unit, sorted.
const TWO_DIGIT: &[&[u8; 3]] = &[
    b"AED", b"AFN", b"ALL", b"AMD", b"ANG", b"AOA", b"ARS", b"AUD", b"AWG", b"AZN", b"BAM", b"BBD", b"BDT", b"BGN",
    b"BMD", b"BND", b"BOB", b"BOV", b"BRL", b"BSD", b"BTN", b"BWP", b"BYN", b"BZD", b"CAD", b"CDF", b"CHE", b"CHF",
    b"CHW", b"CNY", b"COP", b"COU", b"CRC", b"CUC", b"CUP", b"CVE", b"CZK", b"DKK", b"DOP", b"DZD", b"EGP", b"ERN",
    b"ETB", b"EUR", b"FJD", b"FKP", b"GBP", b"GEL", b"GHS", b"GIP", b"GMD", b"GTQ", b"GYD", b"HKD", b"HNL", b"HTG",
    b"HUF", b"IDR", b"ILS", b"INR", b"IRR", b"JMD", b"KES", b"KGS", b"KHR", b"KPW", b"KYD", b"KZT", b"LAK", b"LBP",
    b"LKR", b"LRD", b"LSL", b"MAD", b"MDL", b"MGA", b"MKD", b"MMK", b"MNT", b"MOP", b"MRU", b"MUR", b"MVR", b"MWK",
    b"MXN", b"MXV", b"MYR", b"MZN", b"NAD", b"NGN", b"NIO", b"NOK", b"NPR", b"NZD", b"PAB", b"PEN", b"PGK", b"PHP",
    b"PKR", b"PLN", b"QAR", b"RON", b"RSD", b"RUB", b"SAR", b"SBD", b"SCR", b"SDG", b"SEK", b"SGD", b"SHP", b"SLE",
    b"SLL", b"SOS", b"SRD", b"SSP", b"STN", b"SVC", b"SYP", b"SZL", b"THB", b"TJS", b"TMT", b"TOP", b"TRY", b"TTD",
    b"TWD", b"TZS", b"UAH", b"USD", b"USN", b"UYU", b"UZS", b"VED", b"VES", b"WST", b"XCD", b"XCG", b"YER", b"ZAR",
    b"ZMW", b"ZWG", b"ZWL",
];

impl Currency {
    /// Largest accepted minor-unit exponent (18 digits: enough for wei-like units, and every
    /// amount in minor units still fits the integer fast path's `i64` for everyday values).
    pub const MAX_EXPONENT: u8 = 18;

    /// United States dollar (2).
    pub const USD: Currency = Currency { code: *b"USD", exponent: 2 };
    /// Euro (2).
    pub const EUR: Currency = Currency { code: *b"EUR", exponent: 2 };
    /// Pound sterling (2).
    pub const GBP: Currency = Currency { code: *b"GBP", exponent: 2 };
    /// Swiss franc (2).
    pub const CHF: Currency = Currency { code: *b"CHF", exponent: 2 };
    /// Canadian dollar (2).
    pub const CAD: Currency = Currency { code: *b"CAD", exponent: 2 };
    /// Australian dollar (2).
    pub const AUD: Currency = Currency { code: *b"AUD", exponent: 2 };
    /// Japanese yen (0).
    pub const JPY: Currency = Currency { code: *b"JPY", exponent: 0 };
    /// South Korean won (0).
    pub const KRW: Currency = Currency { code: *b"KRW", exponent: 0 };
    /// Bahraini dinar (3).
    pub const BHD: Currency = Currency { code: *b"BHD", exponent: 3 };
    /// Kuwaiti dinar (3).
    pub const KWD: Currency = Currency { code: *b"KWD", exponent: 3 };

    /// The currency with ISO 4217 code `code`, with its ISO minor-unit exponent.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidCurrency`] unless `code` is three ASCII uppercase letters;
    /// [`ErrorKind::UnknownCurrency`] if it is not an active ISO 4217 code (use
    /// [`Currency::with_exponent`] for those).
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, ErrorKind};
    ///
    /// assert_eq!(Currency::new("EUR")?, Currency::EUR);
    /// assert_eq!(Currency::new("CLF")?.exponent(), 4); // the ISO table, not "always 2"
    /// assert_eq!("BHD".parse::<Currency>()?, Currency::BHD);
    ///
    /// let err = Currency::new("usd").unwrap_err(); // codes are uppercase
    /// assert!(matches!(err.kind(), ErrorKind::InvalidCurrency { .. }));
    /// let err = Currency::new("XBT").unwrap_err(); // well formed, but not ISO 4217
    /// assert!(matches!(err.kind(), ErrorKind::UnknownCurrency { .. }));
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn new(code: &str) -> Result<Currency, Error> {
        let bytes = parse_code(code)?;
        iso_exponent(bytes)
            .map(|exponent| Currency { code: bytes, exponent })
            .ok_or_else(|| ErrorKind::UnknownCurrency { code: code.to_owned() })
            .map_err(crate::Error::from)
    }

    /// A currency with an explicit minor-unit exponent, for codes outside ISO 4217.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidCurrency`] unless `code` is three ASCII uppercase letters and
    /// `exponent` is at most [`Currency::MAX_EXPONENT`];
    /// [`ErrorKind::CurrencyExponentMismatch`] if `code` is an ISO currency with another exponent.
    ///
    /// # Example
    ///
    /// ```
    /// use revops::{Currency, ErrorKind, Money};
    ///
    /// // Bitcoin in satoshis.
    /// let xbt = Currency::with_exponent("XBT", 8)?;
    /// assert_eq!(Money::from_minor(150_000, xbt).to_string(), "0.00150000 XBT");
    /// // An ISO code with its own exponent is the same currency as the table's.
    /// assert_eq!(Currency::with_exponent("USD", 2)?, Currency::USD);
    ///
    /// // "USD with 3 decimals" would make every amount a thousand times off.
    /// let err = Currency::with_exponent("USD", 3).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::CurrencyExponentMismatch { expected: 2, found: 3, .. }));
    /// assert!(Currency::with_exponent("XBT", 19).is_err()); // above MAX_EXPONENT
    /// # Ok::<(), revops::Error>(())
    /// ```
    pub fn with_exponent(code: &str, exponent: u8) -> Result<Currency, Error> {
        let bytes = parse_code(code)?;
        if exponent > Self::MAX_EXPONENT {
            return Err(ErrorKind::InvalidCurrency {
                code: code.to_owned(),
                reason: "minor-unit exponent must be at most 18",
            }
            .into());
        }
        match iso_exponent(bytes) {
            Some(expected) if expected != exponent => {
                Err(ErrorKind::CurrencyExponentMismatch { code: code.to_owned(), expected, found: exponent }.into())
            }
            _ => Ok(Currency { code: bytes, exponent }),
        }
    }

    /// The three-letter code, e.g. `"USD"`.
    #[must_use]
    pub fn code(&self) -> &str {
        // The bytes were checked to be ASCII uppercase on construction.
        core::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Number of decimal digits of the minor unit (2 for USD).
    #[must_use]
    pub const fn exponent(&self) -> u8 {
        self.exponent
    }

    /// The smallest unit as an amount, e.g. `0.01` for USD and `1` for JPY.
    #[must_use]
    pub fn minor_unit(&self) -> Decimal {
        Decimal::new(1, u32::from(self.exponent))
    }

    /// Whether this currency is in the built-in ISO 4217 table with this exponent.
    #[must_use]
    pub fn is_iso(&self) -> bool {
        iso_exponent(self.code) == Some(self.exponent)
    }
}

fn parse_code(code: &str) -> Result<[u8; 3], Error> {
    match *code.as_bytes() {
        [a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok([a, b, c]),
        _ => Err(ErrorKind::InvalidCurrency { code: code.to_owned(), reason: "must be three ASCII uppercase letters" }
            .into()),
    }
}

fn iso_exponent(code: [u8; 3]) -> Option<u8> {
    if let Ok(i) = NON_TWO_DIGIT.binary_search_by(|(c, _)| (*c).cmp(&code)) {
        return NON_TWO_DIGIT.get(i).map(|(_, e)| *e);
    }
    TWO_DIGIT.binary_search(&&code).is_ok().then_some(2)
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_iso() {
            f.debug_tuple("Currency").field(&self.code()).finish()
        } else {
            f.debug_struct("Currency").field("code", &self.code()).field("exponent", &self.exponent).finish()
        }
    }
}

impl FromStr for Currency {
    type Err = Error;
    /// Parses an ISO 4217 code; see [`Currency::new`].
    fn from_str(s: &str) -> Result<Currency, Error> {
        Currency::new(s)
    }
}

#[cfg(feature = "serde")]
mod wire {
    use core::fmt;

    use serde::de::{self, MapAccess, Visitor};
    use serde::ser::SerializeStruct;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Currency;

    impl Serialize for Currency {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            if self.is_iso() {
                serializer.serialize_str(self.code())
            } else {
                let mut s = serializer.serialize_struct("Currency", 2)?;
                s.serialize_field("code", self.code())?;
                s.serialize_field("exponent", &self.exponent())?;
                s.end()
            }
        }
    }

    struct CurrencyVisitor;

    impl<'de> Visitor<'de> for CurrencyVisitor {
        type Value = Currency;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an ISO 4217 code like \"USD\" or {\"code\": ..., \"exponent\": ...}")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Currency, E> {
            Currency::new(v).map_err(E::custom)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Currency, A::Error> {
            let mut code: Option<String> = None;
            let mut exponent: Option<u8> = None;
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "code" if code.is_none() => code = Some(map.next_value()?),
                    "exponent" if exponent.is_none() => exponent = Some(map.next_value()?),
                    "code" | "exponent" => return Err(de::Error::custom(format!("duplicate field `{key}`"))),
                    other => return Err(de::Error::unknown_field(other, &["code", "exponent"])),
                }
            }
            let code = code.ok_or_else(|| de::Error::missing_field("code"))?;
            let exponent = exponent.ok_or_else(|| de::Error::missing_field("exponent"))?;
            Currency::with_exponent(&code, exponent).map_err(de::Error::custom)
        }
    }

    impl<'de> Deserialize<'de> for Currency {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Currency, D::Error> {
            deserializer.deserialize_any(CurrencyVisitor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_so_binary_search_works() {
        assert!(NON_TWO_DIGIT.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TWO_DIGIT.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn knows_common_exponents() {
        for (code, exp) in
            [("USD", 2), ("EUR", 2), ("GBP", 2), ("JPY", 0), ("KRW", 0), ("BHD", 3), ("KWD", 3), ("CLF", 4)]
        {
            assert_eq!(Currency::new(code).unwrap().exponent(), exp, "{code}");
        }
        assert_eq!(Currency::new("USD").unwrap(), Currency::USD);
        assert_eq!(Currency::USD.minor_unit(), Decimal::new(1, 2));
    }

    #[test]
    fn rejects_bad_codes_with_reasons() {
        assert_eq!(
            Currency::new("US").unwrap_err().to_string(),
            "invalid currency code \"US\": must be three ASCII uppercase letters"
        );
        assert_eq!(Currency::new("ZZZ").unwrap_err(), ErrorKind::UnknownCurrency { code: "ZZZ".into() });
        assert_eq!(
            Currency::with_exponent("USD", 3).unwrap_err(),
            ErrorKind::CurrencyExponentMismatch { code: "USD".into(), expected: 2, found: 3 }
        );
        assert_eq!(
            Currency::with_exponent("XBT", 19).unwrap_err().to_string(),
            "invalid currency code \"XBT\": minor-unit exponent must be at most 18"
        );
        assert_eq!(Currency::with_exponent("USD", 2).unwrap(), Currency::USD);
    }

    #[test]
    fn debug_is_readable() {
        assert_eq!(format!("{:?}", Currency::USD), "Currency(\"USD\")");
        let xbt = Currency::with_exponent("XBT", 8).unwrap();
        assert_eq!(format!("{xbt:?}"), "Currency { code: \"XBT\", exponent: 8 }");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn wire_forms() {
        assert_eq!(serde_json::to_string(&Currency::USD).unwrap(), "\"USD\"");
        let xbt = Currency::with_exponent("XBT", 8).unwrap();
        let json = serde_json::to_string(&xbt).unwrap();
        assert_eq!(json, r#"{"code":"XBT","exponent":8}"#);
        assert_eq!(serde_json::from_str::<Currency>(&json).unwrap(), xbt);
        assert_eq!(serde_json::from_str::<Currency>("\"JPY\"").unwrap(), Currency::JPY);
        let err = serde_json::from_str::<Currency>("\"usd\"").unwrap_err().to_string();
        assert!(err.starts_with("invalid currency code \"usd\": must be three ASCII uppercase letters"), "{err}");
        let err = serde_json::from_str::<Currency>(r#"{"code":"USD","exponent":3}"#).unwrap_err().to_string();
        assert!(err.starts_with("currency `USD` has 2 minor-unit digits, not 3"), "{err}");
        assert!(serde_json::from_str::<Currency>(r#"{"code":"XBT"}"#).is_err());
        assert!(serde_json::from_str::<Currency>(r#"{"code":"XBT","exponent":8,"x":1}"#).is_err());
        assert!(serde_json::from_str::<Currency>("2").is_err());
    }
}
