//! The cart: lines, quantities, discounts and totals.
//!
//! Line gross = unit price × quantity (rounded once with [`div_round`]). A line discount comes
//! off its line; a sale discount comes off the sum of the lines and is then shared across the
//! lines in proportion to their amounts (largest remainder), so that the stored line totals of
//! a sale always add up to its total to the minor unit.

use std::sync::Arc;

use super::idmap::IdMap;

use super::money::{MAX_MONEY, Money};
use super::quantity::{MAX_QUANTITY, QTY_SCALE, Quantity, QuantityError, Unit};
use super::rounding::div_round;

/// A discount as an amount or a percentage in basis points (1/100 of a percent, so 1 250 is
/// 12.5 %).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Discount {
    #[default]
    None,
    Amount(Money),
    Percent(u32),
}

impl Discount {
    /// The amount this discount takes off `base`. Errors when it is more than `base`.
    #[inline]
    pub fn amount_of(self, base: Money) -> Result<Money, CartError> {
        match self {
            Discount::None => Ok(Money::ZERO),
            Discount::Amount(a) => {
                if a.is_negative() {
                    Err(CartError::NegativeDiscount)
                } else if a > base {
                    Err(CartError::DiscountTooLarge)
                } else {
                    Ok(a)
                }
            }
            Discount::Percent(bp) => {
                if bp > 10_000 {
                    return Err(CartError::DiscountTooLarge);
                }
                div_round(i128::from(base.0) * i128::from(bp), 10_000)
                    .map(Money)
                    .ok_or(CartError::Overflow)
            }
        }
    }

    pub fn is_none(self) -> bool {
        matches!(self, Discount::None)
            || matches!(self, Discount::Amount(Money(0)))
            || matches!(self, Discount::Percent(0))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CartError {
    #[error(transparent)]
    Quantity(#[from] QuantityError),
    #[error("there is no such line in the cart")]
    NoSuchLine,
    #[error("the discount is larger than the amount")]
    DiscountTooLarge,
    #[error("a discount cannot be negative")]
    NegativeDiscount,
    #[error("the amount is too large")]
    Overflow,
    #[error("the price cannot be negative")]
    NegativePrice,
}

/// One product on a sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLine {
    pub product_id: i32,
    /// Shared, not copied: a line's clone (a parked cart, the receipt) only counts a
    /// reference.
    pub name: Arc<str>,
    pub unit: Unit,
    pub unit_price: Money,
    pub unit_cost: Money,
    pub quantity: Quantity,
    pub discount: Discount,
}

impl CartLine {
    /// Unit price × quantity, rounded once.
    pub fn gross(&self) -> Result<Money, CartError> {
        line_gross(self.unit_price, self.quantity)
    }
}

/// Unit price × quantity (in thousandths), rounded once with the house rule.
#[inline]
pub fn line_gross(unit_price: Money, quantity: Quantity) -> Result<Money, CartError> {
    let v = div_round(
        i128::from(unit_price.0) * i128::from(quantity.0),
        i128::from(QTY_SCALE),
    )
    .ok_or(CartError::Overflow)?;
    if v > MAX_MONEY.0 {
        return Err(CartError::Overflow);
    }
    Ok(Money(v))
}

/// The sums of a cart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sum of line gross amounts (before any discount).
    pub subtotal: Money,
    /// Sum of the line discounts.
    pub line_discounts: Money,
    /// The sale-level discount.
    pub sale_discount: Money,
    /// What the customer pays.
    pub total: Money,
}

impl Totals {
    pub fn discount(&self) -> Money {
        Money(self.line_discounts.0 + self.sale_discount.0)
    }
}

/// Every amount of one line, as it is stored on the sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineAmounts {
    pub gross: Money,
    pub line_discount: Money,
    pub sale_discount_share: Money,
    pub total: Money,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cart {
    lines: Vec<CartLine>,
    sale_discount: Discount,
    /// product id -> line index, so adding to a large cart stays O(1). Empty while the cart
    /// has at most [`SCAN_LIMIT`] lines: those are found by looking through `ids`.
    index: IdMap<usize>,
    /// Each line's (gross, line discount), kept with the line.
    amounts: Vec<(i64, i64)>,
    /// Each line's product id, side by side, for looking through a small cart.
    ids: Vec<i32>,
    /// The sums of `amounts`, kept as lines change, so the totals after a scan cost the
    /// same on a cart of 10 lines or 1000.
    subtotal: i64,
    line_discounts: i64,
}

/// Up to this many lines, a product is found by looking through the lines' ids (one
/// contiguous array, faster than hashing for a handful); past it, by the id map.
const SCAN_LIMIT: usize = 32;

/// A line's gross and line-discount amount, or why they cannot be computed.
#[inline]
fn amounts_of(
    unit_price: Money,
    quantity: Quantity,
    discount: Discount,
) -> Result<(i64, i64), CartError> {
    let gross = line_gross(unit_price, quantity)?;
    let disc = discount.amount_of(gross)?;
    Ok((gross.0, disc.0))
}

impl Cart {
    pub fn new() -> Cart {
        Cart::default()
    }

