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
