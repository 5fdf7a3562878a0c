//! Refunds of a part of a sale: which share of a sale line a refund takes, and which of the
//! sale's tenders pay it back.
//!
//! A refund takes a quantity of a line that is still unrefunded. Every stored figure of the
//! part taken is the line's figure × taken / quantity, rounded once with [`div_round`]; the part
//! left keeps the rest. The two parts add up to the line exactly, and taking what is left
//! takes exactly the rest, so refunds of all parts add up to the sale to the tiyin, whatever
//! the steps.
//!
//! The money goes back through the sale's own tenders, nasiya first (the customer's debt
//! falls before any money leaves the shop), then the non-cash tenders, then cash; each
//! tender gives back at most what is left of it.

use super::payment::PaymentMethod;
use super::rounding::div_round;

/// The stored figures of a sale line (or of the unrefunded part of one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineFigures {
    /// Thousandths of a unit.
    pub quantity: i64,
    pub gross: i64,
    pub line_discount: i64,
    pub sale_discount_share: i64,
    pub line_total: i64,
    pub cost_total: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefundError {
    #[error("the quantity to refund must be greater than zero")]
    NotPositive,
    #[error("only {left} is left to refund on this line")]
    MoreThanLeft { left: i64 },
    #[error("the sale's tenders do not cover the refund")]
    NotCovered,
}

fn share(value: i64, taken: i64, of: i64) -> i64 {
    // of > 0 and 0 < taken <= of: the result lies between 0 and value, so it fits.
    div_round(value as i128 * taken as i128, of as i128).unwrap_or(value)
}

/// Splits `line` into the part of `quantity` taken by a refund and the part left.
/// Taking the whole quantity gives the line itself and an empty rest.
pub fn split_line(
    line: LineFigures,
    quantity: i64,
) -> Result<(LineFigures, LineFigures), RefundError> {
    if quantity <= 0 {
        return Err(RefundError::NotPositive);
    }
    if quantity > line.quantity {
        return Err(RefundError::MoreThanLeft {
            left: line.quantity,
        });
    }
    if quantity == line.quantity {
        return Ok((line, LineFigures::default()));
    }
    let of = line.quantity;
    let gross = share(line.gross, quantity, of);
    let line_discount = share(line.line_discount, quantity, of);
    let sale_discount_share = share(line.sale_discount_share, quantity, of);
    let taken = LineFigures {
        quantity,
        gross,
        line_discount,
        sale_discount_share,
        // Kept equal to gross minus both discounts, as on every stored line.
        line_total: gross - line_discount - sale_discount_share,
        cost_total: share(line.cost_total, quantity, of),
    };
    let left = LineFigures {
        quantity: line.quantity - taken.quantity,
        gross: line.gross - taken.gross,
        line_discount: line.line_discount - taken.line_discount,
        sale_discount_share: line.sale_discount_share - taken.sale_discount_share,
        line_total: line.line_total - taken.line_total,
        cost_total: line.cost_total - taken.cost_total,
    };
    Ok((taken, left))
}

/// What is left of one of the sale's tenders (its amount less what earlier refunds took).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenTender {
    pub method: PaymentMethod,
    pub left: i64,
}

