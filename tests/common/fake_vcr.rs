//! A fake REGOS: VCR on 127.0.0.1, written from its published API description: JSON-RPC 2.0
//! over HTTP POST, `auth` = Base64(login:password), `{"id","ok","result","jsonrpc"}` answers,
//! receipts unique by `code`, `Receipt.GetInfo` by code, the fiscal shift (`ZReport.*`). It
//! checks what a real module checks of a receipt (class codes, sums, VAT, the refunded sale's
//! fiscal data) and keeps every receipt it registered, so tests can count them. It can
//! refuse, answer late (after registering), cut the connection after registering, and be
//! down (connections refused).

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

pub const LOGIN: &str = "kassir1";
pub const PASSWORD: &str = "vcr-pass-7";

/// A receipt the fake registered.
#[derive(Clone, Debug)]
pub struct Registered {
    pub method: String,
    pub params: Value,
    pub answer: Value,
    pub shift: u32,
}

#[derive(Default)]
pub struct State {
    pub receipts: HashMap<String, Registered>,
    /// Every call, in order: (method, params).
    pub calls: Vec<(String, Value)>,
    pub shift_open: bool,
    pub shift_no: u32,
    /// Closed shifts: (number, sales total, refunds total, receipts).
    pub z_reports: Vec<(u32, i64, i64, usize)>,
    next_no: u64,
    /// The next n receipt calls are refused with this message.
    pub refuse: Option<(usize, String)>,
    /// The next n receipt calls are registered, then answered after this long.
    pub late: Option<(usize, Duration)>,
    /// The next n receipt calls are registered, then the connection is dropped.
    pub cut: usize,
    /// Requests that hold their answer until `release` (kill -9 tests).
    pub hold: bool,
}

pub struct FakeVcr {
    pub url: String,
    pub port: u16,
    pub state: Arc<Mutex<State>>,
    down: Arc<AtomicBool>,
    release: Arc<(Mutex<bool>, Condvar)>,
    /// Open connections, shut when the server goes down (so kept-alive ones fail too).
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl FakeVcr {
    pub fn start() -> FakeVcr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let vcr = FakeVcr {
            url: format!("http://127.0.0.1:{port}/api"),
            port,
            state: Arc::new(Mutex::new(State::default())),
            down: Arc::new(AtomicBool::new(false)),
            release: Arc::new((Mutex::new(false), Condvar::new())),
            open: Arc::new(Mutex::new(Vec::new())),
        };
        vcr.serve(listener);
        vcr
    }

    fn serve(&self, listener: TcpListener) {
        let state = self.state.clone();
        let down = self.down.clone();
        let release = self.release.clone();
        let open = self.open.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if down.load(Ordering::SeqCst) {
                    return; // the listener closes: connections are refused
                }
                let Ok(conn) = conn else { continue };
                if let Ok(c) = conn.try_clone() {
                    open.lock().unwrap().push(c);
                }
                let state = state.clone();
                let release = release.clone();
                std::thread::spawn(move || handle(conn, &state, &release));
            }
        });
    }

    /// Connections refused until [`FakeVcr::up`].
    pub fn down(&self) {
        self.down.store(true, Ordering::SeqCst);
        // Wake the accept loop so it returns and drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        for c in self.open.lock().unwrap().drain(..) {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    /// Listening again on the same port.
    pub fn up(&self) {
        self.down.store(false, Ordering::SeqCst);
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)) {
                Ok(l) => break l,
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        self.serve(listener);
    }

    /// Lets held requests answer.
    pub fn release(&self) {
        let (m, c) = &*self.release;
        *m.lock().unwrap() = true;
        c.notify_all();
    }

    /// The registered receipts' codes, sorted.
    pub fn codes(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .state
            .lock()
            .unwrap()
            .receipts
            .keys()
            .cloned()
            .collect();
        v.sort();
        v
    }

    pub fn receipt(&self, code: &str) -> Option<Registered> {
        self.state.lock().unwrap().receipts.get(code).cloned()
    }

    /// How many times a receipt call carried this code (sent, whatever the answer).
    pub fn sends_of(&self, code: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|(m, p)| {
                m.starts_with("Receipt.") && m != "Receipt.GetInfo" && p["code"] == code
            })
            .count()
    }
}

