//! `kassa check`: every invariant of the data, verified on a whole database, and backups.

use std::path::{Path, PathBuf};

use crate::store::db::prelude::*;

use super::settings::{get, keys};
use super::{Actor, App, AppResult, audit};
use crate::store::backup;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

/// (what is checked, query listing the offending rows as text, at most 10), in SQL both
/// engines read; [`FILE_ONLY`] and [`TRIGGERS`] hold the parts that differ.
const CHECKS: &[(&str, &str)] = &[
    (
        "stock = sum of movements",
        "SELECT 'product ' || p.id || ' (' || p.name || '): stock ' || p.stock || ', movements ' || COALESCE(SUM(m.quantity), 0) AS t
         FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id GROUP BY p.id HAVING p.stock <> COALESCE(SUM(m.quantity), 0) LIMIT 10",
    ),
    (
        "no negative stock (unless allowed by stock.allow_negative, or sold at a till while the server was away)",
        "SELECT 'product ' || p.id || ' (' || p.name || '): stock ' || p.stock AS t FROM products p WHERE p.stock < 0 \
         AND COALESCE((SELECT value FROM settings WHERE key = 'stock.allow_negative'), 'no') <> 'yes' \
         AND NOT EXISTS (SELECT 1 FROM sale_items i JOIN audit_logs a ON a.entity = 'sale' AND a.entity_id = i.sale_id \
             AND a.action = 'sale.negative_stock' AND a.after_json LIKE '%\"offline\":true%' WHERE i.product_id = p.id) LIMIT 10",
    ),
    (
        "sale lines add up to the sale",
        "SELECT 'sale ' || s.id || ': total ' || s.total || ', lines ' || COALESCE((SELECT SUM(line_total) FROM sale_items i WHERE i.sale_id = s.id), 0) AS t
         FROM sales s WHERE s.total <> COALESCE((SELECT SUM(line_total) FROM sale_items i WHERE i.sale_id = s.id), 0) LIMIT 10",
    ),
    (
        "tenders add up to the sale",
        "SELECT 'sale ' || s.id || ': total ' || s.total || ', tenders ' || COALESCE((SELECT SUM(amount) FROM sale_payments p WHERE p.sale_id = s.id), 0) AS t
         FROM sales s WHERE s.total <> COALESCE((SELECT SUM(amount) FROM sale_payments p WHERE p.sale_id = s.id), 0) LIMIT 10",
    ),
    (
        "every sale line has its stock movement",
        "SELECT 'sale ' || i.sale_id || ' product ' || i.product_id AS t FROM sale_items i
         WHERE NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.sale_id = i.sale_id AND m.product_id = i.product_id AND m.kind = 'sale') LIMIT 10",
    ),
    (
        "credit sales are in the customer's ledger",
        "SELECT 'sale ' || p.sale_id || ': nasiya ' || p.amount AS t FROM sale_payments p JOIN sales s ON s.id = p.sale_id
         WHERE p.method = 'nasiya' AND NOT EXISTS (SELECT 1 FROM client_ledger l WHERE l.sale_id = p.sale_id AND l.kind = 'credit_sale' AND l.amount = -p.amount) LIMIT 10",
    ),
    (
        "ledger signs",
        "SELECT 'ledger row ' || id || ': ' || kind || ' ' || amount AS t FROM client_ledger
         WHERE (kind = 'credit_sale' AND amount >= 0) OR (kind IN ('payment', 'refund') AND amount <= 0) LIMIT 10",
    ),
    (
        // Only a return can take what is owed below zero (the supplier then owes the shop).
        "payments to a supplier never exceed its opening balance and supplies",
        "SELECT 'supplier ' || s.id || ' (' || s.name || '): paid ' ||
                COALESCE((SELECT SUM(amount) FROM supplier_payments p WHERE p.supplier_id = s.id), 0) AS t
         FROM suppliers s
         WHERE s.opening_balance + COALESCE((SELECT SUM(total_cost) FROM supplies u WHERE u.supplier_id = s.id), 0)
             < COALESCE((SELECT SUM(amount) FROM supplier_payments p WHERE p.supplier_id = s.id), 0) LIMIT 10",
    ),
    (
        "a return to a supplier: its total is its lines, each line its stock movement",
        "SELECT 'supplier return ' || r.id AS t FROM supplier_returns r
         WHERE r.total_cost <> COALESCE((SELECT SUM((i.quantity * i.unit_cost + 500) / 1000) FROM supplier_return_items i WHERE i.return_id = r.id), 0)
            OR EXISTS (SELECT 1 FROM supplier_return_items i WHERE i.return_id = r.id
                       AND (SELECT SUM(j.quantity) FROM supplier_return_items j WHERE j.return_id = r.id AND j.product_id = i.product_id)
                           <> -COALESCE((SELECT SUM(m.quantity) FROM stock_movements m WHERE m.return_id = r.id AND m.product_id = i.product_id), 0))
            OR EXISTS (SELECT 1 FROM stock_movements m WHERE m.return_id = r.id
                       AND NOT EXISTS (SELECT 1 FROM supplier_return_items i WHERE i.return_id = r.id AND i.product_id = m.product_id)) LIMIT 10",
    ),
    (
        "a received purchase order names a supply of its supplier",
        "SELECT 'order ' || o.id AS t FROM purchase_orders o JOIN supplies u ON u.id = o.supply_id
         WHERE u.supplier_id IS DISTINCT FROM o.supplier_id LIMIT 10",
    ),
    (
        "a supplier payment with a supply pays that supply's supplier",
        "SELECT 'supplier payment ' || p.id AS t FROM supplier_payments p JOIN supplies u ON u.id = p.supply_id
         WHERE u.supplier_id IS DISTINCT FROM p.supplier_id LIMIT 10",
    ),
    (
        "sale lines carry their sale's time and refund",
        "SELECT 'sale line ' || i.id AS t FROM sale_items i JOIN sales s ON s.id = i.sale_id
         WHERE i.sold_at <> s.created_at OR i.refunded <> (i.refund_id IS NOT NULL)
            OR (s.refunded_at IS NOT NULL AND i.refunded = FALSE) LIMIT 10",
    ),
    (
        "refunded amounts add up (sale, lines, tenders, refunds)",
        "SELECT 'sale ' || s.id || ': refunded ' || s.refunded_amount AS t FROM sales s
         WHERE s.refunded_amount <> COALESCE((SELECT SUM(line_total) FROM sale_items i WHERE i.sale_id = s.id AND i.refunded = TRUE), 0)
            OR s.refunded_amount <> COALESCE((SELECT SUM(refunded) FROM sale_payments p WHERE p.sale_id = s.id), 0)
            OR s.refunded_amount <> COALESCE((SELECT SUM(amount) FROM refunds r WHERE r.sale_id = s.id), 0)
            OR (s.refunded_at IS NOT NULL AND s.refunded_amount <> s.total) LIMIT 10",
    ),
    (
        "a refund gives back what it took",
        "SELECT 'refund ' || r.id AS t FROM refunds r
         WHERE r.amount <> COALESCE((SELECT SUM(amount) FROM refund_payments q WHERE q.refund_id = r.id), 0)
            OR r.amount <> COALESCE((SELECT SUM(line_total) FROM sale_items i WHERE i.refund_id = r.id), 0) LIMIT 10",
    ),
    (
        "no tender gives back more than it took",
        "SELECT 'sale payment ' || id AS t FROM sale_payments WHERE refunded < 0 OR refunded > amount LIMIT 10",
    ),
    (
        "print jobs: done exactly when printed",
        "SELECT 'print job ' || id || ': ' || status AS t FROM print_jobs WHERE (status = 'done') <> (printed_at IS NOT NULL) LIMIT 10",
    ),
    (
        "at most one receipt job per sale",
        "SELECT 'sale ' || sale_id || ': ' || COUNT(*) || ' receipt jobs' AS t FROM print_jobs WHERE kind = 'receipt' GROUP BY sale_id HAVING COUNT(*) > 1 LIMIT 10",
    ),
    (
        // `sent_at` is when a request was made: an uncertain message (its answer never came)
        // and one tried again later have one too.
        "Telegram messages marked sent have their send time",
        "SELECT 'telegram message ' || id || ': ' || status AS t FROM telegram_outbox WHERE status = 'sent' AND sent_at IS NULL LIMIT 10",
    ),
    (
        "every logged reminder has its message",
        "SELECT 'reminder ' || r.id || ' (customer ' || r.client_id || ')' AS t FROM reminders_sent r
         WHERE r.outbox_id IS NULL OR NOT EXISTS (SELECT 1 FROM telegram_outbox o WHERE o.id = r.outbox_id AND o.kind = 'reminder' AND o.client_id = r.client_id) LIMIT 10",
    ),
    (
        "one open shift per employee",
        "SELECT 'employee ' || employee_id || ': ' || COUNT(*) || ' open shifts' AS t FROM shifts WHERE closed_at IS NULL GROUP BY employee_id HAVING COUNT(*) > 1",
    ),
    (
        "no drawer is expected to hold less than nothing",
        "SELECT 'shift ' || id || ': expected ' || expected AS t FROM (
           SELECT s.id, s.opening_cash
             + COALESCE((SELECT SUM(p.amount) FROM sale_payments p JOIN sales a ON a.id = p.sale_id
                         WHERE a.shift_id = s.id AND p.method = 'cash'), 0)
             - COALESCE((SELECT SUM(q.amount) FROM refund_payments q JOIN refunds r ON r.id = q.refund_id
                         WHERE r.shift_id = s.id AND q.method = 'cash'), 0)
             + COALESCE((SELECT SUM(l.amount) FROM client_ledger l
                         WHERE l.shift_id = s.id AND l.kind = 'payment' AND l.method = 'cash'), 0)
             - COALESCE((SELECT SUM(u.amount) FROM supplier_payments u
                         WHERE u.shift_id = s.id AND u.method = 'cash'), 0) AS expected
           FROM shifts s) d WHERE expected < 0 LIMIT 10",
    ),
    (
        "closed shifts: difference = counted - expected",
        "SELECT 'shift ' || id AS t FROM shifts WHERE closed_at IS NOT NULL AND counted_cash IS NOT NULL AND difference <> counted_cash - expected_cash LIMIT 10",
    ),
];