    pub fn lines(&self) -> &[CartLine] {
        &self.lines
    }

    pub fn sale_discount(&self) -> Discount {
        self.sale_discount
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.index.clear();
        self.amounts.clear();
        self.ids.clear();
        self.subtotal = 0;
        self.line_discounts = 0;
        self.sale_discount = Discount::None;
    }

    /// Reserves room for `n` more lines.
    pub fn reserve(&mut self, n: usize) {
        self.lines.reserve(n);
        self.amounts.reserve(n);
        self.ids.reserve(n);
        self.index.reserve(n);
    }

    /// Adds `quantity` of a product. A product already in the cart gets its quantity raised
    /// (the line keeps its place and discount). Returns the line's index.
    pub fn add(&mut self, line: CartLine) -> Result<usize, CartError> {
        if line.unit_price.is_negative() || line.unit_cost.is_negative() {
            return Err(CartError::NegativePrice);
        }
        line.quantity.validate_for(line.unit)?;
        if let Some(idx) = self.find(line.product_id) {
            let l = &self.lines[idx];
            let new_qty = Quantity(
                l.quantity
                    .0
                    .checked_add(line.quantity.0)
                    .ok_or(QuantityError::TooLarge)?,
            );
            if new_qty > MAX_QUANTITY {
                return Err(QuantityError::TooLarge.into());
            }
            let amounts = amounts_of(l.unit_price, new_qty, l.discount)?;
            self.put_amounts(idx, amounts)?;
            self.lines[idx].quantity = new_qty;
            return Ok(idx);
        }
        let amounts = amounts_of(line.unit_price, line.quantity, line.discount)?;
        let (subtotal, line_discounts) = self.sums_with((0, 0), amounts)?;
        let idx = self.lines.len();
        let product_id = line.product_id;
        self.lines.push(line);
        self.amounts.push(amounts);
        self.ids.push(product_id);
        self.subtotal = subtotal;
        self.line_discounts = line_discounts;
        if self.lines.len() > SCAN_LIMIT {
            if self.index.is_empty() {
                self.reindex_from(0);
            } else {
                self.index.insert(product_id, idx);
            }
        }
        Ok(idx)
    }

    /// The running sums with one line's amounts `old` replaced by `new`; refused on overflow.
    fn sums_with(&self, old: (i64, i64), new: (i64, i64)) -> Result<(i64, i64), CartError> {
        let step = |sum: i64, old: i64, new: i64| {
            sum.checked_sub(old)
                .and_then(|s| s.checked_add(new))
                .ok_or(CartError::Overflow)
        };
        Ok((
            step(self.subtotal, old.0, new.0)?,
            step(self.line_discounts, old.1, new.1)?,
        ))
    }