fn handle(conn: TcpStream, state: &Arc<Mutex<State>>, release: &Arc<(Mutex<bool>, Condvar)>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut conn = conn;
    loop {
        let Some((_, body)) = super::read_http_request(&mut reader) else {
            return;
        };
        let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let (answer, after) = rpc(&req, state);
        match after {
            After::Answer => {}
            After::Late(d) => std::thread::sleep(d),
            After::Cut => return,
            After::Hold => {
                let (m, c) = &**release;
                let mut go = m.lock().unwrap();
                while !*go {
                    go = c.wait(go).unwrap();
                }
            }
        }
        let text = answer.to_string();
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        if conn.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

enum After {
    Answer,
    Late(Duration),
    Cut,
    Hold,
}

fn ok(id: &Value, result: Value) -> Value {
    json!({ "id": id, "ok": true, "result": result, "jsonrpc": "2.0" })
}

fn fail(id: &Value, code: &str, message: &str) -> Value {
    json!({ "id": id, "ok": false, "result": { "code": code, "message": message }, "jsonrpc": "2.0" })
}

/// Checks a receipt's positions as a fiscal module does; the error message if wrong.
fn check_items(params: &Value) -> Result<i64, String> {
    let items = params["items"].as_array().ok_or("no items")?;
    if items.is_empty() {
        return Err("no items".into());
    }
    let mut sum = 0;
    for i in items {
        let ikpu = i["ikpu"].as_str().unwrap_or("");
        if ikpu.len() != 17 || !ikpu.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("bad IKPU \"{ikpu}\""));
        }
        let amount = i["amount"].as_i64().ok_or("no amount")?;
        let price = i["price"].as_i64().ok_or("no price")?;
        let qty = i["quantity"].as_i64().ok_or("no quantity")?;
        let discount = i["discount"].as_i64().unwrap_or(0);
        // price × quantity (thousandths) − discount = amount, to the tiyin.
        let gross = (price as i128 * qty as i128 + 500) / 1000;
        if (gross - discount as i128 - amount as i128).abs() > 1 {
            return Err(format!(
                "price × quantity − discount ≠ amount ({gross} − {discount} ≠ {amount})"
            ));
        }
        let vat = i["vat_amount"].as_i64().unwrap_or(0);
        let expected = match i["vat_percent"].as_u64() {
            Some(p) if p > 0 => {
                (amount as i128 * p as i128 * 2 + (100 + p as i128)) / (2 * (100 + p as i128))
            }
            _ => 0,
        };
        if (vat as i128 - expected).abs() > 1 {
            return Err(format!("VAT {vat} ≠ {expected}"));
        }
        sum += amount;
    }
    let paid: i64 = params["payments"]
        .as_array()
        .map(|p| p.iter().filter_map(|x| x["amount"].as_i64()).sum())
        .unwrap_or(0);
    if paid != sum {
        return Err(format!("payments {paid} ≠ items {sum}"));
    }
    Ok(sum)
}

