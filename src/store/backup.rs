//! Backups of the live database with SQLite's `VACUUM INTO` (a consistent snapshot taken
//! while sales go on; never a file copy of a live file), retention of the newest ones, and
//! checked restores.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::StoreError;

/// Backup files are named `kassa-YYYYMMDD-HHMMSS.db` (shop's local time).
pub const PREFIX: &str = "kassa-";

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Writes a snapshot of the database into `dir`; returns its path.
pub fn backup_into(
    conn: &mut SqliteConnection,
    dir: &Path,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<PathBuf, StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let stamp = now.with_timezone(&tz).format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{PREFIX}{stamp}.db"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{PREFIX}{stamp}-{n}.db"));
        n += 1;
    }
    let target = path.to_string_lossy().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{target}'")).execute(conn)?;
    Ok(path)
}

/// The backups in `dir`, oldest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(".db"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Deletes the oldest backups beyond the newest `keep`; returns how many went.
pub fn prune(dir: &Path, keep: usize) -> usize {
    let files = list(dir);
    let excess = files.len().saturating_sub(keep.max(1));
    files
        .iter()
        .take(excess)
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

/// Whether a backup was already taken on the local date of `now`.
pub fn has_backup_on(dir: &Path, now: DateTime<Utc>, tz: Tz) -> bool {
    let day = format!("{PREFIX}{}", now.with_timezone(&tz).format("%Y%m%d"));
    list(dir).iter().any(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&day))
    })
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

/// Checks that `file` is a sound Kassa database this program can use: an SQLite file,
/// passing `integrity_check`, with no migrations newer than this program.
pub fn check_file(file: &Path) -> Result<(), StoreError> {
    if !file.is_file() {
        return Err(StoreError::Open {
            path: file.display().to_string(),
            reason: "no such file".into(),
        });
    }
    let mut conn = super::connect(file)?;
    let rows: Vec<Text> =
        diesel::sql_query("SELECT integrity_check AS t FROM pragma_integrity_check")
            .load(&mut conn)?;
    if rows.len() != 1 || rows[0].t != "ok" {
        return Err(StoreError::Open {
            path: file.display().to_string(),
            reason: format!(
                "the file is damaged ({})",
                rows.first().map(|r| r.t.as_str()).unwrap_or("?")
            ),
        });
    }
    let has_schema: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT COUNT(*) FROM sqlite_master WHERE name = '__diesel_schema_migrations')",
    ))
    .get_result(&mut conn)?;
    if has_schema == 0 {
        return Err(StoreError::NotSqlite {
            path: file.display().to_string(),
        });
    }
    // Refuses newer schemas without changing the file (no pending migration is run here).
    super::check_not_newer(&mut conn, file)?;
    Ok(())
}

/// Replaces the database at `db` with the backup `file` after checking it. The current
/// database is kept beside it as `<name>.before-restore-<stamp>`; returns that path. The
/// program must not be running on `db` meanwhile.
pub fn restore(db: &Path, file: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>, StoreError> {
    check_file(file)?;
    let kept = if db.exists() {
        let aside = PathBuf::from(format!(
            "{}.before-restore-{}",
            db.display(),
            now.format("%Y%m%d-%H%M%S")
        ));
        // Fold the WAL into the file first, so the kept copy is complete on its own.
        if let Ok(mut conn) = super::connect(db) {
            let _ = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn);
        }
        std::fs::rename(db, &aside).map_err(|e| io(db, e))?;
        for ext in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{ext}", db.display()));
            if side.exists() {
                let _ = std::fs::rename(&side, format!("{}{ext}", aside.display()));
            }
        }
        Some(aside)
    } else {
        None
    };
    std::fs::copy(file, db).map_err(|e| io(db, e))?;
    Ok(kept)
}
