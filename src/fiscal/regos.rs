//! REGOS: VCR, the virtual cash register, through its published API: JSON-RPC 2.0 over HTTP
//! POST (`Content-Type: application/json`), `auth` = Base64(login:password) of a Cashier
//! user, one request at a time; the answer is `{"id","ok","result","jsonrpc"}` with `ok` false
//! and an error object in `result` on failure.
//!
//! Methods used: `Sys.Initialize` (ready?), `ZReport.Open` / `ZReport.Close` (the fiscal
//! shift), `Receipt.Sale`, `Receipt.Refund` (positions with the sale's fiscal data),
//! `Receipt.FullRefund` (by the sale's QR URL) and `Receipt.GetInfo` (a receipt by our
//! `code`). Our receipt number goes in `code`, which the VCR keeps unique. Amounts are in
//! tiyin and quantities in thousandths, as every Uzbek fiscalization API takes them.

use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use super::{FiscalError, Provider};
use crate::app::{FiscalAnswer, FiscalConfig, FiscalRequest};

/// How long an answer may take before it counts as lost (then the receipt is looked up by
/// its code).
pub const TIMEOUT: Duration = Duration::from_secs(15);

pub struct RegosVcr {
    url: String,
    auth: String,
    pos_id: String,
    timeout: Duration,
    next_id: u64,
    runtime: Option<tokio::runtime::Runtime>,
    client: Option<reqwest::Client>,
}

impl RegosVcr {
    pub fn new(cfg: &FiscalConfig) -> RegosVcr {
        RegosVcr::with_timeout(cfg, TIMEOUT)
    }

    pub fn with_timeout(cfg: &FiscalConfig, timeout: Duration) -> RegosVcr {
        let auth = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", cfg.login, cfg.password));
        RegosVcr {
            url: cfg.url.clone(),
            auth,
            pos_id: cfg.pos_id.clone(),
            timeout,
            next_id: 1,
            runtime: None,
            client: None,
        }
    }

    /// One JSON-RPC call: `Ok(result)` when the method ran, `Err(Refused)` with the
    /// provider's words when it said no.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, FiscalError> {
        if self.runtime.is_none() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| FiscalError::Unreachable(e.to_string()))?;
            self.runtime = Some(rt);
        }
        if self.client.is_none() {
            // A new connection per request (one request at a time anyway): a kept-alive one
            // the module dropped would make "never sent" look like "answer lost".
            let client = reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(Duration::from_secs(5))
                .pool_max_idle_per_host(0)
                .build()
                .map_err(|e| FiscalError::Unreachable(e.to_string()))?;
            self.client = Some(client);
        }
        let (Some(rt), Some(client)) = (&self.runtime, &self.client) else {
            return Err(FiscalError::Unreachable("no HTTP client".into()));
        };
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({
            "id": id,
            "jsonrpc": "2.0",
            "method": method,
            "params": params,
            "auth": self.auth,
        });
        let url = self.url.clone();
        let answer: Result<(u16, String), reqwest::Error> = rt.block_on(async {
            let r = client
                .post(&url)
                .header("Content-Type", "application/json;charset=utf-8")
                .json(&body)
                .send()
                .await?;
            let status = r.status().as_u16();
            Ok((status, r.text().await?))
        });
        let (status, text) = match answer {
            Ok(a) => a,
            // Never reached: safe to send again.
            Err(e) if e.is_connect() => return Err(FiscalError::Unreachable(e.to_string())),
            Err(e) if e.is_builder() => return Err(FiscalError::Refused(e.to_string())),
            // A timeout or a cut connection: the request may have arrived.
            Err(e) => return Err(FiscalError::NoAnswer(e.to_string())),
        };
        if status != 200 {
            return Err(FiscalError::NoAnswer(format!("HTTP {status}")));
        }
        let v: Value = serde_json::from_str(&text)
            .map_err(|_| FiscalError::NoAnswer("the answer is not JSON-RPC".into()))?;
        if v.get("ok").and_then(Value::as_bool) == Some(true) {
            return Ok(v.get("result").cloned().unwrap_or(Value::Null));
        }
        let err = v.get("result").cloned().unwrap_or(Value::Null);
        Err(refusal(&err))
    }
}

