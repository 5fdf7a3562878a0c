//! Tenders: how a sale is paid, and the change for cash.
//!
//! A sale may be split across cash, card and nasiya (store credit). "Card" is every non-cash
//! method the shop takes (bank cards, QR payments), told apart by a `channel`: the id of one
//! of the shop's payment methods. Card and nasiya can never exceed what is owed; cash may (the
//! customer hands over more and gets change). The cash part of the sale is what is left after
//! card and nasiya; the change is what was handed over beyond it.

use super::money::{MAX_MONEY, Money};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaymentMethod {
    Cash,
    Card,
    Nasiya,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Nasiya,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Nasiya => "nasiya",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentMethod> {
        match s {
            "cash" => Some(PaymentMethod::Cash),
            "card" => Some(PaymentMethod::Card),
            "nasiya" => Some(PaymentMethod::Nasiya),
            _ => None,
        }
    }
}

/// What the cashier entered: a method and an amount (for cash, the amount handed over).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TenderInput {
    pub method: PaymentMethod,
    pub amount: Money,
    /// For card: which of the shop's non-cash payment methods (`None`: the first one).
    pub channel: Option<i32>,
}

impl TenderInput {
    /// A tender of `method` with no particular channel.
    pub fn new(method: PaymentMethod, amount: Money) -> TenderInput {
        TenderInput {
            method,
            amount,
            channel: None,
        }
    }
}

/// One settled tender as it is stored: `amount` is the part of the sale paid this way;
/// for cash `tendered` is what was handed over and `change` what went back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tender {
    pub method: PaymentMethod,
    pub amount: Money,
    pub tendered: Money,
    pub change: Money,
    /// For card: which payment method (as entered).
    pub channel: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settlement {
    pub tenders: Vec<Tender>,
    pub change: Money,
}

