//! Sizing answers as people type them: LOB columns, the network path, counts and rates.

use std::fmt;
use std::str::FromStr;

/// How the source's LOB columns are migrated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LobMode {
    /// No LOB columns.
    None,
    /// LOBs up to a maximum size, in KB (DMS's limited LOB mode).
    Limited {
        /// The largest LOB, KB.
        max_kb: u32,
    },
    /// LOBs of any size, fetched in pieces (DMS's full LOB mode; slow).
    Full,
}

impl FromStr for LobMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace(' ', "");
        let err = || {
            format!(
                "`{s}` is not a LOB answer: write `none`, `limited:SIZE` (e.g. `limited:64KB`, `limited:2MB`) or `full`"
            )
        };
        match t.as_str() {
            "none" | "no" => return Ok(LobMode::None),
            "full" => return Ok(LobMode::Full),
            "limited" => return Ok(LobMode::Limited { max_kb: 32 }),
            _ => {}
        }
        let size = t.strip_prefix("limited:").ok_or_else(err)?;
        let (number, factor) = if let Some(n) = size.strip_suffix("mb") {
            (n, 1024.0)
        } else if let Some(n) = size.strip_suffix("kb") {
            (n, 1.0)
        } else {
            (size, 1.0)
        };
        let kb: f64 = number.parse().map_err(|_| err())?;
        let kb = (kb * factor).ceil();
        // DMS limits LobMaxSize to 100 MB in limited mode (task settings page).
        if !(1.0..=102_400.0).contains(&kb) {
            return Err(format!("`{s}`: a limited LOB size is 1 KB to 100 MB"));
        }
        Ok(LobMode::Limited { max_kb: kb as u32 })
    }
}

impl fmt::Display for LobMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LobMode::None => f.write_str("none"),
            LobMode::Full => f.write_str("full"),
            LobMode::Limited { max_kb } if max_kb % 1024 == 0 => {
                write!(f, "limited:{}MB", max_kb / 1024)
            }
            LobMode::Limited { max_kb } => write!(f, "limited:{max_kb}KB"),
        }
    }
}

/// The network path from the source to the VPC.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Network {
    /// The public internet.
    Internet,
    /// An AWS Site-to-Site VPN.
    Vpn,
    /// AWS Direct Connect at a port speed, Gbit/s.
    DirectConnect {
        /// Port speed, Gbit/s.
        gbps: u32,
    },
    /// A measured throughput, Mbit/s.
    Throughput {
        /// Mbit/s.
        mbps: f64,
    },
}

impl FromStr for Network {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        let err = || {
            format!(
                "`{s}` is not a network path: write `vpn`, `internet`, `direct-connect:1g`, `direct-connect:10g`, `direct-connect:100g` or `throughput:300mbps`"
            )
        };
        match t.as_str() {
            "internet" | "public" => return Ok(Network::Internet),
            "vpn" | "site-to-site-vpn" => return Ok(Network::Vpn),
            _ => {}
        }
        if let Some(speed) = t
            .strip_prefix("direct-connect:")
            .or_else(|| t.strip_prefix("dx:"))
        {
            let gbps = match speed.trim_end_matches("bps").trim_end_matches('b') {
                "1g" => 1,
                "10g" => 10,
                "100g" => 100,
                _ => return Err(err()),
            };
            return Ok(Network::DirectConnect { gbps });
        }
        if let Some(rate) = t.strip_prefix("throughput:") {
            let (number, factor) = if let Some(n) = rate.strip_suffix("gbps") {
                (n, 1000.0)
            } else if let Some(n) = rate.strip_suffix("mbps") {
                (n, 1.0)
            } else {
                (rate, 1.0)
            };
            let mbps: f64 = number.parse().map_err(|_| err())?;
            let mbps = mbps * factor;
            if !(mbps.is_finite() && mbps > 0.0 && mbps <= 400_000.0) {
                return Err(err());
            }
            return Ok(Network::Throughput { mbps });
        }
        Err(err())
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Network::Internet => f.write_str("internet"),
            Network::Vpn => f.write_str("vpn"),
            Network::DirectConnect { gbps } => write!(f, "direct-connect:{gbps}g"),
            Network::Throughput { mbps } => write!(f, "throughput:{mbps}mbps"),
        }
    }
}