/// How `amount` goes back through the sale's tenders: one figure per tender, in the
/// tenders' order. Nasiya first, then card and other non-cash tenders, then cash.
pub fn money_back(amount: i64, tenders: &[OpenTender]) -> Result<Vec<i64>, RefundError> {
    let mut back = vec![0i64; tenders.len()];
    let mut rest = amount.max(0);
    for method in [
        PaymentMethod::Nasiya,
        PaymentMethod::Card,
        PaymentMethod::Cash,
    ] {
        for (i, t) in tenders.iter().enumerate() {
            if t.method == method && rest > 0 {
                let take = rest.min(t.left.max(0));
                back[i] += take;
                rest -= take;
            }
        }
    }
    if rest > 0 {
        return Err(RefundError::NotCovered);
    }
    Ok(back)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentMethod::*;

    fn line(quantity: i64, gross: i64, ld: i64, sd: i64, cost: i64) -> LineFigures {
        LineFigures {
            quantity,
            gross,
            line_discount: ld,
            sale_discount_share: sd,
            line_total: gross - ld - sd,
            cost_total: cost,
        }
    }

    #[test]
    fn one_of_three_with_discounts() {
        // 3 pieces at 10 000,00 (gross 3 000 000 tiyin), 10 % line discount, a sale discount
        // share of 1 000 tiyin; cost 2 000 000.
        let l = line(3000, 3_000_000, 300_000, 1_000, 2_000_000);
        let (taken, left) = split_line(l, 1000).unwrap();
        assert_eq!(
            taken,
            LineFigures {
                quantity: 1000,
                gross: 1_000_000,
                line_discount: 100_000,
                sale_discount_share: 333, // 1 000 / 3 = 333,33 → 333
                line_total: 899_667,
                cost_total: 666_667, // 666 666,67 → 666 667
            }
        );
        assert_eq!(
            left,
            LineFigures {
                quantity: 2000,
                gross: 2_000_000,
                line_discount: 200_000,
                sale_discount_share: 667,
                line_total: 1_799_333,
                cost_total: 1_333_333,
            }
        );
    }

    #[test]
    fn refunds_in_steps_add_up_to_the_line() {
        // 1,250 kg at 15 000 so'm with an odd sale discount share, refunded 333 g, 333 g,
        // then the rest.
        let l = line(1250, 1_875_000, 0, 7, 1_250_001);
        let (a, rest) = split_line(l, 333).unwrap();
        let (b, rest) = split_line(rest, 333).unwrap();
        let (c, empty) = split_line(rest, rest.quantity).unwrap();
        assert_eq!(empty, LineFigures::default());
        assert_eq!(c.quantity, 584);
        for f in [
            |x: &LineFigures| x.quantity,
            |x: &LineFigures| x.gross,
            |x: &LineFigures| x.sale_discount_share,
            |x: &LineFigures| x.line_total,
            |x: &LineFigures| x.cost_total,
        ] {
            assert_eq!(f(&a) + f(&b) + f(&c), f(&l));
        }
        // 1 875 000 × 333 / 1250 = 499 500 exactly; 7 × 333 / 1250 = 1,86 → 2.
        assert_eq!(
            (a.gross, a.sale_discount_share, a.line_total),
            (499_500, 2, 499_498)
        );
    }

    #[test]
    fn refusals() {
        let l = line(2000, 100, 0, 0, 50);
        assert_eq!(split_line(l, 0), Err(RefundError::NotPositive));
        assert_eq!(split_line(l, -5), Err(RefundError::NotPositive));
        assert_eq!(
            split_line(l, 2001),
            Err(RefundError::MoreThanLeft { left: 2000 })
        );
        assert_eq!(split_line(l, 2000), Ok((l, LineFigures::default())));
    }

    fn t(method: PaymentMethod, left: i64) -> OpenTender {
        OpenTender { method, left }
    }

    #[test]
    fn nasiya_then_card_then_cash() {
        let tenders = [t(Cash, 50_000), t(Card, 30_000), t(Nasiya, 20_000)];
        assert_eq!(money_back(10_000, &tenders).unwrap(), vec![0, 0, 10_000]);
        assert_eq!(
            money_back(45_000, &tenders).unwrap(),
            vec![0, 25_000, 20_000]
        );
        assert_eq!(
            money_back(100_000, &tenders).unwrap(),
            vec![50_000, 30_000, 20_000]
        );
        assert_eq!(money_back(100_001, &tenders), Err(RefundError::NotCovered));
        assert_eq!(money_back(0, &tenders).unwrap(), vec![0, 0, 0]);
    }

    #[test]
    fn what_earlier_refunds_took_is_not_given_twice() {
        // Two card tenders (two channels), one already given back in full.
        let tenders = [t(Card, 0), t(Card, 7_000), t(Cash, 3_000)];
        assert_eq!(money_back(8_000, &tenders).unwrap(), vec![0, 7_000, 1_000]);
    }
}