    /// Stores a line's new amounts and the sums with them (nothing changes on an error).
    fn put_amounts(&mut self, index: usize, new: (i64, i64)) -> Result<(), CartError> {
        let (subtotal, line_discounts) = self.sums_with(self.amounts[index], new)?;
        self.amounts[index] = new;
        self.subtotal = subtotal;
        self.line_discounts = line_discounts;
        Ok(())
    }

    /// The line holding a product.
    fn find(&self, product_id: i32) -> Option<usize> {
        if self.index.is_empty() {
            self.ids.iter().position(|&id| id == product_id)
        } else {
            self.index.get(&product_id).copied()
        }
    }

    /// Puts the lines from `from` on in the id map.
    fn reindex_from(&mut self, from: usize) {
        for (i, &id) in self.ids.iter().enumerate().skip(from) {
            self.index.insert(id, i);
        }
    }

    /// Sets a line's quantity. Zero or less is refused (remove the line instead).
    pub fn set_quantity(&mut self, index: usize, quantity: Quantity) -> Result<(), CartError> {
        let line = self.lines.get(index).ok_or(CartError::NoSuchLine)?;
        quantity.validate_for(line.unit)?;
        let amounts = amounts_of(line.unit_price, quantity, line.discount)?;
        self.put_amounts(index, amounts)?;
        self.lines[index].quantity = quantity;
        Ok(())
    }

    /// Sets a line's unit price and cost (the catalog changed while the cart was open). A
    /// line discount that no longer fits is refused and nothing changes.
    pub fn set_unit_price(
        &mut self,
        index: usize,
        unit_price: Money,
        unit_cost: Money,
    ) -> Result<(), CartError> {
        let line = self.lines.get(index).ok_or(CartError::NoSuchLine)?;
        let amounts = amounts_of(unit_price, line.quantity, line.discount)?;
        self.put_amounts(index, amounts)?;
        self.lines[index].unit_price = unit_price;
        self.lines[index].unit_cost = unit_cost;
        Ok(())
    }

    pub fn remove(&mut self, index: usize) -> Result<CartLine, CartError> {
        if index >= self.lines.len() {
            return Err(CartError::NoSuchLine);
        }
        let removed = self.lines.remove(index);
        let (gross, disc) = self.amounts.remove(index);
        self.ids.remove(index);
        // The sums held these amounts (all non-negative), so taking them off cannot overflow.
        self.subtotal -= gross;
        self.line_discounts -= disc;
        if self.lines.len() > SCAN_LIMIT {
            self.index.remove(&removed.product_id);
            self.reindex_from(index);
        } else {
            self.index.clear();
        }
        Ok(removed)
    }

    /// Sets a line discount; refused (and nothing changes) when it exceeds the line.
    pub fn set_line_discount(&mut self, index: usize, discount: Discount) -> Result<(), CartError> {
        let line = self.lines.get(index).ok_or(CartError::NoSuchLine)?;
        let amounts = amounts_of(line.unit_price, line.quantity, discount)?;
        self.put_amounts(index, amounts)?;
        self.lines[index].discount = discount;
        Ok(())
    }

    /// Sets the sale discount; refused (and nothing changes) when it exceeds the lines' sum.
    pub fn set_sale_discount(&mut self, discount: Discount) -> Result<(), CartError> {
        let previous = self.sale_discount;
        self.sale_discount = discount;
        if let Err(e) = self.totals() {
            self.sale_discount = previous;
            return Err(e);
        }
        Ok(())
    }

    /// The cart's sums: constant time (the line sums are kept as lines change), never
    /// allocates.
    pub fn totals(&self) -> Result<Totals, CartError> {
        let (subtotal, line_discounts) = (self.subtotal, self.line_discounts);
        if subtotal > MAX_MONEY.0 {
            return Err(CartError::Overflow);
        }
        let after_lines = Money(subtotal - line_discounts);
        let sale_discount = self.sale_discount.amount_of(after_lines)?;
        Ok(Totals {
            subtotal: Money(subtotal),
            line_discounts: Money(line_discounts),
            sale_discount,
            total: Money(after_lines.0 - sale_discount.0),
        })
    }

