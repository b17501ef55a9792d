//! Durations as people type them for downtime windows: `2h`, `90m`, `1d`, `1h30m`.

use std::fmt;
use std::str::FromStr;

/// A duration in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration {
    minutes: u32,
}

impl Duration {
    /// A duration of `minutes` minutes.
    pub fn from_minutes(minutes: u32) -> Duration {
        Duration { minutes }
    }

    /// Whole minutes.
    pub fn minutes(self) -> u32 {
        self.minutes
    }

    /// Hours, with fractions.
    pub fn hours(self) -> f64 {
        f64::from(self.minutes) / 60.0
    }
}

/// Examples shown when a duration does not parse.
pub const EXAMPLES: &str = "`2h`, `90m`, `1d`, `1h30m`";

impl FromStr for Duration {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("`{s}` is not a duration (examples: {EXAMPLES})");
        let text: String = s.trim().to_ascii_lowercase().split_whitespace().collect();
        if text.is_empty() {
            return Err(err());
        }
        let mut minutes: u64 = 0;
        let mut number = String::new();
        let mut chars = text.chars().peekable();
        let mut any = false;
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let mut unit = String::from(c);
            while let Some(&n) = chars.peek() {
                if n.is_ascii_alphabetic() {
                    unit.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            let per: u64 = match unit.as_str() {
                "m" | "min" | "mins" | "minute" | "minutes" => 1,
                "h" | "hr" | "hrs" | "hour" | "hours" => 60,
                "d" | "day" | "days" => 1440,
                _ => return Err(err()),
            };
            let n: u64 = number.parse().map_err(|_| err())?;
            number.clear();
            minutes = minutes
                .checked_add(n.checked_mul(per).ok_or_else(err)?)
                .ok_or_else(err)?;
            any = true;
        }
        if !number.is_empty() || !any {
            return Err(err());
        }
        if minutes == 0 {
            return Err(format!(
                "`{s}` is no time at all; give the downtime the business accepts (e.g. `2h`)"
            ));
        }
        let minutes = u32::try_from(minutes).map_err(|_| err())?;
        Ok(Duration { minutes })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.minutes;
        if m % 1440 == 0 {
            write!(f, "{}d", m / 1440)
        } else if m % 60 == 0 {
            write!(f, "{}h", m / 60)
        } else if m > 60 {
            write!(f, "{}h{}m", m / 60, m % 60)
        } else {
            write!(f, "{m}m")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations_as_people_type_them() {
        for (input, minutes, shown) in [
            ("2h", 120, "2h"),
            ("90m", 90, "1h30m"),
            ("1d", 1440, "1d"),
            ("1h30m", 90, "1h30m"),
            ("45 min", 45, "45m"),
            ("4 hours", 240, "4h"),
            ("2D", 2880, "2d"),
        ] {
            let d: Duration = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(d.minutes(), minutes, "{input}");
            assert_eq!(d.to_string(), shown, "{input}");
        }
    }

    #[test]
    fn refuses_what_is_no_duration() {
        for input in ["", "2", "h", "two hours", "2x", "0h", "-1h", "99999999999d"] {
            assert!(input.parse::<Duration>().is_err(), "{input}");
        }
    }
}
