//! Shift cash arithmetic: what should be in the drawer.
//!
//! Only cash counts: the opening float, plus the cash part of sales (not what was handed
//! over: the change went back out), plus debt payments taken in cash, minus cash paid back
//! on refunds made during the shift and cash paid to suppliers out of the drawer.

use super::money::Money;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShiftCash {
    pub opening: Money,
    pub cash_sales: Money,
    pub cash_debt_payments: Money,
    pub cash_refunds: Money,
    pub cash_to_suppliers: Money,
}

impl ShiftCash {
    /// The cash that should be in the drawer.
    pub fn expected(&self) -> Money {
        Money(
            self.opening.0 + self.cash_sales.0 + self.cash_debt_payments.0
                - self.cash_refunds.0
                - self.cash_to_suppliers.0,
        )
    }

    /// Counted minus expected: positive is a surplus, negative a shortage.
    pub fn difference(&self, counted: Money) -> Money {
        Money(counted.0 - self.expected().0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_and_difference() {
        let s = ShiftCash {
            opening: Money::from_major(100_000),
            cash_sales: Money::from_major(250_000),
            cash_debt_payments: Money::from_major(40_000),
            cash_refunds: Money::from_major(15_000),
            cash_to_suppliers: Money::ZERO,
        };
        assert_eq!(s.expected(), Money::from_major(375_000));
        let paid_out = ShiftCash {
            cash_to_suppliers: Money::from_major(75_000),
            ..s
        };
        assert_eq!(paid_out.expected(), Money::from_major(300_000));
        assert_eq!(
            s.difference(Money::from_major(370_000)),
            Money::from_major(-5_000)
        );
        assert_eq!(s.difference(Money::from_major(375_000)), Money::ZERO);
    }
}
