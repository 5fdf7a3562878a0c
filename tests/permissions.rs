//! Every row of the permission table, through the use cases themselves: each role tries each
//! action on a real database; allowed attempts succeed, refused ones return `Forbidden` and
//! leave every row of the database as it was.

mod common;

use chrono::NaiveDate;
use common::*;
use kassa::app::{
    AppError, AuditFilter, ClientInput, EmployeeInput, Period, SaleLineInput, SaleRequest, Session,
    SupplyInput, SupplyLineInput,
};
use kassa::domain::cart::Discount;
use kassa::domain::payment::{PaymentMethod, TenderInput};
use kassa::domain::permissions::allows;
use kassa::domain::{Action, Money, Quantity, Role};

struct Ctx {
    product: i32,
    supplier: i32,
    client: i32,
    expense: i32,
    sale: i32,
    n: u32,
}

fn sale_request(key: String, product: i32, discount: Discount) -> SaleRequest {
    SaleRequest {
        idempotency_key: key,
        lines: vec![SaleLineInput {
            product_id: product,
            quantity: Quantity::units(1),
            discount: Discount::None,
            marking_codes: Vec::new(),
        }],
        sale_discount: discount,
        tenders: vec![TenderInput {
            method: PaymentMethod::Cash,
            amount: Money::from_major(10_000),
            channel: None,
        }],
        client_id: None,
        due_date: None,
        expected_total: None,
    }
}

/// Makes fresh objects for one attempt (as the admin).
fn prepare(shop: &mut Shop, n: u32) -> Ctx {
    let admin = shop.admin.clone();
    let app = &mut shop.app;
    let product = stocked(
        app,
        &admin,
        product_input(&format!("Item {n}"), 10_000, 7_000, ""),
        Quantity::units(100),
    );
    let client = app
        .create_client(
            &admin,
            &ClientInput {
                full_name: format!("Client {n}"),
                phone: String::new(),
                notes: String::new(),
            },
        )
        .unwrap()
        .id;
    let cat = app.expense_categories(&admin).unwrap();
    let cat = match cat.first() {
        Some(c) => c.id,
        None => app.create_expense_category(&admin, "Rent").unwrap().id,
    };
    let expense = app
        .add_expense(
            &admin,
            cat,
            Money::from_major(1_000),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            "",
        )
        .unwrap()
        .id;
    let sale = app
        .sell(
            &admin,
            &sale_request(format!("prep-{n}"), product, Discount::None),
        )
        .unwrap()
        .sale_id;
    Ctx {
        product,
        supplier: common::supplier(app, &admin, "S"),
        client,
        expense,
        sale,
        n,
    }
}

fn attempt(shop: &mut Shop, action: Action, who: &Session, ctx: &Ctx) -> Result<(), AppError> {
    let app = &mut shop.app;
    let n = ctx.n;
    match action {
        Action::Sell => app
            .sell(
                who,
                &sale_request(format!("try-{n}"), ctx.product, Discount::None),
            )
            .map(drop),
        Action::GiveDiscount => app
            .sell(
                who,
                &sale_request(format!("try-{n}"), ctx.product, Discount::Percent(1_000)),
            )
            .map(drop),
        Action::OwnShift => {
            app.close_shift(who, Money::ZERO, "")?;
            app.open_shift(who, Money::from_major(10_000_000)).map(drop)
        }
        Action::ManageProducts => app
            .create_product(who, &product_input(&format!("New {n}"), 1_000, 500, ""))
            .map(drop),
        Action::AddClient => app
            .create_client(
                who,
                &ClientInput {
                    full_name: format!("New client {n}"),
                    ..Default::default()
                },
            )
            .map(drop),
        Action::EditClient => app
            .update_client(
                who,
                ctx.client,
                &ClientInput {
                    full_name: format!("Renamed {n}"),
                    ..Default::default()
                },
            )
            .map(drop),
        Action::DeleteClient => app.delete_client(who, ctx.client),
        Action::CreditOverLimit => app
            .set_credit_limit(who, ctx.client, Some(Money::from_major(1_000_000)))
            .map(drop),
        Action::TakeDebtPayment => app
            .take_debt_payment(
                who,
                ctx.client,
                Money::from_major(500),
                PaymentMethod::Cash,
                "",
            )
            .map(drop),
        Action::AdjustClientBalance => app
            .adjust_client_balance(who, ctx.client, Money::from_major(-500), "correction")
            .map(drop),
        Action::Refund => app.refund_sale(who, ctx.sale, "test").map(drop),
        Action::AddExpense => {
            let cat = app.expense_categories(who)?[0].id;
            app.add_expense(
                who,
                cat,
                Money::from_major(100),
                NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                "",
            )
            .map(drop)
        }
        Action::DeleteExpense => app.delete_expense(who, ctx.expense),
        Action::ViewStatistics => {
            let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
            app.statistics(who, Period::day(d), 5).map(drop)
        }
        Action::ViewReports => {
            let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
            app.report(
                who,
                kassa::app::ReportKind::SalesByProduct,
                Period::day(d),
                kassa::i18n::Lang::Uz,
            )
            .map(drop)
        }
        Action::ViewStaff => app.employees(who).map(drop),
        Action::ManageStaff => app
            .create_employee(
                who,
                &EmployeeInput {
                    full_name: "New".into(),
                    login: format!("new{n}"),
                    role: Role::Cashier,
                    ..Default::default()
                },
                "password-1",
            )
            .map(drop),
        Action::ViewAudit => app.audit_log(who, &AuditFilter::default()).map(drop),
        Action::Settings => app.set_setting(who, "shop.name", &format!("Shop {n}")),
        Action::Broadcast => app.broadcast_recipients(who).map(drop),
        Action::ReceiveSupply => app
            .receive_supply(
                who,
                &SupplyInput {
                    supplier_id: ctx.supplier,
                    payment: None,
                    notes: String::new(),
                    lines: vec![SupplyLineInput {
                        product_id: ctx.product,
                        quantity: Quantity::units(5),
                        unit_cost: Money::from_major(7_000),
                    }],
                },
            )
            .map(drop),
    }
}

#[test]
fn every_row_of_the_permission_table_is_enforced_by_the_use_cases() {
    let mut shop = shop();
    let admin = shop.admin.clone();
    for s in [
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    ] {
        shop.app
            .open_shift(&s, Money::from_major(10_000_000))
            .unwrap();
    }
    let mut n = 0;
    for action in Action::ALL {
        for who in [
            shop.cashier.clone(),
            shop.manager.clone(),
            shop.admin.clone(),
        ] {
            n += 1;
            let ctx = prepare(&mut shop, n);
            let before = fingerprint(&mut shop.app);
            let result = attempt(&mut shop, action, &who, &ctx);
            if allows(who.role, action) {
                assert!(
                    result.is_ok(),
                    "{:?} should be allowed to {action:?}: {result:?}",
                    who.role
                );
            } else {
                match result {
                    Err(AppError::Forbidden {
                        role,
                        action: refused,
                    }) => {
                        assert_eq!(role, who.role);
                        assert_eq!(refused, action);
                    }
                    other => panic!("{:?} must be refused {action:?}, got {other:?}", who.role),
                }
                assert_eq!(
                    before,
                    fingerprint(&mut shop.app),
                    "{:?} {action:?} changed the database",
                    who.role
                );
            }
            assert_eq!(who.can(action), allows(who.role, action));
        }
    }
    // The admin's session still works after all of that.
    assert!(shop.app.employees(&admin).is_ok());
}