impl Settlement {
    pub fn amount_by(&self, method: PaymentMethod) -> Money {
        Money(
            self.tenders
                .iter()
                .filter(|t| t.method == method)
                .map(|t| t.amount.0)
                .sum(),
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("a payment amount must be greater than zero")]
    NotPositive,
    #[error("{missing} is still to be paid")]
    Insufficient { missing: Money },
    #[error("card and nasiya together are {excess} more than the total")]
    Overpaid { excess: Money },
    #[error("the amount is too large")]
    Overflow,
}

/// Settles a sale of `total` with what the cashier entered. Several entries of one method
/// are added together. Refuses any entry of zero or less, card + nasiya above the total,
/// and cash that does not cover the rest.
pub fn settle(total: Money, inputs: &[TenderInput]) -> Result<Settlement, PaymentError> {
    let (mut cash_given, mut nasiya) = (0i64, 0i64);
    // Card amounts per channel, in the order first entered.
    let mut cards: Vec<(Option<i32>, i64)> = Vec::new();
    for input in inputs {
        if !input.amount.is_positive() {
            return Err(PaymentError::NotPositive);
        }
        if input.amount > MAX_MONEY {
            return Err(PaymentError::Overflow);
        }
        let slot = match input.method {
            PaymentMethod::Cash => &mut cash_given,
            PaymentMethod::Nasiya => &mut nasiya,
            PaymentMethod::Card => {
                let i = match cards.iter().position(|(c, _)| *c == input.channel) {
                    Some(i) => i,
                    None => {
                        cards.push((input.channel, 0));
                        cards.len() - 1
                    }
                };
                &mut cards[i].1
            }
        };
        *slot = slot
            .checked_add(input.amount.0)
            .ok_or(PaymentError::Overflow)?;
    }
    let mut non_cash = nasiya;
    for (_, amount) in &cards {
        non_cash = non_cash
            .checked_add(*amount)
            .ok_or(PaymentError::Overflow)?;
    }
    if non_cash > total.0 {
        return Err(PaymentError::Overpaid {
            excess: Money(non_cash - total.0),
        });
    }
    let cash_due = total.0 - non_cash;
    if cash_given < cash_due {
        return Err(PaymentError::Insufficient {
            missing: Money(cash_due - cash_given),
        });
    }
    if cash_due == 0 && cash_given > 0 {
        // Cash handed over when nothing is left to pay in cash: refuse rather than record a
        // zero-amount tender that only gives all of it back.
        return Err(PaymentError::Overpaid {
            excess: Money(cash_given),
        });
    }
    let mut tenders = Vec::with_capacity(2 + cards.len());
    let change = Money(cash_given - cash_due);
    if cash_due > 0 {
        tenders.push(Tender {
            method: PaymentMethod::Cash,
            amount: Money(cash_due),
            tendered: Money(cash_given),
            change,
            channel: None,
        });
    }
    let rest = cards
        .into_iter()
        .map(|(channel, amount)| (PaymentMethod::Card, channel, amount))
        .chain([(PaymentMethod::Nasiya, None, nasiya)]);
    for (method, channel, amount) in rest {
        if amount > 0 {
            tenders.push(Tender {
                method,
                amount: Money(amount),
                tendered: Money(amount),
                change: Money::ZERO,
                channel,
            });
        }
    }
    Ok(Settlement { tenders, change })
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentMethod::*;

    fn t(method: PaymentMethod, som: i64) -> TenderInput {
        TenderInput::new(method, Money::from_major(som))
    }

    #[test]
    fn card_channels_stay_apart() {
        let click = |som| TenderInput {
            channel: Some(3),
            ..t(Card, som)
        };
        let humo = |som| TenderInput {
            channel: Some(2),
            ..t(Card, som)
        };
        let s = settle(
            Money::from_major(100_000),
            &[click(30_000), humo(20_000), click(5_000), t(Cash, 50_000)],
        )
        .unwrap();
        let cards: Vec<(Option<i32>, Money)> = s
            .tenders
            .iter()
            .filter(|t| t.method == Card)
            .map(|t| (t.channel, t.amount))
            .collect();
        assert_eq!(
            cards,
            vec![
                (Some(3), Money::from_major(35_000)),
                (Some(2), Money::from_major(20_000))
            ]
        );
        assert_eq!(s.amount_by(Card), Money::from_major(55_000));
        assert_eq!(s.amount_by(Cash), Money::from_major(45_000));
        assert_eq!(s.change, Money::from_major(5_000));
        assert_eq!(
            settle(Money::from_major(10), &[click(6), humo(5)]),
            Err(PaymentError::Overpaid {
                excess: Money::from_major(1)
            })
        );
    }

    #[test]
    fn cash_with_change() {
        let s = settle(Money::from_major(37_500), &[t(Cash, 50_000)]).unwrap();
        assert_eq!(s.change, Money::from_major(12_500));
        assert_eq!(s.tenders.len(), 1);
        assert_eq!(s.tenders[0].amount, Money::from_major(37_500));
        assert_eq!(s.tenders[0].tendered, Money::from_major(50_000));
    }

    #[test]
    fn exact_card() {
        let s = settle(Money::from_major(10_000), &[t(Card, 10_000)]).unwrap();
        assert_eq!(s.change, Money::ZERO);
        assert_eq!(s.amount_by(Card), Money::from_major(10_000));
    }

    #[test]
    fn split_three_ways() {
        let s = settle(
            Money::from_major(100_000),
            &[t(Card, 30_000), t(Nasiya, 20_000), t(Cash, 60_000)],
        )
        .unwrap();
        assert_eq!(s.amount_by(Cash), Money::from_major(50_000));
        assert_eq!(s.amount_by(Card), Money::from_major(30_000));
        assert_eq!(s.amount_by(Nasiya), Money::from_major(20_000));
        assert_eq!(s.change, Money::from_major(10_000));
        let sum: i64 = s.tenders.iter().map(|t| t.amount.0).sum();
        assert_eq!(sum, Money::from_major(100_000).0);
    }

    #[test]
    fn same_method_twice_adds_up() {
        let s = settle(Money::from_major(100), &[t(Cash, 50), t(Cash, 60)]).unwrap();
        assert_eq!(s.change, Money::from_major(10));
    }

    #[test]
    fn refusals() {
        assert_eq!(
            settle(Money::from_major(100), &[t(Cash, 99)]),
            Err(PaymentError::Insufficient {
                missing: Money::from_major(1)
            })
        );
        assert_eq!(
            settle(Money::from_major(100), &[t(Card, 101)]),
            Err(PaymentError::Overpaid {
                excess: Money::from_major(1)
            })
        );
        assert_eq!(
            settle(Money::from_major(100), &[t(Card, 100), t(Cash, 5)]),
            Err(PaymentError::Overpaid {
                excess: Money::from_major(5)
            })
        );
        assert_eq!(
            settle(Money::from_major(100), &[t(Cash, 0)]),
            Err(PaymentError::NotPositive)
        );
        assert_eq!(
            settle(Money::from_major(100), &[]),
            Err(PaymentError::Insufficient {
                missing: Money::from_major(100)
            })
        );
        assert_eq!(
            settle(Money(1), &[TenderInput::new(Cash, Money(i64::MAX))]),
            Err(PaymentError::Overflow)
        );
    }

    #[test]
    fn free_sale_needs_no_tender() {
        let s = settle(Money::ZERO, &[]).unwrap();
        assert!(s.tenders.is_empty());
    }
}
