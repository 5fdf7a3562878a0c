//! The audit log as sentences in the user's language: who did what, with the amounts and
//! names that matter ("Madina Sobirova sold sale #1207 for 109 250 soʻm (cash 110 000,
//! change 750)", "Dilshod changed the price of Sut 2.5% 1 l from 12 000 to 13 000 soʻm"),
//! read from the row's before/after JSON. Every action code has a name in each language, so
//! no English code shows inside Uzbek or Russian.

use serde_json::Value;

use crate::app::AuditRecord;
use crate::domain::Money;
use crate::i18n::{Lang, MoneyText};

/// What each action is called, in Uzbek, Russian and English.
const ACTIONS: &[(&str, [&str; 3])] = &[
    (
        "approval.granted",
        ["ruxsat berdi", "дал разрешение", "gave an approval"],
    ),
    (
        "cart.park",
        ["savatni kechiktirdi", "отложил чек", "parked a cart"],
    ),
    (
        "cart.resume",
        [
            "kechiktirilgan savatni qaytardi",
            "вернул отложенный чек",
            "resumed a parked cart",
        ],
    ),
    (
        "category.create",
        [
            "kategoriya yaratdi",
            "создал категорию",
            "created a category",
        ],
    ),
    (
        "category.delete",
        [
            "kategoriyani oʻchirdi",
            "удалил категорию",
            "deleted a category",
        ],
    ),
    (
        "category.update",
        [
            "kategoriyani oʻzgartirdi",
            "изменил категорию",
            "changed a category",
        ],
    ),
    (
        "client.adjust_balance",
        [
            "mijoz balansini tuzatdi",
            "исправил баланс клиента",
            "corrected a customer's balance",
        ],
    ),
    (
        "client.create",
        ["mijoz qoʻshdi", "добавил клиента", "added a customer"],
    ),
    (
        "client.credit_limit",
        [
            "mijozning kredit chegarasini oʻzgartirdi",
            "изменил кредитный лимит клиента",
            "changed a customer's credit limit",
        ],
    ),
    (
        "client.debt_payment",
        [
            "qarz toʻlovini qabul qildi",
            "принял оплату долга",
            "took a debt payment",
        ],
    ),
    (
        "client.delete",
        ["mijozni oʻchirdi", "удалил клиента", "deleted a customer"],
    ),
    (
        "client.update",
        [
            "mijoz maʼlumotini oʻzgartirdi",
            "изменил данные клиента",
            "changed a customer",
        ],
    ),
    (
        "database.backup",
        [
            "zaxira nusxa oldi",
            "сделал резервную копию",
            "made a backup",
        ],
    ),
    (
        "employee.change_password",
        [
            "parolini oʻzgartirdi",
            "сменил свой пароль",
            "changed their password",
        ],
    ),
    (
        "employee.create",
        ["xodim qoʻshdi", "добавил сотрудника", "added an employee"],
    ),
    (
        "employee.create_default_admin",
        [
            "asosiy administrator yaratildi",
            "создан главный администратор",
            "the main admin was created",
        ],
    ),
    (
        "employee.delete",
        [
            "xodimni oʻchirdi",
            "удалил сотрудника",
            "deleted an employee",
        ],
    ),
    (
        "employee.reset_admin",
        [
            "administrator parolini tikladi",
            "сбросил пароль администратора",
            "reset the admin's password",
        ],
    ),
    (
        "employee.reset_password",
        [
            "xodim parolini tikladi",
            "сбросил пароль сотрудника",
            "reset an employee's password",
        ],
    ),
    (
        "employee.update",
        [
            "xodim maʼlumotini oʻzgartirdi",
            "изменил данные сотрудника",
            "changed an employee",
        ],
    ),
    (
        "expense.create",
        ["xarajat qoʻshdi", "добавил расход", "added an expense"],
    ),
    (
        "expense.delete",
        ["xarajatni oʻchirdi", "удалил расход", "deleted an expense"],
    ),
    (
        "expense_category.create",
        [
            "xarajat turini yaratdi",
            "создал статью расходов",
            "created an expense category",
        ],
    ),
    (
        "expense_category.delete",
        [
            "xarajat turini oʻchirdi",
            "удалил статью расходов",
            "deleted an expense category",
        ],
    ),
    (
        "expense_category.update",
        [
            "xarajat turini oʻzgartirdi",
            "изменил статью расходов",
            "changed an expense category",
        ],
    ),
    (
        "login.failure",
        [
            "notoʻgʻri parol kiritdi",
            "ввёл неверный пароль",
            "typed a wrong password",
        ],
    ),
    (
        "login.locked",
        [
            "bloklangan holda kirishga urindi",
            "пытался войти, пока вход заблокирован",
            "tried to log in while locked",
        ],
    ),
    (
        "login.success",
        ["tizimga kirdi", "вошёл в систему", "logged in"],
    ),
    (
        "payment_method.create",
        [
            "toʻlov usuli qoʻshdi",
            "добавил способ оплаты",
            "added a payment method",
        ],
    ),
    (
        "payment_method.update",
        [
            "toʻlov usulini oʻzgartirdi",
            "изменил способ оплаты",
            "changed a payment method",
        ],
    ),
    (
        "print.copy",
        [
            "chek nusxasini chop etdi",
            "напечатал копию чека",
            "printed a receipt copy",
        ],
    ),
    (
        "product.archive",
        [
            "mahsulotni arxivladi",
            "убрал товар в архив",
            "archived a product",
        ],
    ),
    (
        "product.create",
        ["mahsulot yaratdi", "создал товар", "created a product"],
    ),
    (
        "product.delete",
        ["mahsulotni oʻchirdi", "удалил товар", "deleted a product"],
    ),
    (
        "product.update",
        [
            "mahsulotni oʻzgartirdi",
            "изменил товар",
            "changed a product",
        ],
    ),
    (
        "quick_key.set",
        [
            "tez tanlash tugmasini oʻzgartirdi",
            "изменил кнопку быстрого выбора",
            "changed a quick-pick key",
        ],
    ),
    (
        "sale.create",
        ["savdo qildi", "провёл продажу", "made a sale"],
    ),
    (
        "sale.credit_over_limit",
        [
            "kredit chegarasidan oshishga ruxsat oldi",
            "получил разрешение превысить кредитный лимит",
            "had nasiya past the credit limit approved",
        ],
    ),
    (
        "sale.discount_approved",
        [
            "chegirmaga ruxsat oldi",
            "получил разрешение на скидку",
            "had a discount approved",
        ],
    ),
    (
        "sale.refund",
        ["qaytarish qildi", "оформил возврат", "made a refund"],
    ),
    (
        "setting.update",
        [
            "sozlamani oʻzgartirdi",
            "изменил настройку",
            "changed a setting",
        ],
    ),
    (
        "shift.close",
        ["smenani yopdi", "закрыл смену", "closed a shift"],
    ),
    (
        "shift.force_close",
        [
            "smenani majburan yopdi",
            "принудительно закрыл смену",
            "force-closed a shift",
        ],
    ),
    (
        "shift.open",
        ["smenani ochdi", "открыл смену", "opened a shift"],
    ),
    (
        "stock.adjust",
        ["qoldiqni tuzatdi", "исправил остаток", "adjusted the stock"],
    ),
    (
        "product.plu_assign",
        [
            "tarozi PLU raqamlarini berdi",
            "присвоил номера PLU для весов",
            "gave scale PLU numbers",
        ],
    ),
    (
        "stocktake.start",
        [
            "inventarizatsiyani boshladi",
            "начал инвентаризацию",
            "started a stocktake",
        ],
    ),
    (
        "stocktake.correct",
        [
            "inventarizatsiyada sanoqni toʻgʻriladi",
            "исправил пересчёт в инвентаризации",
            "corrected a count of a stocktake",
        ],
    ),
    (
        "stocktake.apply",
        [
            "inventarizatsiya natijasini qoʻlladi",
            "применил итоги инвентаризации",
            "applied a stocktake",
        ],
    ),
    (
        "sale.negative_stock",
        [
            "qoldiqdan koʻp sotdi",
            "продал сверх остатка",
            "sold beyond the stock",
        ],
    ),
    (
        "catalog.import",
        [
            "mahsulotlar roʻyxatini import qildi",
            "импортировал список товаров",
            "imported a product list",
        ],
    ),
    (
        "stock.count",
        [
            "sanalgan qoldiqni kiritdi",
            "ввёл пересчитанный остаток",
            "entered a counted stock",
        ],
    ),
    (
        "supply.receive",
        ["kirim qildi", "оприходовал поставку", "received a supply"],
    ),
    (
        "supplier.create",
        [
            "yetkazib beruvchi qoʻshdi",
            "добавил поставщика",
            "added a supplier",
        ],
    ),
    (
        "supplier.update",
        [
            "yetkazib beruvchini tahrirladi",
            "изменил поставщика",
            "edited a supplier",
        ],
    ),
    (
        "supplier.archive",
        [
            "yetkazib beruvchini arxivga oldi",
            "перенёс поставщика в архив",
            "archived a supplier",
        ],
    ),
    (
        "supplier.restore",
        [
            "yetkazib beruvchini arxivdan qaytardi",
            "вернул поставщика из архива",
            "brought a supplier back",
        ],
    ),
    (
        "supplier.return",
        [
            "yetkazib beruvchiga tovar qaytardi",
            "вернул товар поставщику",
            "returned goods to a supplier",
        ],
    ),
    (
        "order.create",
        [
            "yetkazib beruvchiga buyurtma berdi",
            "оформил заказ поставщику",
            "ordered from a supplier",
        ],
    ),
    (
        "order.receive",
        [
            "buyurtmani qabul qildi",
            "принял заказ",
            "received an order",
        ],
    ),
    (
        "order.cancel",
        [
            "buyurtmani bekor qildi",
            "отменил заказ",
            "cancelled an order",
        ],
    ),
    (
        "supplier.pay",
        [
            "yetkazib beruvchiga toʻladi",
            "оплатил поставщику",
            "paid a supplier",
        ],
    ),
    (
        "fiscal.send_again",
        [
            "fiskal chekni qayta yubordi",
            "отправил фискальный чек повторно",
            "sent a fiscal receipt again",
        ],
    ),
    (
        "telegram.broadcast",
        [
            "Telegram orqali xabar yubordi",
            "сделал рассылку в Telegram",
            "sent a Telegram broadcast",
        ],
    ),
    (
        "telegram.link",
        [
            "Telegramni bogʻladi",
            "привязал Telegram",
            "linked Telegram",
        ],
    ),
    (
        "telegram.resend",
        [
            "Telegram xabarini qayta yubordi",
            "отправил сообщение Telegram снова",
            "sent a Telegram message again",
        ],
    ),
];