/// A whole number of things (tables); `min` is the smallest allowed.
pub fn parse_count(text: &str, min: u32) -> Result<u32, String> {
    let n: u32 = text
        .trim()
        .replace(['_', ','], "")
        .parse()
        .map_err(|_| format!("expected a whole number, got `{}`", text.trim()))?;
    if n < min {
        return Err(format!("expected at least {min}, got {n}"));
    }
    Ok(n)
}

/// A rate in GB per hour: `2`, `2GB/h`, `500MB/h`; zero allowed.
pub fn parse_rate_gb_per_hour(text: &str) -> Result<f64, String> {
    let t = text.trim().to_ascii_lowercase().replace(' ', "");
    let t = t.trim_end_matches("/h").trim_end_matches("/hour");
    let (number, factor) = if let Some(n) = t.strip_suffix("mb") {
        (n, 1.0 / 1024.0)
    } else if let Some(n) = t.strip_suffix("gb") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix("tb") {
        (n, 1024.0)
    } else {
        (t, 1.0)
    };
    let v: f64 = number.parse().map_err(|_| {
        format!(
            "expected GB of log per hour (e.g. `2`, `500MB/h`), got `{}`",
            text.trim()
        )
    })?;
    let v = v * factor;
    if !(v.is_finite() && (0.0..=100_000.0).contains(&v)) {
        return Err(format!(
            "expected GB of log per hour from 0 to 100000, got `{}`",
            text.trim()
        ));
    }
    Ok(v)
}

/// A positive throughput in Mbit/s.
pub fn parse_mbps(text: &str) -> Result<f64, String> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.trim_end_matches("mbps").trim();
    let v: f64 = t
        .parse()
        .map_err(|_| format!("expected Mbit/s (e.g. `300`), got `{}`", text.trim()))?;
    if !(v.is_finite() && v > 0.0 && v <= 400_000.0) {
        return Err(format!(
            "expected a positive number of Mbit/s, got `{}`",
            text.trim()
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lob_answers() {
        for (input, want) in [
            ("none", "none"),
            ("full", "full"),
            ("limited", "limited:32KB"),
            ("limited:64KB", "limited:64KB"),
            ("limited:2MB", "limited:2MB"),
            ("Limited: 100", "limited:100KB"),
        ] {
            assert_eq!(
                input.parse::<LobMode>().unwrap().to_string(),
                want,
                "{input}"
            );
        }
        for input in ["some", "limited:", "limited:200MB", "limited:0"] {
            assert!(input.parse::<LobMode>().is_err(), "{input}");
        }
    }

    #[test]
    fn network_answers() {
        for (input, want) in [
            ("vpn", "vpn"),
            ("Internet", "internet"),
            ("direct-connect:1g", "direct-connect:1g"),
            ("dx:10g", "direct-connect:10g"),
            ("throughput:300mbps", "throughput:300mbps"),
            ("throughput:1.5gbps", "throughput:1500mbps"),
        ] {
            assert_eq!(
                input.parse::<Network>().unwrap().to_string(),
                want,
                "{input}"
            );
        }
        for input in [
            "fast",
            "direct-connect:5g",
            "throughput:-1",
            "throughput:abc",
        ] {
            assert!(input.parse::<Network>().is_err(), "{input}");
        }
    }

    #[test]
    fn counts_and_rates() {
        assert_eq!(parse_count("1,200", 1).unwrap(), 1200);
        assert!(parse_count("0", 1).is_err());
        assert_eq!(parse_count("0", 0).unwrap(), 0);
        assert_eq!(parse_rate_gb_per_hour("500MB/h").unwrap(), 500.0 / 1024.0);
        assert_eq!(parse_rate_gb_per_hour("2").unwrap(), 2.0);
        assert!(parse_rate_gb_per_hour("-1").is_err());
        assert_eq!(parse_mbps("300mbps").unwrap(), 300.0);
        assert!(parse_mbps("0").is_err());
    }
}
