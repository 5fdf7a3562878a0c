//! Shop settings: a key/value table. Secrets (the bot token) are stored but never shown
//! back in full.

use crate::store::db::prelude::*;
use chrono_tz::Tz;
use serde_json::json;

use super::{App, AppError, AppResult, Session, audit};
use crate::domain::Action;
use crate::store::schema::settings;

pub mod keys {
    pub const SHOP_NAME: &str = "shop.name";
    pub const SHOP_ADDRESS: &str = "shop.address";
    pub const SHOP_PHONE: &str = "shop.phone";
    pub const TIMEZONE: &str = "timezone";
    pub const LANGUAGE: &str = "language";
    pub const LOW_STOCK_DEFAULT: &str = "stock.low_default";
    pub const TELEGRAM_TOKEN: &str = "telegram.token";
    pub const TELEGRAM_ADMIN_CHATS: &str = "telegram.admin_chats";
    /// Local hour (0–23) at which the day's debt reminders go out (default 10).
    pub const REMINDER_HOUR: &str = "telegram.reminder_hour";
    /// Local hour (1–24) until which reminders may go out (default 21): none at night, and
    /// after downtime the missed one waits for the next window.
    pub const CLOSING_HOUR: &str = "telegram.closing_hour";
    /// Overdue reminders repeat every this many days (default 3).
    pub const OVERDUE_EVERY_DAYS: &str = "telegram.overdue_days";
    /// `no` refuses unknown phone numbers instead of registering a new customer.
    pub const TELEGRAM_REGISTER: &str = "telegram.register";
    pub const BACKUP_DIR: &str = "backup.dir";
    pub const PRINTER_PORT: &str = "printer.port";
    pub const PRINTER_WIDTH: &str = "printer.width";
    pub const PRINTER_CODEPAGE: &str = "printer.codepage";
    /// The TSPL label printer (Xprinter, TSC): a port as for receipts.
    pub const LABEL_PORT: &str = "labels.port";
    /// The label printer's code page: `1251` (default) or `UTF-8` (newer firmware).
    pub const LABEL_CODEPAGE: &str = "labels.codepage";
    pub const SCANNER_IDS: &str = "scanner.ids";
    /// The credit limit of customers without their own, in so'm; empty: no limit.
    pub const CREDIT_DEFAULT_LIMIT: &str = "credit.default_limit";
    /// The most nasiya a till may give one customer while the shop's server is away (a shop
    /// with several tills), in so'm; empty or 0: no nasiya offline.
    pub const OFFLINE_NASIYA_LIMIT: &str = "credit.offline_limit";
    /// `yes` lets the till sell more than the recorded stock (it warns; stock goes below
    /// zero and the Stock tab lists what to count). Default `no`: such a sale is refused.
    pub const ALLOW_NEGATIVE_STOCK: &str = "stock.allow_negative";
    /// Minutes without input before the till locks (default 15).
    pub const IDLE_MINUTES: &str = "session.idle_minutes";
    /// The fiscal provider: `none` (default) or `regos-vcr`.
    pub const FISCAL_PROVIDER: &str = "fiscal.provider";
    /// The provider's address (REGOS VCR: its JSON-RPC URL).
    pub const FISCAL_URL: &str = "fiscal.url";
    /// The provider's cashier login and password.
    pub const FISCAL_LOGIN: &str = "fiscal.login";
    pub const FISCAL_PASSWORD: &str = "fiscal.password";
    /// The till's point-of-sale id at the provider.
    pub const FISCAL_POS_ID: &str = "fiscal.pos_id";

    /// Every key a shop can set, for `kassa settings list` and the checks.
    pub const ALL: &[&str] = &[
        SHOP_NAME,
        SHOP_ADDRESS,
        SHOP_PHONE,
        TIMEZONE,
        LANGUAGE,
        LOW_STOCK_DEFAULT,
        TELEGRAM_TOKEN,
        TELEGRAM_ADMIN_CHATS,
        REMINDER_HOUR,
        CLOSING_HOUR,
        OVERDUE_EVERY_DAYS,
        TELEGRAM_REGISTER,
        BACKUP_DIR,
        PRINTER_PORT,
        PRINTER_WIDTH,
        PRINTER_CODEPAGE,
        LABEL_PORT,
        LABEL_CODEPAGE,
        SCANNER_IDS,
        CREDIT_DEFAULT_LIMIT,
        OFFLINE_NASIYA_LIMIT,
        ALLOW_NEGATIVE_STOCK,
        IDLE_MINUTES,
        FISCAL_PROVIDER,
        FISCAL_URL,
        FISCAL_LOGIN,
        FISCAL_PASSWORD,
        FISCAL_POS_ID,
    ];

    /// Keys whose values are secrets.
    pub const SECRETS: &[&str] = &[TELEGRAM_TOKEN, FISCAL_PASSWORD];
}

pub const DEFAULT_TIMEZONE: Tz = chrono_tz::Asia::Tashkent;