/// The provider's error object in words; a duplicate code is told apart.
fn refusal(err: &Value) -> FiscalError {
    let code = err
        .get("code")
        .map(|c| c.to_string().trim_matches('"').to_string())
        .unwrap_or_default();
    let message = err
        .get("message")
        .or_else(|| err.get("description"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let lower = message.to_lowercase();
    if code == "DUPLICATE_CODE"
        || (lower.contains("code") && (lower.contains("exist") || lower.contains("duplicate")))
        || lower.contains("уже существует")
    {
        return FiscalError::Duplicate;
    }
    FiscalError::Refused(if message.is_empty() {
        format!("error {code}")
    } else {
        message
    })
}

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The fiscal data in an answer of `Receipt.Sale`, `Receipt.Refund` or `Receipt.GetInfo`.
fn answer_of(v: &Value) -> Result<FiscalAnswer, FiscalError> {
    let a = FiscalAnswer {
        terminal_id: text(v, "TerminalID"),
        receipt_no: text(v, "ReceiptNo"),
        fiscal_sign: text(v, "FiscalSign"),
        date_time: text(v, "DateTime"),
        qr_url: text(v, "QRCodeURL"),
    };
    if a.fiscal_sign.is_empty() || a.qr_url.is_empty() {
        return Err(FiscalError::NoAnswer(
            "the answer has no fiscal sign or QR code".into(),
        ));
    }
    Ok(a)
}

fn items(r: &FiscalRequest) -> Value {
    Value::Array(
        r.items
            .iter()
            .map(|i| {
                json!({
                    "name": i.name,
                    "barcode": i.barcode,
                    "ikpu": i.class_code,
                    "package_code": i.package_code,
                    "unit_code": i.unit_code,
                    "price": i.price,
                    "quantity": i.quantity,
                    "amount": i.amount,
                    "discount": i.discount,
                    "vat_percent": i.vat_percent,
                    "vat_amount": i.vat_amount,
                    "labels": i.labels,
                })
            })
            .collect(),
    )
}

fn payments(r: &FiscalRequest) -> Value {
    let p = r.payments;
    Value::Array(
        [("cash", p.cash), ("card", p.card), ("credit", p.credit)]
            .into_iter()
            .filter(|(_, a)| *a > 0)
            .map(|(t, a)| json!({ "type": t, "amount": a }))
            .collect(),
    )
}

impl Provider for RegosVcr {
    fn status(&mut self) -> Result<(), FiscalError> {
        self.call("Sys.Initialize", Value::Null).map(drop)
    }

    fn open_shift(&mut self, shift_id: i32, cashier: &str) -> Result<(), FiscalError> {
        let params = json!({ "cashier_name": cashier, "session_code": shift_id.to_string(),
            "pos_id": self.pos_id });
        match self.call("ZReport.Open", params) {
            Ok(_) => Ok(()),
            // Open already (opened before a crash, or by hand at the VCR): as wanted.
            Err(FiscalError::Refused(m)) => match self.call("ZReport.GetInfo", Value::Null) {
                Ok(info) if info.get("is_open").and_then(Value::as_bool) == Some(true) => Ok(()),
                _ => Err(FiscalError::Refused(m)),
            },
            Err(e) => Err(e),
        }
    }

    fn close_shift(&mut self, shift_id: i32, cashier: &str) -> Result<Option<String>, FiscalError> {
        let params = json!({ "cashier_name": cashier, "session_code": shift_id.to_string(),
            "pos_id": self.pos_id });
        let v = self.call("ZReport.Close", params)?;
        let number = text(&v, "number");
        Ok((!number.is_empty()).then_some(number))
    }

    fn sale(&mut self, r: &FiscalRequest) -> Result<FiscalAnswer, FiscalError> {
        let params = json!({
            "code": r.code,
            "cashier_name": r.cashier_name,
            "seller_name": r.cashier_name,
            "pos_id": r.pos_id,
            "session_code": r.session_code,
            "phone": Value::Null,
            "items": items(r),
            "payments": payments(r),
            "amount": r.total,
        });
        answer_of(&self.call("Receipt.Sale", params)?)
    }

    fn refund(&mut self, r: &FiscalRequest) -> Result<FiscalAnswer, FiscalError> {
        let Some(o) = &r.original else {
            return Err(FiscalError::Refused(
                "the refunded sale is not registered yet".into(),
            ));
        };
        let common = json!({
            "code": r.code,
            "cashier_name": r.cashier_name,
            "pos_id": r.pos_id,
            "session_code": r.session_code,
            "qr_code_url": o.qr_url,
        });
        let v = if r.full_refund {
            self.call("Receipt.FullRefund", common)?
        } else {
            let mut params = common;
            params["receipt"] = json!({
                "terminal_id": o.terminal_id,
                "receipt_no": o.receipt_no,
                "date_time": o.date_time,
                "fiscal_sign": o.fiscal_sign,
            });
            params["items"] = items(r);
            params["payments"] = payments(r);
            params["amount"] = json!(r.total);
            self.call("Receipt.Refund", params)?
        };
        answer_of(&v)
    }

    fn lookup(&mut self, code: &str) -> Result<Option<FiscalAnswer>, FiscalError> {
        match self.call("Receipt.GetInfo", json!({ "code": code })) {
            Ok(v) => answer_of(&v).map(Some),
            // Not known under this code.
            Err(FiscalError::Refused(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
