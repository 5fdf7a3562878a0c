//! Roles and the permission table of SPEC.md, as one function.
//!
//! The GUI hides what a role may not do, but the check that counts is [`allows`], called by
//! every use case in `app/`.

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Cashier,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Cashier, Role::Manager, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "cashier" => Some(Role::Cashier),
            "manager" => Some(Role::Manager),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a person can ask Kassa to do that the table restricts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Sell,
    /// Open or close one's own shift.
    OwnShift,
    /// Add, edit or delete products and categories, adjust stock.
    ManageProducts,
    AddClient,
    EditClient,
    DeleteClient,
    /// Take a debt payment from a customer (money in at the till).
    TakeDebtPayment,
    /// Correct a customer's balance by hand.
    AdjustClientBalance,
    Refund,
    AddExpense,
    DeleteExpense,
    ViewStatistics,
    /// The reports and the dashboard beyond today's figures.
    ViewReports,
    ViewStaff,
    ManageStaff,
    ViewAudit,
    Settings,
    Broadcast,
    ReceiveSupply,
    /// Give a line or sale discount at the till.
    GiveDiscount,
    /// Approve nasiya beyond a customer's credit limit (at the till, with one's own login
    /// and password), and set customers' credit limits.
    CreditOverLimit,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::Sell,
        Action::OwnShift,
        Action::ManageProducts,
        Action::AddClient,
        Action::EditClient,
        Action::DeleteClient,
        Action::TakeDebtPayment,
        Action::AdjustClientBalance,
        Action::Refund,
        Action::AddExpense,
        Action::DeleteExpense,
        Action::ViewStatistics,
        Action::ViewReports,
        Action::ViewStaff,
        Action::ManageStaff,
        Action::ViewAudit,
        Action::Settings,
        Action::Broadcast,
        Action::ReceiveSupply,
        Action::GiveDiscount,
        Action::CreditOverLimit,
    ];
}

/// The permission table. Rows not in SPEC.md (debt payments, balance corrections,
/// discounts) are our choice: a cashier takes debt payments at the till like any other
/// money; corrections and discounts need a manager.
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        Role::Manager => !matches!(action, DeleteClient | ManageStaff | Settings | Broadcast),
        Role::Cashier => matches!(
            action,
            Sell | OwnShift | AddClient | TakeDebtPayment | AddExpense | ViewStatistics
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn the_spec_table() {
        use Action::*;
        // (action, cashier, manager, admin), straight from SPEC.md.
        let table = [
            (Sell, true, true, true),
            (OwnShift, true, true, true),
            (ManageProducts, false, true, true),
            (AddClient, true, true, true),
            (EditClient, false, true, true),
            (DeleteClient, false, false, true),
            (Refund, false, true, true),
            (AddExpense, true, true, true),
            (DeleteExpense, false, true, true),
            (ViewStatistics, true, true, true),
            (ViewReports, false, true, true),
            (ViewStaff, false, true, true),
            (ManageStaff, false, false, true),
            (ViewAudit, false, true, true),
            (Settings, false, false, true),
            (Broadcast, false, false, true),
            (ReceiveSupply, false, true, true),
            (TakeDebtPayment, true, true, true),
            (AdjustClientBalance, false, true, true),
            (GiveDiscount, false, true, true),
            (CreditOverLimit, false, true, true),
        ];
        assert_eq!(table.len(), Action::ALL.len());
        for (action, cashier, manager, admin) in table {
            assert_eq!(allows(Role::Cashier, action), cashier, "cashier {action:?}");
            assert_eq!(allows(Role::Manager, action), manager, "manager {action:?}");
            assert_eq!(allows(Role::Admin, action), admin, "admin {action:?}");
        }
    }
}
