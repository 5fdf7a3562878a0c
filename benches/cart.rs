//! Cart benchmarks at 10, 100 and 1000 lines, with line and sale discounts: what one scan
//! costs (a line added to a cart of that many, and the totals shown), filling a cart from
//! empty with a split tender, the totals alone; next to them, the floor: a bare loop summing
//! the same i64 prices × quantities.

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use kassa::domain::cart::{Cart, CartLine, Discount};
use kassa::domain::payment::{PaymentMethod, TenderInput, settle};
use kassa::domain::{Money, Quantity, Unit};

fn lines(n: usize) -> Vec<CartLine> {
    (0..n)
        .map(|i| CartLine {
            product_id: i as i32,
            name: format!("Mahsulot {i}").into(),
            unit: if i % 5 == 0 {
                Unit::Weight
            } else {
                Unit::Piece
            },
            unit_price: Money::from_major(1_000 + (i as i64 * 37) % 50_000),
            unit_cost: Money::from_major(800 + (i as i64 * 29) % 40_000),
            quantity: if i % 5 == 0 {
                Quantity(1_235)
            } else {
                Quantity::units(1 + (i as i64 % 3))
            },
            discount: if i % 7 == 0 {
                Discount::Percent(500)
            } else {
                Discount::None
            },
        })
        .collect()
}

fn bench_cart(c: &mut Criterion) {
    let mut group = c.benchmark_group("cart");
    for n in [10usize, 100, 1000] {
        let input = lines(n);
        group.bench_with_input(BenchmarkId::new("fill_and_total", n), &input, |b, input| {
            b.iter(|| {
                let mut cart = Cart::new();
                cart.reserve(input.len());
                for l in input {
                    cart.add(l.clone()).expect("add");
                }
                cart.set_sale_discount(Discount::Percent(300))
                    .expect("discount");
                let t = cart.totals().expect("totals");
                let card = Money(t.total.0 / 3);
                let s = settle(
                    t.total,
                    &[
                        TenderInput {
                            method: PaymentMethod::Card,
                            amount: card,
                            channel: None,
                        },
                        TenderInput {
                            method: PaymentMethod::Cash,
                            amount: Money(t.total.0 - card.0 + 100_000),
                            channel: None,
                        },
                    ],
                )
                .expect("settle");
                black_box((t, s))
            })
        });

        let mut cart = Cart::new();
        for l in &input {
            cart.add(l.clone()).expect("add");
        }
        cart.set_sale_discount(Discount::Percent(300))
            .expect("discount");
        // One scan at the till: the product goes onto a cart already holding n lines and
        // the screen shows the new totals. Each run gets its own copy of the cart (made
        // untimed, 64 at a time so they are still in cache, each with room for the line as a
        // growing cart mostly has; the line is built untimed too, as the till builds it from
        // the catalog); the copies are dropped untimed.
        let scanned = CartLine {
            product_id: n as i32 + 1,
            ..input[1].clone()
        };
        group.bench_with_input(BenchmarkId::new("scan_and_total", n), &cart, |b, cart| {
            b.iter_batched_ref(
                || {
                    let mut c = cart.clone();
                    c.reserve(1);
                    (c, Some(scanned.clone()))
                },
                |(c, line)| {
                    if let Some(line) = line.take() {
                        c.add(line).expect("add");
                    }
                    c.totals().expect("totals")
                },
                BatchSize::NumIterations(64),
            )
        });
        group.bench_with_input(BenchmarkId::new("totals", n), &cart, |b, cart| {
            b.iter(|| black_box(cart.totals().expect("totals")))
        });
        group.bench_with_input(BenchmarkId::new("line_amounts", n), &cart, |b, cart| {
            b.iter(|| black_box(cart.line_amounts().expect("amounts")))
        });

        let pairs: Vec<(i64, i64)> = input
            .iter()
            .map(|l| (l.unit_price.0, l.quantity.0))
            .collect();
        group.bench_with_input(BenchmarkId::new("bare_loop_sum", n), &pairs, |b, pairs| {
            b.iter(|| {
                let mut s: i64 = 0;
                for &(p, q) in black_box(pairs) {
                    s += p * q / 1000;
                }
                black_box(s)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_cart);
criterion_main!(benches);
