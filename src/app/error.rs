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
