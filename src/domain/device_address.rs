//! Where the devices are, as the settings name them: the receipt printer's port
//! (`printer.port`) and the USB scanner's ids (`scanner.ids`). Pure parsing, so that `app`
//! checks a setting before saving it without importing `devices`.

use std::path::PathBuf;

/// The HID usage page of barcode scanners in HID POS mode.
pub const HID_POS_USAGE_PAGE: u16 = 0x8C;

/// Where the printer is (setting `printer.port`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Port {
    /// `serial:/dev/ttyUSB0` or `serial:/dev/ttyUSB0:19200` (8N1, default 9600 baud).
    Serial { path: String, baud: u32 },
    /// `tcp:192.168.1.50` or `tcp:192.168.1.50:9100`: a network printer (raw port 9100).
    Tcp(String),
    /// `usb:/dev/usb/lp0`: a USB printer through the kernel's usblp driver (write only).
    Usb(PathBuf),
    /// `file:/path/receipts.bin`: jobs appended to a file (testing, or a printer spooler).
    File(PathBuf),
    /// `win:XP-80C`: a printer installed in Windows, by its name; raw bytes through the
    /// print spooler (Windows only).
    Windows(String),
}

impl Port {
    /// Parses the setting; a bare `/dev/tty…` or `COM3` is serial, `/dev/usb/…` USB,
    /// `host:port` TCP.
    pub fn parse(s: &str) -> Result<Port, String> {
        let s = s.trim();
        let is_com = |t: &str| {
            t.len() > 3
                && t[..3].eq_ignore_ascii_case("com")
                && t[3..].chars().all(|c| c.is_ascii_digit())
        };
        let (kind, rest) = match s.split_once(':') {
            Some((k @ ("serial" | "tcp" | "usb" | "file" | "win"), rest)) => (k, rest.trim()),
            _ if s.starts_with("/dev/usb/") => ("usb", s),
            _ if s.starts_with("/dev/tty") => ("serial", s),
            _ if is_com(s) => ("serial", s),
            _ if s.starts_with('/') => ("file", s),
            _ if s.contains(':') => ("tcp", s),
            _ => return Err(format!("unknown printer port \"{s}\"")),
        };
        if rest.is_empty() {
            return Err(format!("the printer port \"{s}\" names no device"));
        }
        Ok(match kind {
            "serial" => match rest.rsplit_once(':') {
                Some((path, baud)) if baud.chars().all(|c| c.is_ascii_digit()) => Port::Serial {
                    path: path.to_string(),
                    baud: baud
                        .parse()
                        .ok()
                        .filter(|b| (1200..=921_600).contains(b))
                        .ok_or_else(|| format!("bad baud rate \"{baud}\""))?,
                },
                _ => Port::Serial {
                    path: rest.to_string(),
                    baud: 9600,
                },
            },
            "tcp" => {
                if rest
                    .rsplit_once(':')
                    .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
                {
                    Port::Tcp(rest.to_string())
                } else {
                    Port::Tcp(format!("{rest}:9100"))
                }
            }
            "usb" => Port::Usb(PathBuf::from(rest)),
            "win" => Port::Windows(rest.to_string()),
            _ => Port::File(PathBuf::from(rest)),
        })
    }
}

/// Which scanner to use (setting `scanner.ids`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wanted {
    /// Any device on the HID POS barcode usage page.
    #[default]
    AnyPos,
    /// The device with this vendor and product id.
    Ids(u16, u16),
}

impl Wanted {
    /// Parses `0c2e:0b61` (hex); empty means any HID POS scanner.
    pub fn parse(s: &str) -> Result<Wanted, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(Wanted::AnyPos);
        }
        let bad = || format!("\"{s}\" is not vendor:product in hex, like 0c2e:0b61");
        let (v, p) = s.split_once(':').ok_or_else(bad)?;
        let hex = |x: &str| u16::from_str_radix(x.trim().trim_start_matches("0x"), 16);
        Ok(Wanted::Ids(
            hex(v).map_err(|_| bad())?,
            hex(p).map_err(|_| bad())?,
        ))
    }

    pub fn matches(self, vendor: u16, product: u16, usage_page: u16) -> bool {
        match self {
            Wanted::AnyPos => usage_page == HID_POS_USAGE_PAGE,
            Wanted::Ids(v, p) => v == vendor && p == product,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting() {
        assert_eq!(Wanted::parse(""), Ok(Wanted::AnyPos));
        assert_eq!(Wanted::parse("0c2e:0b61"), Ok(Wanted::Ids(0x0c2e, 0x0b61)));
        assert_eq!(
            Wanted::parse("0x05E0:0x1200"),
            Ok(Wanted::Ids(0x05e0, 0x1200))
        );
        assert!(Wanted::parse("scanner").is_err());
        assert!(Wanted::parse("12345:1").is_err());
        assert!(Wanted::AnyPos.matches(1, 2, 0x8C));
        assert!(!Wanted::AnyPos.matches(1, 2, 0x01));
        assert!(Wanted::Ids(1, 2).matches(1, 2, 0x01));
    }
}
