//! The shop's non-cash payment methods (bank cards such as Uzcard and Humo, QR payments such
//! as Click, Payme, Uzum): named in each language, ordered and put away by the admin, offered
//! in the payment dialog, stored with each card tender (`sale_payments.channel_id`) and
//! reported apart. None of them is ever drawer cash. A method is never deleted (sales name
//! it); an inactive one is no longer offered but still named in history and reports.

use crate::store::db::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::{Actor, App, AppError, AppResult, Session, audit, required_text};
use crate::domain::Action;
use crate::i18n::{Lang, T};
use crate::store::schema::payment_methods;

/// Longest name of a payment method.
pub const NAME_MAX: usize = 40;

/// One of the shop's non-cash payment methods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Queryable, Selectable)]
#[diesel(table_name = payment_methods)]
pub struct PaymentMethodView {
    pub id: i32,
    pub name_uz: String,
    pub name_ru: String,
    pub name_en: String,
    pub active: bool,
    pub position: i32,
}

impl PaymentMethodView {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Uz => &self.name_uz,
            Lang::Ru => &self.name_ru,
            Lang::En => &self.name_en,
        }
    }
}

/// What the admin enters for a method.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentMethodInput {
    pub name_uz: String,
    pub name_ru: String,
    pub name_en: String,
    pub active: bool,
    pub position: i32,
}

/// Every method, in the admin's order (active and inactive): enough to name any tender.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PaymentMethods(pub Vec<PaymentMethodView>);

impl PaymentMethods {
    /// The methods the payment dialog offers.
    pub fn active(&self) -> impl Iterator<Item = &PaymentMethodView> {
        self.0.iter().filter(|m| m.active)
    }

    /// A tender's name: "Naqd", "Nasiya", or the card method's own name ("Uzcard").
    pub fn label(&self, lang: Lang, method: &str, channel: Option<i32>) -> String {
        match (method, channel) {
            ("card", Some(id)) => match self.0.iter().find(|m| m.id == id) {
                Some(m) => m.name(lang).to_string(),
                None => lang.t(T::Card).to_string(),
            },
            _ => lang.method(method).to_string(),
        }
    }
}

pub(crate) fn load(conn: &mut Db) -> AppResult<PaymentMethods> {
    Ok(PaymentMethods(
        payment_methods::table
            .order((payment_methods::position, payment_methods::id))
            .select(columns_of::<PaymentMethodView>())
            .load(conn)?,
    ))
}

/// The channel a card tender is stored with: the one asked for, which must be active, or the
/// first active method.
pub(crate) fn resolve(conn: &mut Db, channel: Option<i32>) -> AppResult<i32> {
    let active = || payment_methods::table.filter(payment_methods::active.eq(true));
    let found: Option<i32> = match channel {
        Some(id) => active()
            .filter(payment_methods::id.eq(id))
            .select(payment_methods::id)
            .first(conn)
            .optional()?,
        None => active()
            .order((payment_methods::position, payment_methods::id))
            .select(payment_methods::id)
            .first(conn)
            .optional()?,
    };
    found.ok_or(AppError::MethodUnavailable)
}

fn checked(input: &PaymentMethodInput) -> AppResult<PaymentMethodInput> {
    Ok(PaymentMethodInput {
        name_uz: required_text("name_uz", &input.name_uz, NAME_MAX)?,
        name_ru: required_text("name_ru", &input.name_ru, NAME_MAX)?,
        name_en: required_text("name_en", &input.name_en, NAME_MAX)?,
        active: input.active,
        position: input.position,
    })
}

fn insert(
    conn: &mut Db,
    actor: &Actor,
    now: chrono::NaiveDateTime,
    input: &PaymentMethodInput,
) -> AppResult<PaymentMethodView> {
    let view: PaymentMethodView = diesel::insert_into(payment_methods::table)
        .values((
            payment_methods::name_uz.eq(&input.name_uz),
            payment_methods::name_ru.eq(&input.name_ru),
            payment_methods::name_en.eq(&input.name_en),
            payment_methods::active.eq(input.active),
            payment_methods::position.eq(input.position),
            payment_methods::created_at.eq(now),
        ))
        .returning(columns_of::<PaymentMethodView>())
        .get_result(conn)?;
    audit::record(
        conn,
        actor,
        now,
        "payment_method.create",
        "payment_method",
        Some(view.id.into()),
        None,
        Some(json!(view)),
    )?;
    Ok(view)
}

impl App {
    /// Every payment method (anyone signed in: the till names tenders with them).
    pub fn payment_methods(&mut self, session: &Session) -> AppResult<PaymentMethods> {
        let read = self.read(session, None, |conn, _| load(conn));
        // A till remembers them for selling while its server is away.
        self.remember_methods(read)
    }

    /// Adds a non-cash payment method (admin).
    pub fn add_payment_method(
        &mut self,
        session: &Session,
        input: &PaymentMethodInput,
    ) -> AppResult<PaymentMethodView> {
        let input = checked(input)?;
        self.write(session, Action::Settings, |conn, actor, now| {
            insert(conn, actor, now, &input)
        })
    }

    /// Adds a payment method from the command line (`kassa demo-data`).
    pub fn maintenance_add_payment_method(
        &mut self,
        input: &PaymentMethodInput,
    ) -> AppResult<PaymentMethodView> {
        let input = checked(input)?;
        let now = self.now().naive_utc();
        self.immediate(|conn| insert(conn, &Actor::system("cli"), now, &input))
    }

    /// Renames, reorders, puts away or brings back a payment method (admin).
    pub fn update_payment_method(
        &mut self,
        session: &Session,
        id: i32,
        input: &PaymentMethodInput,
    ) -> AppResult<PaymentMethodView> {
        let input = checked(input)?;
        self.write(session, Action::Settings, |conn, actor, now| {
            let before: PaymentMethodView = payment_methods::table
                .find(id)
                .select(columns_of::<PaymentMethodView>())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("payment method", id))?;
            let after: PaymentMethodView = diesel::update(payment_methods::table.find(id))
                .set((
                    payment_methods::name_uz.eq(&input.name_uz),
                    payment_methods::name_ru.eq(&input.name_ru),
                    payment_methods::name_en.eq(&input.name_en),
                    payment_methods::active.eq(input.active),
                    payment_methods::position.eq(input.position),
                ))
                .returning(columns_of::<PaymentMethodView>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "payment_method.update",
                "payment_method",
                Some(id.into()),
                Some(json!(before)),
                Some(json!(after)),
            )?;
            Ok(after)
        })
    }
}