    /// Every line's stored amounts, the sale discount shared across lines so that the line
    /// totals add up to [`Totals::total`] exactly.
    pub fn line_amounts(&self) -> Result<(Totals, Vec<LineAmounts>), CartError> {
        let totals = self.totals()?;
        let mut out = Vec::with_capacity(self.lines.len());
        let mut nets = Vec::with_capacity(self.lines.len());
        for &(gross, disc) in &self.amounts {
            nets.push(gross - disc);
            out.push(LineAmounts {
                gross: Money(gross),
                line_discount: Money(disc),
                sale_discount_share: Money::ZERO,
                total: Money(gross - disc),
            });
        }
        let shares = allocate(totals.sale_discount.0, &nets);
        for (amounts, share) in out.iter_mut().zip(shares) {
            amounts.sale_discount_share = Money(share);
            amounts.total = Money(amounts.total.0 - share);
        }
        Ok((totals, out))
    }
}

/// Splits `amount` across `weights` in proportion, by the largest remainder method: the parts
/// add up to `amount` exactly, no part exceeds its weight's proportional ceiling, and ties go
/// to the earlier weight. Weights must be non-negative; with a zero sum the parts are zero
/// (the caller never allocates a positive amount over nothing, since a discount cannot
/// exceed its base).
pub fn allocate(amount: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|&w| i128::from(w.max(0))).sum();
    if sum == 0 || amount == 0 {
        return vec![0; weights.len()];
    }
    let amount_i = i128::from(amount);
    let mut parts: Vec<i64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let exact = amount_i * i128::from(w.max(0));
        let part = exact / sum;
        parts.push(part as i64);
        remainders.push((exact % sum, i));
        given += part;
    }
    let mut left = amount_i - given;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i32, price_som: i64, qty: Quantity) -> CartLine {
        CartLine {
            product_id: id,
            name: format!("product {id}").into(),
            unit: Unit::Piece,
            unit_price: Money::from_major(price_som),
            unit_cost: Money::from_major(price_som / 2),
            quantity: qty,
            discount: Discount::None,
        }
    }

    #[test]
    fn add_merges_the_same_product() {
        let mut cart = Cart::new();
        assert_eq!(cart.add(line(1, 5_000, Quantity::units(1))), Ok(0));
        assert_eq!(cart.add(line(2, 3_000, Quantity::units(2))), Ok(1));
        assert_eq!(cart.add(line(1, 5_000, Quantity::units(2))), Ok(0));
        assert_eq!(cart.len(), 2);
        assert_eq!(cart.lines[0].quantity, Quantity::units(3));
        let t = cart.totals().unwrap();
        assert_eq!(t.subtotal, Money::from_major(21_000));
        assert_eq!(t.total, Money::from_major(21_000));
    }

    #[test]
    fn refuses_bad_quantities_without_change() {
        let mut cart = Cart::new();
        assert!(cart.add(line(1, 5_000, Quantity(0))).is_err());
        assert!(cart.add(line(1, 5_000, Quantity(-1000))).is_err());
        assert!(cart.add(line(1, 5_000, Quantity(1500))).is_err());
        assert!(cart.is_empty());
        cart.add(line(1, 5_000, Quantity::units(1))).unwrap();
        assert!(cart.set_quantity(0, Quantity(0)).is_err());
        assert!(cart.set_quantity(0, MAX_QUANTITY).is_ok());
        assert!(
            cart.add(line(1, 5_000, Quantity::units(1))).is_err(),
            "merge beyond the maximum is refused"
        );
        assert_eq!(cart.lines[0].quantity, MAX_QUANTITY);
        assert_eq!(
            cart.set_quantity(5, Quantity(1000)),
            Err(CartError::NoSuchLine)
        );
        assert_eq!(cart.remove(5), Err(CartError::NoSuchLine));
    }

    #[test]
    fn weighed_line_rounds_once() {
        let mut cart = Cart::new();
        let mut l = line(1, 0, Quantity(1235));
        l.unit = Unit::Weight;
        l.unit_price = Money(3_200_000);
        cart.add(l).unwrap();
        assert_eq!(cart.totals().unwrap().total, Money(3_952_000));
    }

    #[test]
    fn line_and_sale_discounts() {
        let mut cart = Cart::new();
        cart.add(line(1, 10_000, Quantity::units(2))).unwrap(); // 20 000
        cart.add(line(2, 5_000, Quantity::units(1))).unwrap(); // 5 000
        cart.set_line_discount(0, Discount::Amount(Money::from_major(2_000)))
            .unwrap();
        cart.set_sale_discount(Discount::Percent(1_000)).unwrap(); // 10 %
        let t = cart.totals().unwrap();
        assert_eq!(t.subtotal, Money::from_major(25_000));
        assert_eq!(t.line_discounts, Money::from_major(2_000));
        assert_eq!(t.sale_discount, Money::from_major(2_300));
        assert_eq!(t.total, Money::from_major(20_700));
        let (_, lines) = cart.line_amounts().unwrap();
        let sum: i64 = lines.iter().map(|l| l.total.0).sum();
        assert_eq!(sum, t.total.0);
        assert_eq!(lines[0].sale_discount_share, Money::from_major(1_800));
        assert_eq!(lines[1].sale_discount_share, Money::from_major(500));
    }

    #[test]
    fn too_large_discounts_are_refused_and_leave_the_cart_as_it_was() {
        let mut cart = Cart::new();
        cart.add(line(1, 1_000, Quantity::units(1))).unwrap();
        assert_eq!(
            cart.set_line_discount(0, Discount::Amount(Money::from_major(1_001))),
            Err(CartError::DiscountTooLarge)
        );
        assert_eq!(
            cart.set_sale_discount(Discount::Percent(10_001)),
            Err(CartError::DiscountTooLarge)
        );
        assert_eq!(
            cart.set_sale_discount(Discount::Amount(Money(-1))),
            Err(CartError::NegativeDiscount)
        );
        assert_eq!(cart.sale_discount, Discount::None);
        assert_eq!(cart.lines[0].discount, Discount::None);
        cart.set_sale_discount(Discount::Percent(10_000)).unwrap();
        assert_eq!(cart.totals().unwrap().total, Money::ZERO);
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let mut cart = Cart::new();
        let mut l = line(1, 0, Quantity::units(1));
        l.unit_price = Money(i64::MAX / 2);
        assert_eq!(cart.add(l), Err(CartError::Overflow));
        assert!(cart.is_empty());
    }

    #[test]
    fn kept_amounts_always_match_the_lines() {
        // A pseudo-random walk of adds, quantity changes, discounts and removals; after each
        // step the totals must equal a fresh computation from the lines themselves.
        let mut cart = Cart::new();
        let mut x: u64 = 12345;
        for _ in 0..2_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Up to 40 products: past SCAN_LIMIT lines too.
            let id = (x >> 33) as i32 % 40;
            let _ = match (x >> 20) % 4 {
                0 => cart
                    .add(line(
                        id,
                        1_000 + i64::from(id) * 250,
                        Quantity::units(1 + (x % 3) as i64),
                    ))
                    .map(drop),
                1 if !cart.is_empty() => cart.set_quantity(
                    (x as usize) % cart.len(),
                    Quantity::units(1 + (x % 5) as i64),
                ),
                2 if !cart.is_empty() => cart.set_line_discount(
                    (x as usize) % cart.len(),
                    Discount::Amount(Money::from_major((x % 3000) as i64)),
                ),
                3 if !cart.is_empty() => cart.remove((x as usize) % cart.len()).map(drop),
                _ => Ok(()),
            };
            let mut sub = 0;
            let mut disc = 0;
            for l in cart.lines() {
                let g = l.gross().unwrap();
                sub += g.0;
                disc += l.discount.amount_of(g).unwrap().0;
            }
            let t = cart.totals().unwrap();
            assert_eq!((t.subtotal.0, t.line_discounts.0), (sub, disc));
        }
    }

    #[test]
    fn a_smaller_quantity_cannot_leave_a_discount_above_its_line() {
        let mut cart = Cart::new();
        cart.add(line(1, 1_000, Quantity::units(3))).unwrap();
        cart.set_line_discount(0, Discount::Amount(Money::from_major(2_500)))
            .unwrap();
        assert_eq!(
            cart.set_quantity(0, Quantity::units(2)),
            Err(CartError::DiscountTooLarge)
        );
        assert_eq!(cart.lines()[0].quantity, Quantity::units(3));
        assert_eq!(cart.totals().unwrap().total, Money::from_major(500));
    }

    #[test]
    fn allocation_is_exact_and_proportional() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate(0, &[5, 5]), vec![0, 0]);
        assert_eq!(allocate(10, &[0, 0]), vec![0, 0]);
        assert_eq!(allocate(7, &[10, 0, 4]), vec![5, 0, 2]);
        for amount in [1, 7, 99, 1_000_003] {
            let weights = [3, 17, 0, 250, 1];
            let parts = allocate(amount, &weights);
            assert_eq!(parts.iter().sum::<i64>(), amount);
        }
    }

    #[test]
    fn lines_are_found_across_the_scan_limit_both_ways() {
        // Below SCAN_LIMIT lines are looked through, above it found by the id map; adding a
        // product again must merge into its line on either side, as lines come and go.
        let mut cart = Cart::new();
        let merges_into = |cart: &mut Cart, id: i32| {
            let i = cart.add(line(id, 1_000, Quantity::units(1))).unwrap();
            assert_eq!(cart.lines()[i].product_id, id);
            i
        };
        for id in 1..=40 {
            assert_eq!(merges_into(&mut cart, id), (id - 1) as usize);
        }
        for id in 1..=40 {
            assert_eq!(merges_into(&mut cart, id), (id - 1) as usize);
        }
        assert_eq!(cart.len(), 40);
        // Take lines off the front (every later line shifts) down to below the limit.
        while cart.len() > 5 {
            let gone = cart.remove(0).unwrap().product_id;
            for l in 0..cart.len() {
                let id = cart.lines()[l].product_id;
                assert_eq!(merges_into(&mut cart, id), l);
            }
            // The removed product comes back as a new last line, then goes again.
            let back = merges_into(&mut cart, gone);
            assert_eq!(back, cart.len() - 1);
            cart.remove(back).unwrap();
        }
        assert_eq!(cart.len(), 5);
        let total: i64 = cart.lines().iter().map(|l| l.quantity.0).sum();
        assert!(total > 5 * 1000);
        assert_eq!(
            cart.totals().unwrap().subtotal.0,
            Money::from_major(1_000).0 * total / 1000
        );
    }

    #[test]
    fn remove_and_clear() {
        let mut cart = Cart::new();
        cart.add(line(1, 1_000, Quantity::units(1))).unwrap();
        cart.add(line(2, 2_000, Quantity::units(1))).unwrap();
        let removed = cart.remove(0).unwrap();
        assert_eq!(removed.product_id, 1);
        // The index follows the shifted lines: adding product 2 again merges into line 0.
        assert_eq!(cart.add(line(2, 2_000, Quantity::units(1))), Ok(0));
        assert_eq!(cart.lines()[0].quantity, Quantity::units(2));
        cart.remove(0).unwrap();
        cart.add(line(2, 2_000, Quantity::units(1))).unwrap();
        assert_eq!(cart.totals().unwrap().total, Money::from_major(2_000));
        cart.set_sale_discount(Discount::Percent(500)).unwrap();
        cart.clear();
        assert!(cart.is_empty());
        assert_eq!(cart.sale_discount, Discount::None);
        assert_eq!(cart.totals().unwrap(), Totals::default());
    }
}