fn pick(lang: Lang, words: [&'static str; 3]) -> &'static str {
    match lang {
        Lang::Uz => words[0],
        Lang::Ru => words[1],
        Lang::En => words[2],
    }
}

/// What the action is called in `lang` (the code itself only for an action this table does
/// not know, which a test rules out for every code the program writes).
pub fn action_name(lang: Lang, code: &str) -> String {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, w)| pick(lang, *w).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Every action code with a name.
pub fn known_actions() -> impl Iterator<Item = &'static str> {
    ACTIONS.iter().map(|(c, _)| *c)
}

fn json(text: &Option<String>) -> Value {
    text.as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

fn money(lang: Lang, v: &Value) -> Option<String> {
    v.as_i64().map(|m| Money(m).text(lang))
}

fn number(v: &Value) -> Option<String> {
    v.as_i64().map(|m| Money(m).format_number())
}

/// Whether a key of the log's JSON holds money (kept in tiyin).
fn is_money_key(key: &str) -> bool {
    const WORDS: &[&str] = &[
        "price",
        "amount",
        "total",
        "cash",
        "owed",
        "paid",
        "balance",
        "debt",
        "limit",
        "cost",
        "change",
        "difference",
        "purchased",
        "refunded",
        "payout",
        "expense",
        "revenue",
    ];
    WORDS.iter().any(|w| key.contains(w))
}

/// Whether a key holds a quantity (kept in thousandths).
fn is_quantity_key(key: &str) -> bool {
    matches!(
        key,
        "quantity"
            | "stock"
            | "counted"
            | "low_stock_threshold"
            | "expected_stock"
            | "delta"
            | "ordered"
            | "received"
    )
}

/// One value as people read it: money in so'm, quantities in units, yes/no, text as it is.
fn value_text(lang: Lang, key: &str, v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => lang
            .t(if *b {
                crate::i18n::T::Yes
            } else {
                crate::i18n::T::No
            })
            .into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) if is_money_key(key) => Money(i).text(lang),
            Some(i) if is_quantity_key(key) => crate::domain::Quantity(i).to_string(),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

fn detail_into(lang: Lang, path: &str, key: &str, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, inner) in map {
                let label = crate::i18n::field_name(lang, k).replace('_', " ");
                let p = if path.is_empty() {
                    label
                } else {
                    format!("{path} › {label}")
                };
                detail_into(lang, &p, k, inner, out);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                detail_into(lang, &format!("{path} {}", i + 1), key, inner, out);
            }
        }
        other => out.push(format!("{path}: {}", value_text(lang, key, other))),
    }
}

