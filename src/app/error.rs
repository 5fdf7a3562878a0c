//! The errors a use case can return. Each variant is one situation a person can understand;
//! `Display` gives the English sentence (the CLI prints it), and the GUI maps variants to its
//! translation catalog. A use case that returns an error has changed nothing: its transaction
//! was rolled back.

use crate::domain::barcode::BarcodeError;
use crate::domain::money::{Money, MoneyParseError};
use crate::domain::phone::PhoneError;
use crate::domain::quantity::{Quantity, QuantityError};
use crate::domain::{Action, CartError, PaymentError, Role};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("wrong login or password")]
    WrongCredentials,
    #[error("too many wrong passwords: try again in {seconds} s")]
    LockedOut { seconds: i64 },
    #[error("your password must be changed before you continue")]
    PasswordChangeRequired,
    #[error("the password is too weak: {0}")]
    WeakPassword(PasswordProblem),
    #[error("a {role} may not do this ({action:?})")]
    Forbidden { role: Role, action: Action },
    #[error("your account no longer exists; log in again")]
    SessionGone,

    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: i64 },
    #[error("no product has the barcode {0}")]
    UnknownBarcode(String),
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },

    #[error("the login \"{0}\" is already taken")]
    LoginTaken(String),
    #[error("the barcode {0} already belongs to another product")]
    BarcodeTaken(String),
    #[error("the phone number is already registered for another customer")]
    PhoneTaken,
    #[error("the name \"{0}\" already exists")]
    NameTaken(String),
    /// Another supplier has this taxpayer number.
    #[error("the taxpayer number {tin} already belongs to the supplier {supplier}")]
    TinTaken { tin: String, supplier: String },
    #[error("you cannot delete yourself")]
    SelfDelete,
    #[error("the main admin cannot be deleted or lose the admin role")]
    MainAdmin,
    #[error("{0}")]
    InUse(String),
    /// An employee with an open shift cannot be deleted.
    #[error("{0} has an open shift; close it first")]
    ShiftStillOpen(String),
    /// An expense category with expenses cannot be deleted.
    #[error("expenses use \"{0}\"")]
    CategoryUsed(String),

    #[error("open a shift first")]
    NoOpenShift,
    #[error("you already have an open shift")]
    ShiftAlreadyOpen,
    #[error("the cart is empty")]
    EmptySale,
    #[error("the stock of {product} changed meanwhile: it is now {now}")]
    StockChanged { product: String, now: Quantity },
    #[error("not enough {product} in stock: {available} left, {requested} asked")]
    InsufficientStock {
        product: String,
        available: Quantity,
        requested: Quantity,
    },
    #[error("{0} is archived and cannot be sold")]
    Archived(String),
    #[error("prices changed since the cart was filled: the total is now {actual}, not {expected}")]
    PriceChanged { expected: Money, actual: Money },
    #[error("a nasiya sale needs a customer and a due date that is not in the past")]
    NasiyaNeedsClient,
    #[error("this sale was already refunded")]
    AlreadyRefunded,
    /// A card tender names a payment method the shop no longer takes (or none is set up).
    #[error("this payment method is not taken; see the settings")]
    MethodUnavailable,
    /// Nasiya beyond the customer's credit limit, with no manager's approval.
    #[error(
        "over the credit limit: the customer owes {debt} and may owe at most {limit}; a manager can approve"
    )]
    CreditLimit { limit: Money, debt: Money },
    /// The database file was deleted, renamed away or replaced under the running program.
    #[error(
        "the database file {0} was deleted or moved: nothing more is saved; close Kassa and restore it"
    )]
    DatabaseGone(String),
    /// Another program holds the database's write lock (the window does not wait for it):
    /// nothing was written. `holders` are the programs that have the file open, when known.
    #[error("another program holds the database ({}): nothing was saved; try again in a moment", holders_or_unknown(.holders))]
    Busy { holders: Vec<(String, u32)> },
    /// A fiscal provider is set up and the product has no MXIK class code.
    #[error("{0} has no class code (MXIK): add it in Products before selling it")]
    NoClassCode(String),
    /// A marked product without a marking code for each piece.
    #[error("{product} is marked: scan the marking code of each piece ({given} of {needed})")]
    MarkingCodesNeeded {
        product: String,
        needed: i64,
        given: i64,
    },
    /// A refund or a debt payment with no shift to count it in (whatever the method: every
    /// one is on a Z report).
    #[error("refunds and debt payments are counted in a shift: open your shift first")]
    RefundNeedsShift,
    /// Cash to pay back beyond what the refunder's drawer should hold.
    #[error(
        "the drawer should hold only {available}, the refund needs {needed} in cash; pay it back by card or put cash in first"
    )]
    RefundDrawerShort { available: Money, needed: Money },
    #[error("the customer still has a balance of {0}; settle it first")]
    OpenBalance(Money),
    #[error("no receipt printer is set up (settings: printer.port)")]
    NoPrinter,
    /// A payment to a supplier larger than what the shop owes them.
    #[error("the shop owes this supplier only {owed}")]
    SupplierOverpaid { owed: Money },
    /// Cash paid out with no drawer to take it from.
    #[error("cash is paid out of your drawer: open your shift, or pay by bank")]
    PayoutNeedsShift,
    /// Cash paid out beyond what the drawer should hold.
    #[error("the drawer should hold only {available}")]
    DrawerShort { available: Money },
    /// A supplier the shop still owes cannot be archived.
    #[error("the shop still owes this supplier {0}; pay it first")]
    SupplierOwed(Money),
    /// A supply from an archived supplier.
    #[error("the supplier {0} is archived")]
    SupplierArchived(String),
    /// An opening balance below what was paid beyond the supplies.
    #[error("the opening balance cannot be less than {0}: that much was paid beyond the supplies")]
    OpeningBelowPaid(Money),
    /// Something only the shop's file has (a copy of the file, SQLite's own checks), asked
    /// of a shop on a PostgreSQL server.
    #[error("this works on a shop's database file, not on a PostgreSQL server")]
    FileOnly,
    /// Nasiya beyond the admin's offline limit while the server is away.
    #[error(
        "nasiya offline is at most {limit} per customer ({waiting} already waits for this one)"
    )]
    OfflineNasiyaLimit { limit: Money, waiting: Money },
    /// Sales kept at the till still wait for the server.
    #[error("{0} sales kept at this till wait to be sent to the server")]
    OutboxWaiting(i64),
    /// A supplier who owes the shop (after a return) cannot be archived.
    #[error("this supplier owes the shop {0}; set it against a supply first")]
    SupplierOwesShop(Money),
    /// A purchase order already received or cancelled.
    #[error("order #{0} was already received or cancelled")]
    OrderNotOpen(i32),
    /// A supply received against another supplier's order.
    #[error("order #{0} is from another supplier")]
    OrderOfAnotherSupplier(i32),

    #[error(transparent)]
    Cart(#[from] CartError),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Quantity(#[from] QuantityError),
    #[error(transparent)]
    Refund(#[from] crate::domain::refund::RefundError),
    #[error(transparent)]
    Money(#[from] MoneyParseError),
    #[error(transparent)]
    Phone(#[from] PhoneError),
    #[error(transparent)]
    Barcode(#[from] BarcodeError),

    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Store(StoreError::Query(e))
    }
}

impl AppError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn not_found(what: &'static str, id: impl Into<i64>) -> AppError {
        AppError::NotFound {
            what,
            id: id.into(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Why a new password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("it has fewer than 8 characters")]
    TooShort,
    #[error("it is the same as the old one")]
    SameAsOld,
    #[error("it is the login")]
    IsLogin,
    #[error("it is one of the most common passwords")]
    Common,
}

use crate::i18n::{Lang, MoneyText, T};

fn holders_or_unknown(holders: &[(String, u32)]) -> String {
    if holders.is_empty() {
        "unknown".into()
    } else {
        holders
            .iter()
            .map(|(name, pid)| format!("{name}, process {pid}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Who holds the database, in `lang`: the programs with their process numbers, or "another
/// program" when the system does not say.
pub fn busy_holders(lang: Lang, holders: &[(String, u32)]) -> String {
    if holders.is_empty() {
        lang.t(T::DbBusyUnknown).into()
    } else {
        holders
            .iter()
            .map(|(name, pid)| lang.fill(T::DbBusyProcess, &[name, &pid.to_string()]))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// An error as a sentence in the user's language. Errors without their own translation fall
/// back to the English sentence inside a translated frame.
pub fn error_text(lang: Lang, e: &AppError) -> String {
    use crate::domain::CartError;
    use crate::domain::payment::PaymentError;
    use crate::domain::refund::RefundError;
    match e {
        AppError::WrongCredentials => lang.t(T::ErrWrongCredentials).into(),
        AppError::LockedOut { seconds } => lang.fill(T::ErrLockedOut, &[&seconds.to_string()]),
        AppError::PasswordChangeRequired => lang.t(T::ErrPasswordChange).into(),
        AppError::WeakPassword(p) => {
            use super::PasswordProblem as P;
            lang.t(match p {
                P::TooShort => T::ErrWeakPassword,
                P::SameAsOld => T::ErrPasswordSameAsOld,
                P::IsLogin => T::ErrPasswordIsLogin,
                P::Common => T::ErrPasswordCommon,
            })
            .into()
        }
        AppError::Forbidden { .. } => lang.t(T::NotAllowed).into(),
        AppError::NoOpenShift => lang.t(T::ErrNoShift).into(),
        AppError::NoPrinter => lang.t(T::NoPrinter).into(),
        AppError::ShiftAlreadyOpen => lang.t(T::ErrShiftOpen).into(),
        AppError::EmptySale => lang.t(T::ErrEmpty).into(),
        AppError::StockChanged { product, now } => {
            lang.fill(T::ErrStockChanged, &[product, &now.to_string()])
        }
        AppError::InsufficientStock {
            product,
            available,
            requested,
        } => lang.fill(
            T::ErrStock,
            &[product, &available.to_string(), &requested.to_string()],
        ),
        AppError::PriceChanged { actual, .. } => {
            lang.fill(T::ErrPriceChanged, &[&actual.text(lang)])
        }
        AppError::NasiyaNeedsClient => lang.t(T::ErrNasiya).into(),
        AppError::Payment(PaymentError::Insufficient { missing }) => {
            lang.fill(T::ErrMissing, &[&missing.text(lang)])
        }
        AppError::Payment(PaymentError::Overpaid { excess }) => {
            lang.fill(T::ErrOverpaid, &[&excess.text(lang)])
        }
        AppError::Cart(CartError::DiscountTooLarge) => lang.t(T::ErrDiscount).into(),
        AppError::Cart(CartError::Quantity(q)) | AppError::Quantity(q) => {
            lang.fill(T::ErrQuantity, &[&crate::i18n::quantity_error(lang, q)])
        }
        AppError::Money(m) => lang.fill(T::ErrAmount, &[&crate::i18n::money_error(lang, m)]),
        AppError::Payment(PaymentError::NotPositive) => {
            lang.fill(T::ErrAmount, &[lang.t(T::AmtNotPositive)])
        }
        AppError::Payment(PaymentError::Overflow) | AppError::Cart(CartError::Overflow) => {
            lang.fill(T::ErrAmount, &[lang.t(T::AmtTooLarge)])
        }
        AppError::Cart(CartError::NoSuchLine) => lang.t(T::CartNoLine).into(),
        AppError::Cart(CartError::NegativeDiscount | CartError::NegativePrice) => {
            lang.t(T::CartNegative).into()
        }
        AppError::Phone(_) => lang.t(T::ErrPhone).into(),
        AppError::PhoneTaken => lang.t(T::ErrPhoneTaken).into(),
        AppError::Archived(name) => lang.fill(T::ErrArchived, &[name]),
        AppError::Store(s) => crate::store::store_error_text(lang, s),
        AppError::SelfDelete => lang.t(T::ErrSelfDelete).into(),
        AppError::MainAdmin => lang.t(T::ErrMainAdmin).into(),
        AppError::LoginTaken(l) => lang.fill(T::ErrLoginTaken, &[l]),
        AppError::NameTaken(n) => lang.fill(T::ErrNameTaken, &[n]),
        AppError::TinTaken { tin, supplier } => lang.fill(T::ErrTinTaken, &[tin, supplier]),
        AppError::BarcodeTaken(b) => lang.fill(T::ErrBarcodeTaken, &[b]),
        AppError::Barcode(b) => {
            use crate::domain::barcode::BarcodeError as B;
            let why = match b {
                B::Empty => lang.t(T::BcEmpty).to_string(),
                B::Malformed(c) => lang.fill(T::BcMalformed, &[c]),
                B::CheckDigit(c) => lang.fill(T::BcCheckDigit, &[c]),
            };
            lang.fill(T::ErrBarcode, &[&why])
        }
        AppError::OpenBalance(m) => lang.fill(T::ErrOpenBalance, &[&m.text(lang)]),
        AppError::SupplierOverpaid { owed } => {
            lang.fill(T::ErrSupplierOverpaid, &[&owed.text(lang)])
        }
        AppError::PayoutNeedsShift => lang.t(T::ErrPayoutNeedsShift).into(),
        AppError::DrawerShort { available } => {
            lang.fill(T::ErrDrawerShort, &[&available.text(lang)])
        }
        AppError::SupplierOwed(m) => lang.fill(T::ErrSupplierOwed, &[&m.text(lang)]),
        AppError::SupplierArchived(name) => lang.fill(T::ErrSupplierArchived, &[name]),
        AppError::OpeningBelowPaid(m) => lang.fill(T::ErrOpeningBelowPaid, &[&m.text(lang)]),
        AppError::FileOnly => lang.t(T::ErrFileOnly).into(),
        AppError::OfflineNasiyaLimit { limit, waiting } => lang.fill(
            T::ErrOfflineNasiyaLimit,
            &[&limit.text(lang), &waiting.text(lang)],
        ),
        AppError::OutboxWaiting(n) => lang.fill(T::ErrOutboxWaiting, &[&n.to_string()]),
        AppError::SupplierOwesShop(m) => lang.fill(T::ErrSupplierOwesShop, &[&m.text(lang)]),
        AppError::OrderNotOpen(id) => lang.fill(T::ErrOrderNotOpen, &[&id.to_string()]),
        AppError::OrderOfAnotherSupplier(id) => {
            lang.fill(T::ErrOrderOfAnotherSupplier, &[&id.to_string()])
        }
        AppError::Invalid { field: "tin", .. } => lang.t(T::ErrTin).into(),
        AppError::AlreadyRefunded => lang.t(T::ErrAlreadyRefunded).into(),
        AppError::MethodUnavailable => lang.t(T::ErrMethodUnavailable).into(),
        AppError::Refund(RefundError::NotPositive) => lang.t(T::ErrRefundQty).into(),
        AppError::Refund(RefundError::MoreThanLeft { left }) => lang.fill(
            T::ErrRefundMore,
            &[&crate::domain::Quantity(*left).to_string()],
        ),
        AppError::Refund(RefundError::NotCovered) => lang.t(T::ErrRefundNotCovered).into(),
        AppError::RefundNeedsShift => lang.t(T::ErrRefundNeedsShift).into(),
        AppError::DatabaseGone(path) => lang.fill(T::ErrDatabaseGone, &[path]),
        AppError::Busy { holders } => lang.fill(T::DbBusy, &[&busy_holders(lang, holders)]),
        AppError::NoClassCode(name) => lang.fill(T::ErrNoClassCode, &[name]),
        AppError::MarkingCodesNeeded {
            product,
            needed,
            given,
        } => lang.fill(
            T::ErrMarkingCodes,
            &[product, &given.to_string(), &needed.to_string()],
        ),
        AppError::RefundDrawerShort { available, needed } => lang.fill(
            T::ErrRefundDrawerShort,
            &[&available.text(lang), &needed.text(lang)],
        ),
        AppError::CreditLimit { limit, debt } => {
            lang.fill(T::ErrCreditLimit, &[&debt.text(lang), &limit.text(lang)])
        }
        AppError::NotFound { what, id } => lang.fill(
            T::ErrNotFound,
            &[crate::i18n::thing_name(lang, what), &id.to_string()],
        ),
        AppError::UnknownBarcode(b) => lang.fill(T::ErrUnknownBarcode, &[b]),
        AppError::SessionGone => lang.t(T::ErrSessionGone).into(),
        AppError::InUse(why) => match lang {
            Lang::En => lang.fill(T::ErrInUse, &[why]),
            _ => lang.fill(T::ErrInUse, &[lang.t(T::ErrUnexpected)]),
        },
        AppError::ShiftStillOpen(name) => lang.fill(T::InUseShift, &[name]),
        AppError::CategoryUsed(name) => lang.fill(T::InUseExpenses, &[name]),
        AppError::Invalid { field, message } if message == "must not be empty" => {
            lang.fill(T::ErrRequired, &[crate::i18n::field_name(lang, field)])
        }
        AppError::Invalid { field, message } => {
            let name = crate::i18n::field_name(lang, field);
            if let Some(max) = message
                .strip_prefix("must be at most ")
                .and_then(|m| m.strip_suffix(" characters"))
            {
                lang.fill(T::FieldTooLong, &[name, max])
            } else if let Some(zone) = message.strip_prefix("unknown time zone ") {
                lang.fill(T::BadTimeZone, &[zone])
            } else if message == "contains control characters" {
                lang.fill(T::FieldControl, &[name])
            } else if lang == Lang::En {
                lang.fill(T::ErrInvalidField, &[name, message])
            } else {
                // Other checks explain themselves in English only; Uzbek and Russian say
                // which field is wrong, never in English.
                lang.fill(T::FieldWrong, &[name])
            }
        }
        other => {
            tracing::warn!("untranslated error: {other}");
            match lang {
                Lang::En => lang.fill(T::ErrOther, &[&other.to_string()]),
                _ => lang.t(T::ErrUnexpected).to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error a user can meet, in Uzbek and Russian, holds no English word.
    #[test]
    fn no_english_inside_uzbek_or_russian_errors() {
        use crate::domain::barcode::BarcodeError;
        use crate::domain::money::MoneyParseError;
        use crate::domain::quantity::QuantityError;
        use crate::domain::refund::RefundError;
        use crate::domain::{CartError, Money, PaymentError, Quantity};
        let errors: Vec<AppError> = vec![
            AppError::WrongCredentials,
            AppError::LockedOut { seconds: 28 },
            AppError::PasswordChangeRequired,
            AppError::WeakPassword(PasswordProblem::TooShort),
            AppError::WeakPassword(PasswordProblem::SameAsOld),
            AppError::WeakPassword(PasswordProblem::IsLogin),
            AppError::WeakPassword(PasswordProblem::Common),
            AppError::SessionGone,
            AppError::NotFound {
                what: "sale line",
                id: 7,
            },
            AppError::NotFound {
                what: "payment method",
                id: 7,
            },
            AppError::UnknownBarcode("4780000000013".into()),
            AppError::OpeningBelowPaid(Money(150_000)),
            AppError::SupplierOwesShop(Money(150_000)),
            AppError::OrderNotOpen(4),
            AppError::OrderOfAnotherSupplier(4),
            AppError::invalid("name", "must not be empty"),
            AppError::invalid("notes", "must be at most 200 characters"),
            AppError::invalid("login", "contains control characters"),
            AppError::invalid("printer.port", "unknown printer port"),
            AppError::invalid("timezone", "unknown time zone Mars/Base"),
            AppError::LoginTaken("ali".into()),
            AppError::BarcodeTaken("4780000000013".into()),
            AppError::PhoneTaken,
            AppError::NameTaken("Non".into()),
            AppError::TinTaken {
                tin: "123456789".into(),
                supplier: "Oq sut".into(),
            },
            AppError::SelfDelete,
            AppError::MainAdmin,
            AppError::ShiftStillOpen("Ali".into()),
            AppError::CategoryUsed("Ijara".into()),
            AppError::NoOpenShift,
            AppError::ShiftAlreadyOpen,
            AppError::EmptySale,
            AppError::InsufficientStock {
                product: "Non".into(),
                available: Quantity(1000),
                requested: Quantity(2000),
            },
            AppError::StockChanged {
                product: "Non".into(),
                now: Quantity(3000),
            },
            AppError::Archived("Non".into()),
            AppError::PriceChanged {
                expected: Money(100),
                actual: Money(200),
            },
            AppError::NasiyaNeedsClient,
            AppError::AlreadyRefunded,
            AppError::MethodUnavailable,
            AppError::CreditLimit {
                limit: Money(100),
                debt: Money(50),
            },
            AppError::RefundNeedsShift,
            AppError::OfflineNasiyaLimit {
                limit: Money(100),
                waiting: Money(50),
            },
            AppError::OutboxWaiting(3),
            AppError::NoClassCode("Non".into()),
            AppError::DatabaseGone("/tmp/kassa.db".into()),
            AppError::Busy {
                holders: vec![("sqlite3".into(), 4242)],
            },
            AppError::Busy {
                holders: Vec::new(),
            },
            AppError::MarkingCodesNeeded {
                product: "Suv".into(),
                needed: 2,
                given: 1,
            },
            AppError::RefundDrawerShort {
                available: Money(100),
                needed: Money(200),
            },
            AppError::OpenBalance(Money(100)),
            AppError::NoPrinter,
            AppError::Cart(CartError::NoSuchLine),
            AppError::Cart(CartError::DiscountTooLarge),
            AppError::Cart(CartError::NegativeDiscount),
            AppError::Cart(CartError::Overflow),
            AppError::Cart(CartError::NegativePrice),
            AppError::Payment(PaymentError::NotPositive),
            AppError::Payment(PaymentError::Insufficient { missing: Money(1) }),
            AppError::Payment(PaymentError::Overpaid { excess: Money(1) }),
            AppError::Payment(PaymentError::Overflow),
            AppError::Quantity(QuantityError::Empty),
            AppError::Quantity(QuantityError::Invalid("abc".into())),
            AppError::Quantity(QuantityError::NotPositive),
            AppError::Quantity(QuantityError::TooLarge),
            AppError::Quantity(QuantityError::NotWhole),
            AppError::Money(MoneyParseError::Empty),
            AppError::Money(MoneyParseError::Invalid("1,500".into())),
            AppError::Money(MoneyParseError::TooLarge),
            AppError::Money(MoneyParseError::Negative),
            AppError::Barcode(BarcodeError::Empty),
            AppError::Barcode(BarcodeError::Malformed("x".into())),
            AppError::Barcode(BarcodeError::CheckDigit("4780000000014".into())),
            AppError::Refund(RefundError::NotPositive),
            AppError::Refund(RefundError::MoreThanLeft { left: 1250 }),
            AppError::Refund(RefundError::NotCovered),
            AppError::Hash("bcrypt".into()),
        ];
        let english = [
            "the",
            "is",
            "not",
            "must",
            "be",
            "an",
            "of",
            "has",
            "no",
            "wrong",
            "quantity",
            "amount",
            "barcode",
            "characters",
            "unknown",
            "port",
            "zone",
            "sale",
            "line",
            "method",
            "payment",
            "error",
            "too",
            "large",
            "empty",
            "first",
            "open",
        ];
        for e in &errors {
            for lang in [Lang::Uz, Lang::Ru] {
                let text = error_text(lang, e);
                for word in text
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter(|w| !w.is_empty())
                {
                    assert!(
                        !english.contains(&word.to_ascii_lowercase().as_str()),
                        "{lang:?}: English {word:?} in {text:?} ({e:?})"
                    );
                }
            }
        }
    }
}