pub(crate) fn get(conn: &mut Db, key: &str) -> AppResult<Option<String>> {
    Ok(settings::table
        .find(key)
        .select(settings::value)
        .first::<String>(conn)
        .optional()?)
}

pub(crate) fn time_zone(conn: &mut Db) -> Tz {
    get(conn, keys::TIMEZONE)
        .ok()
        .flatten()
        .and_then(|s| s.parse::<Tz>().ok())
        .unwrap_or(DEFAULT_TIMEZONE)
}

/// Masks a secret for display: "1234…wxyz".
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 8 {
        return "•".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

impl App {
    /// The `scanner.ids` setting, for the scanner thread started before anyone logs in.
    pub fn scanner_ids(&mut self) -> AppResult<String> {
        Ok(get(&mut self.conn, keys::SCANNER_IDS)?.unwrap_or_default())
    }

    /// The label printer's code page (`labels.codepage`), for `kassa labels` and the window.
    pub fn label_page(&mut self) -> AppResult<crate::app::document::tspl::LabelPage> {
        Ok(get(&mut self.conn, keys::LABEL_CODEPAGE)?
            .and_then(|s| crate::app::document::tspl::LabelPage::parse(&s))
            .unwrap_or_default())
    }

    /// A setting's value as it may be shown (secrets masked). Any logged-in employee.
    pub fn setting(&mut self, session: &Session, key: &str) -> AppResult<Option<String>> {
        self.read(session, None, |conn, _| {
            let v = get(conn, key)?;
            Ok(if keys::SECRETS.contains(&key) {
                v.map(|s| mask(&s))
            } else {
                v
            })
        })
    }

    /// Changes a setting (admin). Validates the keys it knows.
    pub fn set_setting(&mut self, session: &Session, key: &str, value: &str) -> AppResult<()> {
        self.set_settings(session, &[(key, value)])
            .map_err(|mut errors| errors.remove(0).1)
    }

    /// Changes several settings at once, all or nothing (admin): every value is checked
    /// first; if any is refused nothing is saved and each refusal is returned with its key.
    /// One transaction, one audit row per changed key.
    pub fn set_settings(
        &mut self,
        session: &Session,
        changes: &[(&str, &str)],
    ) -> Result<(), Vec<(String, AppError)>> {
        self.set_settings_by(Some(session), changes)
    }

    /// Changes a setting from the command line (`kassa settings set`): whoever runs the
    /// program on the database file is its owner; audited as "kassa settings".
    pub fn set_setting_by_command(&mut self, key: &str, value: &str) -> AppResult<()> {
        self.set_settings_by(None, &[(key, value)])
            .map_err(|mut errors| errors.remove(0).1)
    }

    /// Every setting, secrets masked, for the command line (`kassa settings list`).
    pub fn settings_for_command(&mut self) -> AppResult<Vec<(String, String)>> {
        let rows: Vec<(String, String)> = settings::table
            .order(settings::key)
            .select((settings::key, settings::value))
            .load(&mut self.conn)?;
        Ok(rows
            .into_iter()
            .map(|(k, v)| {
                let shown = if keys::SECRETS.contains(&k.as_str()) {
                    mask(&v)
                } else {
                    v
                };
                (k, shown)
            })
            .collect())
    }

    fn set_settings_by(
        &mut self,
        session: Option<&Session>,
        changes: &[(&str, &str)],
    ) -> Result<(), Vec<(String, AppError)>> {
        let mut checked = Vec::new();
        let mut errors = Vec::new();
        for (key, value) in changes {
            match check_setting(key, value) {
                Ok(v) => checked.push((key.to_string(), v)),
                Err(e) => errors.push((key.to_string(), e)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let actor = &match session {
                Some(s) => super::load_actor(conn, s, Some(Action::Settings))?,
                None => super::Actor::system("kassa settings"),
            };
            for (key, value) in &checked {
                let key = key.as_str();
                let secret = keys::SECRETS.contains(&key);
                let before = get(conn, key)?;
                let fields = (settings::value.eq(value), settings::updated_at.eq(now));
                diesel::insert_into(settings::table)
                    .values((settings::key.eq(key), fields))
                    .on_conflict(settings::key)
                    .do_update()
                    .set(fields)
                    .execute(conn)?;
                let show = |v: &str| if secret { mask(v) } else { v.to_string() };
                audit::record(
                    conn,
                    actor,
                    now,
                    "setting.update",
                    "setting",
                    None,
                    Some(json!({ "key": key, "value": before.as_deref().map(show) })),
                    Some(json!({ "key": key, "value": show(value) })),
                )?;
            }
            Ok(())
        })
        .map_err(|e| vec![(String::new(), e)])
    }
}

/// Checks one setting's value; returns it trimmed, or why it is refused.
fn check_setting(key: &str, value: &str) -> AppResult<String> {
    let mut value = value.trim().to_string();
    // Yes or no as the shop writes it in its language; kept as `yes`/`no`.
    if matches!(key, keys::ALLOW_NEGATIVE_STOCK | keys::TELEGRAM_REGISTER) {
        let folded = value.to_lowercase();
        if matches!(folded.as_str(), "ha" | "да" | "yes") {
            value = "yes".into();
        } else if matches!(folded.as_str(), "yoʻq" | "yo'q" | "yoq" | "нет" | "no") {
            value = "no".into();
        }
    }
    match key {
        keys::TIMEZONE => {
            value
                .parse::<Tz>()
                .map_err(|_| AppError::invalid("timezone", format!("unknown time zone {value}")))?;
        }
        keys::LANGUAGE if !matches!(value.as_str(), "uz" | "ru" | "en") => {
            return Err(AppError::invalid("language", "must be uz, ru or en"));
        }
        keys::LOW_STOCK_DEFAULT => {
            crate::domain::Quantity::parse(&value)?;
        }
        keys::PRINTER_PORT if !value.is_empty() => {
            crate::domain::device_address::Port::parse(&value)
                .map_err(|m| AppError::invalid("printer.port", m))?;
        }
        keys::LABEL_PORT if !value.is_empty() => {
            crate::domain::device_address::Port::parse(&value)
                .map_err(|m| AppError::invalid("labels.port", m))?;
        }
        keys::LABEL_CODEPAGE if crate::app::document::tspl::LabelPage::parse(&value).is_none() => {
            return Err(AppError::invalid(
                "labels.codepage",
                "must be 1251 or UTF-8",
            ));
        }
        keys::PRINTER_CODEPAGE
            if crate::app::document::escpos::CodePage::parse(&value).is_none() =>
        {
            return Err(AppError::invalid(
                "printer.codepage",
                "must be PC866, WPC1251 or UTF-8",
            ));
        }
        keys::CREDIT_DEFAULT_LIMIT | keys::OFFLINE_NASIYA_LIMIT if !value.trim().is_empty() => {
            let m = crate::domain::Money::parse(&value)?;
            if m.is_negative() {
                let field = if key == keys::CREDIT_DEFAULT_LIMIT {
                    keys::CREDIT_DEFAULT_LIMIT
                } else {
                    keys::OFFLINE_NASIYA_LIMIT
                };
                return Err(AppError::invalid(field, "must be zero or more"));
            }
        }
        keys::SCANNER_IDS => {
            crate::domain::device_address::Wanted::parse(&value)
                .map_err(|m| AppError::invalid("scanner.ids", m))?;
        }
        keys::TELEGRAM_ADMIN_CHATS => {
            super::telegram::parse_admin_chats(&value)
                .map_err(|m| AppError::invalid("telegram.admin_chats", m))?;
        }
        keys::REMINDER_HOUR if !matches!(value.parse::<u32>(), Ok(0..=23)) => {
            return Err(AppError::invalid(
                "telegram.reminder_hour",
                "must be an hour from 0 to 23",
            ));
        }
        keys::CLOSING_HOUR if !matches!(value.parse::<u32>(), Ok(1..=24)) => {
            return Err(AppError::invalid(
                "telegram.closing_hour",
                "must be an hour from 1 to 24",
            ));
        }
        keys::OVERDUE_EVERY_DAYS if !matches!(value.parse::<u32>(), Ok(1..=365)) => {
            return Err(AppError::invalid(
                "telegram.overdue_days",
                "must be 1 to 365 days",
            ));
        }
        keys::ALLOW_NEGATIVE_STOCK if !matches!(value.as_str(), "" | "yes" | "no") => {
            return Err(AppError::invalid(
                "stock.allow_negative",
                "must be yes or no",
            ));
        }
        keys::TELEGRAM_REGISTER if !matches!(value.as_str(), "yes" | "no") => {
            return Err(AppError::invalid("telegram.register", "must be yes or no"));
        }
        keys::IDLE_MINUTES
            if !value.is_empty()
                && !value
                    .parse::<f64>()
                    .is_ok_and(|m| (0.05..=480.0).contains(&m)) =>
        {
            return Err(AppError::invalid(
                "session.idle_minutes",
                "must be 0.05 to 480 minutes",
            ));
        }
        keys::PRINTER_WIDTH if !matches!(value.as_str(), "" | "58" | "80") => {
            return Err(AppError::invalid("printer.width", "must be 58 or 80 (mm)"));
        }
        keys::FISCAL_PROVIDER if !matches!(value.as_str(), "" | "none" | "regos-vcr") => {
            return Err(AppError::invalid(
                "fiscal.provider",
                "must be none or regos-vcr",
            ));
        }
        keys::FISCAL_URL
            if !value.is_empty()
                && !url::Url::parse(&value)
                    .is_ok_and(|u| matches!(u.scheme(), "http" | "https")) =>
        {
            return Err(AppError::invalid(
                "fiscal.url",
                "must be an http:// or https:// address",
            ));
        }
        _ => {}
    }
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::invalid("key", "must be 1 to 64 characters"));
    }
    Ok(value)
}