/// What only a file needs checked: its foreign keys (PostgreSQL enforces them always).
const FILE_ONLY: &[(&str, &str)] = &[(
    "foreign keys",
    "SELECT \"table\" || ' row ' || rowid || ' -> ' || parent AS t FROM pragma_foreign_key_check LIMIT 10",
)];

/// The triggers that guard the data, looked up in each engine's catalog: `{}` is the
/// engine's query of a trigger named `n.name`.
const GUARDS: &str = "SELECT 'trigger ' || n.name || ' is missing' AS t FROM (
           SELECT 'audit_logs_append_only_update' AS name UNION ALL SELECT 'audit_logs_append_only_delete'
           UNION ALL SELECT 'catalog_product_insert' UNION ALL SELECT 'catalog_product_update'
           UNION ALL SELECT 'catalog_product_delete' UNION ALL SELECT 'catalog_barcode_insert'
           UNION ALL SELECT 'catalog_barcode_update' UNION ALL SELECT 'catalog_barcode_delete') n
         WHERE NOT EXISTS ({})";
const GUARDS_NAME: &str =
    "the database's own guards are in place (audit log append-only, catalog changes)";
/// Each engine's catalog of triggers: (SQLite, PostgreSQL).
const TRIGGERS: (&str, &str) = (
    "SELECT 1 FROM sqlite_master m WHERE m.type = 'trigger' AND m.name = n.name",
    "SELECT 1 FROM pg_trigger g WHERE NOT g.tgisinternal AND g.tgname = n.name",
);