fn rpc(req: &Value, state: &Arc<Mutex<State>>) -> (Value, After) {
    let id = req["id"].clone();
    let method = req["method"].as_str().unwrap_or("").to_string();
    let params = req["params"].clone();
    let mut s = state.lock().unwrap();
    s.calls.push((method.clone(), params.clone()));
    let expected_auth = base64_encode(&format!("{LOGIN}:{PASSWORD}"));
    if req["jsonrpc"] != "2.0" || req["auth"].as_str() != Some(expected_auth.as_str()) {
        return (fail(&id, "AUTH", "wrong login or password"), After::Answer);
    }
    let receipt_call = matches!(
        method.as_str(),
        "Receipt.Sale" | "Receipt.Refund" | "Receipt.FullRefund"
    );
    if receipt_call && let Some((n, message)) = s.refuse.clone() {
        s.refuse = if n > 1 {
            Some((n - 1, message.clone()))
        } else {
            None
        };
        return (fail(&id, "REFUSED", &message), After::Answer);
    }
    let answer = match method.as_str() {
        "Sys.Initialize" | "Sys.GetInfo" => ok(&id, json!({ "ready": true })),
        "ZReport.Open" => {
            if s.shift_open {
                fail(&id, "ZREPORT_OPEN", "the Z report is open already")
            } else {
                s.shift_open = true;
                s.shift_no += 1;
                ok(&id, json!({ "number": s.shift_no }))
            }
        }
        "ZReport.GetInfo" => ok(
            &id,
            json!({ "is_open": s.shift_open, "number": s.shift_no }),
        ),
        "ZReport.Close" => {
            if !s.shift_open {
                fail(&id, "ZREPORT_CLOSED", "no Z report is open")
            } else {
                s.shift_open = false;
                let no = s.shift_no;
                let (mut sales, mut refunds, mut n) = (0, 0, 0);
                for r in s.receipts.values().filter(|r| r.shift == no) {
                    n += 1;
                    let a = r.params["amount"].as_i64().unwrap_or(0);
                    if r.method == "Receipt.Sale" {
                        sales += a;
                    } else {
                        refunds += a;
                    }
                }
                s.z_reports.push((no, sales, refunds, n));
                ok(
                    &id,
                    json!({ "number": no.to_string(), "receipts": n, "sales": sales, "refunds": refunds }),
                )
            }
        }
        "Receipt.GetInfo" => {
            let code = params["code"].as_str().unwrap_or("");
            match s.receipts.get(code) {
                Some(r) => ok(&id, r.answer.clone()),
                None => fail(&id, "NOT_FOUND", "no receipt with this code"),
            }
        }
        "Receipt.Sale" | "Receipt.Refund" | "Receipt.FullRefund" => {
            let code = params["code"].as_str().unwrap_or("").to_string();
            if !s.shift_open {
                return (
                    fail(&id, "ZREPORT_CLOSED", "open the Z report first"),
                    After::Answer,
                );
            }
            if code.is_empty() {
                return (fail(&id, "NO_CODE", "no code"), After::Answer);
            }
            if s.receipts.contains_key(&code) {
                return (
                    fail(
                        &id,
                        "DUPLICATE_CODE",
                        "a receipt with this code already exists",
                    ),
                    After::Answer,
                );
            }
            let mut params = params.clone();
            if method == "Receipt.FullRefund" {
                let qr = params["qr_code_url"].as_str().unwrap_or("").to_string();
                let Some(sale) = s
                    .receipts
                    .values()
                    .find(|r| r.method == "Receipt.Sale" && r.answer["QRCodeURL"] == qr)
                    .cloned()
                else {
                    return (
                        fail(&id, "NO_SALE", "no sale with this QR code"),
                        After::Answer,
                    );
                };
                params["amount"] = sale.params["amount"].clone();
            } else {
                match check_items(&params) {
                    Ok(sum) if params["amount"].as_i64() == Some(sum) => {}
                    Ok(sum) => {
                        return (
                            fail(&id, "BAD_SUM", &format!("amount ≠ {sum}")),
                            After::Answer,
                        );
                    }
                    Err(e) => return (fail(&id, "BAD_RECEIPT", &e), After::Answer),
                }
                if method == "Receipt.Refund" {
                    let sign = params["receipt"]["fiscal_sign"].clone();
                    if !s
                        .receipts
                        .values()
                        .any(|r| r.method == "Receipt.Sale" && r.answer["FiscalSign"] == sign)
                    {
                        return (
                            fail(&id, "NO_SALE", "the refunded sale is unknown"),
                            After::Answer,
                        );
                    }
                }
            }
            s.next_no += 1;
            let no = s.next_no;
            let terminal = "UZ191211501001";
            let sign = format!("{:012}", 100_000_000_000u64 + no * 7_919);
            let when = format!("20261207{:06}", 100_000 + no);
            let answer = json!({
                "id": no,
                "amount": params["amount"],
                "TerminalID": terminal,
                "ReceiptNo": no.to_string(),
                "DateTime": when,
                "FiscalSign": sign,
                "QRCodeURL": format!("https://ofd.soliq.uz/check?t={terminal}&r={no}&c={when}&s={sign}"),
            });
            let shift = s.shift_no;
            s.receipts.insert(
                code,
                Registered {
                    method: method.clone(),
                    params,
                    answer: answer.clone(),
                    shift,
                },
            );
            let after = if s.hold {
                After::Hold
            } else if s.cut > 0 {
                s.cut -= 1;
                After::Cut
            } else if let Some((n, d)) = s.late {
                s.late = if n > 1 { Some((n - 1, d)) } else { None };
                After::Late(d)
            } else {
                After::Answer
            };
            return (ok(&id, answer), after);
        }
        _ => fail(&id, "NO_METHOD", "unknown method"),
    };
    (answer, After::Answer)
}

fn base64_encode(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}