/// A row's before or after as lines "field: value" in the user's language: money in so'm
/// (the log keeps tiyin), quantities in their units, yes/no, nested values by their path.
pub fn detail_lines(lang: Lang, text: &Option<String>) -> Vec<String> {
    let mut out = Vec::new();
    match json(text) {
        Value::Null => {}
        Value::Object(_) | Value::Array(_) => detail_into(lang, "", "", &json(text), &mut out),
        other => out.push(value_text(lang, "", &other)),
    }
    out
}

/// The row as one sentence; `who` is the person's full name (or the login recorded).
pub fn sentence(lang: Lang, r: &AuditRecord, who: &str) -> String {
    let before = json(&r.before_json);
    let after = json(&r.after_json);
    let id = r.entity_id.map(|i| format!(" #{i}")).unwrap_or_default();
    let what = action_name(lang, &r.action);
    let detail: Option<String> = match r.action.as_str() {
        "sale.create" => {
            let total = money(lang, &after["total"]).unwrap_or_default();
            let mut parts: Vec<String> = Vec::new();
            if let Some(tenders) = after["tenders"].as_array() {
                for t in tenders {
                    let method = lang.method(t["method"].as_str().unwrap_or(""));
                    let amount = t["tendered"]
                        .as_i64()
                        .filter(|v| *v > 0)
                        .or(t["amount"].as_i64())
                        .unwrap_or(0);
                    parts.push(format!(
                        "{} {}",
                        method.to_lowercase(),
                        Money(amount).format_number()
                    ));
                    let change =
                        t["tendered"].as_i64().unwrap_or(0) - t["amount"].as_i64().unwrap_or(0);
                    if change > 0 {
                        parts.push(format!(
                            "{} {}",
                            pick(lang, ["qaytim", "сдача", "change"]),
                            Money(change).format_number()
                        ));
                    }
                }
            }
            if let Some(d) = after["discount"].as_i64().filter(|d| *d > 0) {
                parts.push(format!(
                    "{} {}",
                    pick(lang, ["chegirma", "скидка", "discount"]),
                    Money(d).format_number()
                ));
            }
            Some(format!(
                "{}{id}: {total} ({})",
                pick(lang, ["savdo", "продажа", "sale"]),
                parts.join(", ")
            ))
        }
        "sale.refund" => money(lang, &after["amount"])
            .map(|a| format!("{}{id}: {a}", pick(lang, ["savdo", "продажа", "sale"]))),
        "product.update" => {
            let name = after["name"].as_str().unwrap_or_default();
            match (
                number(&before["sale_price"]),
                money(lang, &after["sale_price"]),
            ) {
                (Some(old), Some(new)) if before["sale_price"] != after["sale_price"] => {
                    Some(format!(
                        "{name}: {} {old} → {new}",
                        pick(lang, ["narx", "цена", "price"])
                    ))
                }
                _ => Some(name.to_string()),
            }
        }
        "product.create" => after["name"].as_str().map(str::to_string),
        "product.archive" | "product.delete" => before["name"].as_str().map(str::to_string),
        "stock.adjust" | "stock.count" => {
            let q = |v: &Value| v.as_i64().map(|s| crate::domain::Quantity(s).to_string());
            match (q(&before["stock"]), q(&after["stock"])) {
                (Some(b), Some(a)) => Some(format!(
                    "{}{id}: {b} → {a} ({})",
                    pick(lang, ["mahsulot", "товар", "product"]),
                    after["reason"].as_str().unwrap_or_default()
                )),
                _ => None,
            }
        }
        "supply.receive" => Some(format!(
            "{}{}, {}",
            after["supplier"].as_str().unwrap_or_default(),
            id,
            money(lang, &after["total_cost"]).unwrap_or_default()
        )),
        "supplier.return" | "order.create" | "order.cancel" => money(lang, &after["total_cost"])
            .map(|a| {
                format!(
                    "{}{id}: {a}",
                    after["supplier"].as_str().unwrap_or_default()
                )
            }),
        "order.receive" => money(lang, &after["received_cost"]).map(|a| {
            format!(
                "{}{id}: {a}",
                after["supplier"].as_str().unwrap_or_default()
            )
        }),
        "supplier.pay" => money(lang, &after["amount"])
            .map(|a| format!("{}: {a}", after["supplier"].as_str().unwrap_or_default())),
        "client.debt_payment" => money(lang, &after["amount"])
            .map(|a| format!("{}{id}: {a}", pick(lang, ["mijoz", "клиент", "customer"]))),
        "setting.update" => Some(format!(
            "{}: {} → {}",
            after["key"].as_str().unwrap_or_default(),
            before["value"].as_str().unwrap_or("—"),
            after["value"].as_str().unwrap_or("—")
        )),
        "approval.granted" | "sale.discount_approved" | "sale.credit_over_limit" => {
            let by = after["approved_by"].as_str().unwrap_or_default();
            let extra = after["discount"]
                .as_i64()
                .map(|d| format!(", {}", Money(d).text(lang)))
                .unwrap_or_default();
            Some(format!(
                "{}: {by}{extra}{id}",
                pick(lang, ["ruxsat bergan", "разрешил", "approved by"])
            ))
        }
        "shift.close" => match (
            number(&after["expected_cash"]),
            number(&after["shift"]["counted_cash"]),
        ) {
            (Some(e), Some(c)) => Some(format!(
                "{}{id}: {} {c}, {} {e}",
                pick(lang, ["smena", "смена", "shift"]),
                pick(lang, ["sanaldi", "посчитано", "counted"]),
                pick(lang, ["kutilgan", "ожидалось", "expected"])
            )),
            _ => None,
        },
        _ => None,
    };
    match detail {
        Some(d) if !d.is_empty() => format!("{who} {what} — {d}"),
        _ if id.is_empty() => format!("{who} {what}"),
        _ => format!("{who} {what} —{id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_as_fields_with_money_in_soum() {
        let text = Some(
            r#"{"owed": 15000000, "name": "Baza", "archived": false, "quantity": 2500,
                "lines": [{"sale_price": 1250050}], "note": null}"#
                .to_string(),
        );
        let lines = detail_lines(Lang::Uz, &text);
        let owed = format!("{}: 150 000 soʻm", Lang::Uz.t(crate::i18n::T::WeOwe));
        assert!(lines.contains(&owed), "{lines:?}");
        assert!(lines.contains(&"Nomi: Baza".to_string()), "{lines:?}");
        let archived = format!("{}: yoʻq", Lang::Uz.t(crate::i18n::T::InArchive));
        assert!(lines.contains(&archived), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.ends_with("12 500,50 soʻm")),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| !l.contains("15000000")), "{lines:?}");
        assert!(detail_lines(Lang::Uz, &None).is_empty());
    }

    fn row(action: &str, before: Option<&str>, after: Option<&str>) -> AuditRecord {
        AuditRecord {
            id: 1,
            employee_id: Some(2),
            actor: "madina".into(),
            action: action.into(),
            entity: "sale".into(),
            entity_id: Some(1207),
            before_json: before.map(str::to_string),
            after_json: after.map(str::to_string),
            created_at: chrono::NaiveDateTime::default(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn a_sale_and_a_price_change_read_as_sentences() {
        let sale = row(
            "sale.create",
            None,
            Some(
                r#"{"total":10925000,"discount":0,"tenders":[{"method":"cash","amount":10925000,"tendered":11000000}]}"#,
            ),
        );
        assert_eq!(
            sentence(Lang::En, &sale, "Madina Sobirova"),
            "Madina Sobirova made a sale — sale #1207: 109 250 so'm (cash 110 000, change 750)"
        );
        let price = row(
            "product.update",
            Some(r#"{"name":"Sut 2.5% 1 l","sale_price":1200000}"#),
            Some(r#"{"name":"Sut 2.5% 1 l","sale_price":1300000}"#),
        );
        assert_eq!(
            sentence(Lang::Uz, &price, "Dilshod"),
            "Dilshod mahsulotni oʻzgartirdi — Sut 2.5% 1 l: narx 12 000 → 13 000 soʻm"
        );
    }

    #[test]
    fn every_action_has_a_name_in_every_language() {
        for code in known_actions() {
            for lang in Lang::ALL {
                assert_ne!(action_name(lang, code), code, "{code} in {lang:?}");
            }
        }
    }

    /// Every action the program writes to the audit log (the first dotted string after each
    /// `audit::record(` in `src/app`) has a name here.
    #[test]
    fn every_action_written_is_named() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("audit::record(") {
                let rest: String = text[at..].chars().take(400).collect();
                let code = rest
                    .split('"')
                    .skip(1)
                    .step_by(2)
                    .find(|s| s.contains('.') && !s.contains(' '));
                if let Some(code) = code {
                    seen += 1;
                    assert!(
                        known_actions().any(|c| c == code),
                        "{}: {code} has no name",
                        path.display()
                    );
                }
            }
        }
        assert!(seen > 30, "only {seen} audit calls found");
    }
}