/// SQLite's own check of the file: `quick_check` reads every page and record (about a
/// second on a year of a busy shop); `integrity_check` also cross-checks every index entry
/// against its table (about ten seconds on the same file), for `kassa check --full`.
const QUICK: &str = "SELECT quick_check AS t FROM pragma_quick_check WHERE quick_check <> 'ok'";
const FULL: &str =
    "SELECT integrity_check AS t FROM pragma_integrity_check WHERE integrity_check <> 'ok'";

/// Runs `checks` on `conn`; the ones that found something, with what they found.
fn run_checks(
    conn: &mut crate::store::db::Db,
    checks: &[(&str, &str)],
) -> AppResult<Vec<(String, Vec<String>)>> {
    let mut found = Vec::new();
    for (name, sql) in checks {
        let rows: Vec<Row> = diesel::sql_query(*sql).load(conn)?;
        if !rows.is_empty() {
            found.push((name.to_string(), rows.into_iter().map(|r| r.t).collect()));
        }
    }
    Ok(found)
}

impl App {
    /// Runs every check with SQLite's quick check; returns (check, problems) for each check
    /// that found something. An empty list means the database is sound.
    pub fn check(&mut self) -> AppResult<Vec<(String, Vec<String>)>> {
        self.check_with(false)
    }

