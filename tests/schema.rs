//! `src/store/schema.rs` must match what `diesel print-schema` prints for the migrated
//! database. Without diesel_cli in CI, this test reads the schema file and compares each
//! table's columns, types and nullability with SQLite's own description of the migrated
//! database, using diesel's type mapping for the types the migrations use.

mod common;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

#[derive(QueryableByName, Debug)]
struct Col {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    #[diesel(column_name = type_)]
    type_: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn diesel_type(sql: &str, notnull: bool) -> String {
    let base = match sql.to_uppercase().as_str() {
        "INTEGER" => "Integer",
        "BIGINT" => "BigInt",
        "TEXT" => "Text",
        "BOOLEAN" => "Bool",
        "TIMESTAMP" => "Timestamp",
        "DATE" => "Date",
        other => panic!("no diesel mapping for {other}"),
    };
    if notnull {
        base.to_string()
    } else {
        format!("Nullable<{base}>")
    }
}

/// Parses `diesel::table! { name (pk) { col -> Type, ... } }` blocks.
fn parse_schema(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tables = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line != "diesel::table! {" {
            continue;
        }
        let header = lines.next().expect("table header");
        let name = header.split_whitespace().next().expect("name").to_string();
        let mut cols = Vec::new();
        for l in lines.by_ref() {
            if l == "}" {
                break;
            }
            if let Some((c, t)) = l.trim_end_matches(',').split_once(" -> ") {
                cols.push((c.trim().to_string(), t.trim().to_string()));
            }
        }
        tables.push((name, cols));
    }
    tables
}

#[test]
fn schema_rs_matches_the_migrated_database() {
    let (_dir, mut app) = common::fresh();
    let conn = app.connection();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/schema.rs"))
        .unwrap();
    let parsed = parse_schema(&text);
    let mut db_tables: Vec<String> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load::<Name>(conn)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect();
    db_tables.sort();
    let mut file_tables: Vec<String> = parsed.iter().map(|t| t.0.clone()).collect();
    file_tables.sort();
    assert_eq!(
        file_tables, db_tables,
        "tables differ between schema.rs and the migrations"
    );
    for (table, cols) in parsed {
        let db_cols: Vec<Col> = diesel::sql_query(format!(
            "SELECT name, type AS type_, \"notnull\", pk FROM pragma_table_info('{table}')"
        ))
        .load(conn)
        .unwrap();
        let expected: Vec<(String, String)> = db_cols
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    diesel_type(&c.type_, c.notnull == 1 || c.pk == 1),
                )
            })
            .collect();
        assert_eq!(
            cols, expected,
            "columns of {table} differ: run diesel print-schema (see diesel.toml)"
        );
    }
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// The period queries of the statistics, dashboard and reports (sales of a period that are
/// not refunded) must read the period's range of `sales_stats`. Before migration 10 the
/// planner took `refunded_at IS NULL` for an equality on `sales_refunded` and read every
/// unrefunded sale of all time, so a month cost as much as a year.
#[test]
fn period_queries_read_the_periods_range() {
    let (_dir, mut app) = common::fresh();
    let conn = app.connection();
    let mut plan = |sql: &str| -> String {
        diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<PlanRow>(&mut *conn)
            .unwrap()
            .into_iter()
            .map(|r| r.detail)
            .collect::<Vec<_>>()
            .join("; ")
    };
    let totals = plan(
        "SELECT count(*), SUM(total) FROM sales
         WHERE created_at >= ? AND created_at < ? AND refunded_at IS NULL",
    );
    assert!(
        totals.contains("COVERING INDEX sales_stats (created_at>? AND created_at<?)"),
        "{totals}"
    );
    let methods = plan(
        "SELECT p.method, SUM(p.amount) FROM sale_payments p JOIN sales s ON s.id = p.sale_id
         WHERE s.created_at >= ? AND s.created_at < ? AND s.refunded_at IS NULL
         GROUP BY p.method",
    );
    assert!(
        methods.contains("(created_at>? AND created_at<?)"),
        "{methods}"
    );
    let refunds =
        plan("SELECT count(*), SUM(total) FROM sales WHERE refunded_at >= ? AND refunded_at < ?");
    assert!(
        refunds.contains("INDEX sales_refunded (refunded_at>? AND refunded_at<?)"),
        "{refunds}"
    );
    let lines = plan(
        "SELECT product_id, quantity, line_total, cost_total FROM sale_items
         WHERE sold_at >= ? AND sold_at < ? AND refunded = 0",
    );
    assert!(
        lines.contains("COVERING INDEX sale_items_stats (sold_at>? AND sold_at<?)"),
        "{lines}"
    );
}