    /// Runs every check (`full`: SQLite's complete `integrity_check` instead of the quick
    /// one). The invariants are split over this connection and a second read-only one on
    /// another thread, so the two cores share the work.
    pub fn check_with(&mut self, full: bool) -> AppResult<Vec<(String, Vec<String>)>> {
        if self.conn.is_postgres() {
            // One connection on a server (PostgreSQL checks its own pages and foreign keys).
            let guards = GUARDS.replace("{}", TRIGGERS.1);
            let mut checks: Vec<(&str, &str)> = CHECKS.to_vec();
            checks.push((GUARDS_NAME, &guards));
            let mut all = run_checks(&mut self.conn, &checks)?;
            self.add_audit_check(&mut all)?;
            return Ok(all);
        }
        let sqlite: (&str, &str) = ("SQLite integrity", if full { FULL } else { QUICK });
        let guards = GUARDS.replace("{}", TRIGGERS.0);
        // The two heaviest (foreign keys, stock = movements) and SQLite's own check on the
        // other thread; the rest here.
        let mut theirs: Vec<(&str, &str)> = vec![sqlite];
        theirs.extend_from_slice(FILE_ONLY);
        theirs.push(CHECKS[0]);
        let mut ours: Vec<(&str, &str)> = CHECKS[1..].to_vec();
        ours.push((GUARDS_NAME, &guards));
        let path = self.path.clone();
        let (here, other) = std::thread::scope(|scope| {
            let other = scope.spawn(|| -> AppResult<Vec<(String, Vec<String>)>> {
                let mut second = App::open_read_only(&path)?.for_full_scans()?;
                run_checks(&mut second.conn, &theirs)
            });
            let here = run_checks(&mut self.conn, &ours);
            let other = other.join().unwrap_or_else(|_| {
                Err(super::AppError::invalid(
                    "check",
                    "the checking thread stopped",
                ))
            });
            (here, other)
        });
        let mut all = other?;
        all.extend(here?);
        self.add_audit_check(&mut all)?;
        Ok(all)
    }

    fn add_audit_check(&mut self, all: &mut Vec<(String, Vec<String>)>) -> AppResult<()> {
        if let (Some(broken), _) = self.verify_audit()? {
            all.push((
                "audit log hash chain".into(),
                vec![format!("row {}: {}", broken.id, broken.reason)],
            ));
        }
        Ok(())
    }

    /// The backup folder: the `backup.dir` setting, or `backups/` beside the database.
    pub fn backup_dir(&mut self) -> PathBuf {
        match get(&mut self.conn, keys::BACKUP_DIR)
            .ok()
            .flatten()
            .filter(|d| !d.trim().is_empty())
        {
            Some(d) => PathBuf::from(d.trim()),
            None => self.path.parent().unwrap_or(Path::new(".")).join("backups"),
        }
    }

    /// Takes a backup into `dir` (default: [`App::backup_dir`]), keeps the newest `keep`,
    /// and (on a read-write connection) records it in the audit log. The backup itself
    /// records the audit chain's anchor it was taken at.
    pub fn backup(&mut self, dir: Option<&Path>, keep: usize) -> AppResult<backup::Written> {
        let dir = dir
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.backup_dir());
        let tz = self.time_zone();
        let now = self.now();
        let file = self.conn.sqlite().ok_or(super::AppError::FileOnly)?;
        let written = backup::backup_into(file, &dir, now, tz)?;
        let pruned = backup::prune(&dir, keep, &self.path);
        if !self.is_read_only() {
            let file = written.path.display().to_string();
            let anchor = written.anchor.clone();
            self.immediate(|conn| {
                audit::record(
                    conn,
                    &Actor::system("backup"),
                    now.naive_utc(),
                    "database.backup",
                    "database",
                    None,
                    None,
                    Some(serde_json::json!({ "file": file, "pruned": pruned, "anchor": anchor })),
                )
            })?;
        }
        Ok(written)
    }

    /// The automatic daily backup: takes one if no sound backup was taken today (shop's
    /// date); a missing or damaged one is taken again at the next call.
    pub fn daily_backup_if_due(&mut self, keep: usize) -> AppResult<Option<PathBuf>> {
        let dir = self.backup_dir();
        let tz = self.time_zone();
        if backup::has_backup_on(&dir, self.now(), tz) {
            return Ok(None);
        }
        self.backup(Some(&dir), keep).map(|w| Some(w.path))
    }
}
