//! Backups of the live database with SQLite's `VACUUM INTO` (a consistent snapshot taken
//! while sales go on; never a file copy of a live file), retention of the newest ones, and
//! checked, atomic restores.
//!
//! A backup is written under a temporary name (`.kassa-….db.partial`, which no listing
//! takes for a backup), checked (integrity and Kassa schema), synced and only then renamed
//! to `kassa-YYYYMMDD-HHMMSS.db`: a killed or failed backup leaves nothing under a backup
//! name. Pruning deletes only files whose whole name has that pattern, inside the backup
//! folder, and never the live database or its side files.

use crate::platform::files::{FileId, identity};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::{OpenMode, StoreError};

/// Backup files are named `kassa-YYYYMMDD-HHMMSS.db` (shop's local time), with `-N` before
/// `.db` when two are taken in one second.
pub const PREFIX: &str = "kassa-";

/// Unfinished backups and restores carry this ending until they are complete.
const PARTIAL: &str = ".partial";

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Whether `name` is exactly a Kassa backup name: `kassa-` 8 digits `-` 6 digits, an
/// optional `-N`, `.db`.
pub fn is_backup_name(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix(PREFIX)
        .and_then(|r| r.strip_suffix(".db"))
    else {
        return false;
    };
    let b = rest.as_bytes();
    if b.len() < 15 || b[8] != b'-' {
        return false;
    }
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if !digits(&b[..8]) || !digits(&b[9..15]) {
        return false;
    }
    match &b[15..] {
        [] => true,
        [b'-', n @ ..] => digits(n),
        _ => false,
    }
}

/// Fsyncs a file written by this module (never the live database) or a folder.
fn sync_path(path: &Path) -> std::io::Result<()> {
    crate::platform::files::sync(path)
}

/// Removes what an interrupted backup or restore left in `dir`: `.partial` files and their
/// `-journal`s.
pub fn remove_leftovers(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(".kassa-")
            && (name.ends_with(PARTIAL) || name.ends_with(&format!("{PARTIAL}-journal")))
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// `VACUUM INTO` a temporary file beside `target`, check it, sync it, rename it to
/// `target`. On any failure the temporary file is removed and `target` is untouched.
fn snapshot_to(
    conn: &mut SqliteConnection,
    target: &Path,
    stamp_anchor: bool,
) -> Result<Option<String>, StoreError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("kassa.db");
    let tmp = dir.join(format!(".kassa-{}-{name}{PARTIAL}", std::process::id()));
    let result = (|| {
        let _ = std::fs::remove_file(&tmp);
        let quoted = tmp.to_string_lossy().replace('\'', "''");
        diesel::sql_query(format!("VACUUM INTO '{quoted}'")).execute(conn)?;
        restrict(&tmp);
        let anchor = if stamp_anchor {
            Some(record_anchor(&tmp)?)
        } else {
            None
        };
        check_file(&tmp)?;
        sync_path(&tmp).map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, target).map_err(|e| io(target, e))?;
        sync_path(dir).map_err(|e| io(dir, e))?;
        Ok(anchor)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(super::side_file(&tmp, "-journal"));
    }
    result
}

/// The setting under which a backup records the audit chain's head it was taken at.
pub const ANCHOR_SETTING: &str = "backup.audit_anchor";

#[derive(QueryableByName)]
struct Head {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    h: String,
}

/// Writes into the snapshot `tmp` (not yet a backup) the audit chain's head it holds, as
/// "COUNT:HASH" (12 hex digits) in the setting [`ANCHOR_SETTING`]; returns it.
fn record_anchor(tmp: &Path) -> Result<String, StoreError> {
    let mut conn = SqliteConnection::establish(&super::uri(tmp, "mode=rw"))
        .map_err(|e| io(tmp, std::io::Error::other(e.to_string())))?;
    let head: Head = diesel::sql_query(
        "SELECT COUNT(*) AS n, COALESCE((SELECT hash FROM audit_logs ORDER BY id DESC LIMIT 1), '') AS h FROM audit_logs",
    )
    .get_result(&mut conn)?;
    let anchor = format!("{}:{}", head.n, head.h.chars().take(12).collect::<String>());
    diesel::sql_query(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind::<diesel::sql_types::Text, _>(ANCHOR_SETTING)
    .bind::<diesel::sql_types::Text, _>(&anchor)
    .execute(&mut conn)?;
    Ok(anchor)
}

/// Owner-only (0600), whatever the umask.
fn restrict(path: &Path) {
    crate::platform::files::restrict(path);
}

/// A backup just written: where, and the audit chain anchor it records.
#[derive(Clone, Debug)]
pub struct Written {
    pub path: PathBuf,
    pub anchor: String,
}

/// Writes a snapshot of the database into `dir` (created owner-only if missing); returns
/// its path and anchor. Nothing appears under a backup name unless the snapshot is complete
/// and sound.
pub fn backup_into(
    conn: &mut SqliteConnection,
    dir: &Path,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Written, StoreError> {
    super::create_private_dir(dir).map_err(|e| io(dir, e))?;
    remove_leftovers(dir);
    let stamp = now.with_timezone(&tz).format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{PREFIX}{stamp}.db"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{PREFIX}{stamp}-{n}.db"));
        n += 1;
    }
    let anchor = snapshot_to(conn, &path, true)?.unwrap_or_default();
    Ok(Written { path, anchor })
}

/// The backups in `dir`, oldest first: only files named exactly like Kassa's backups.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(is_backup_name)
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Deletes the oldest backups in `dir` beyond the newest `keep`; returns how many went.
/// Never deletes `live` (the database being backed up) or its `-wal`/`-shm`, even if they
/// were named like a backup and lay in that folder.
pub fn prune(dir: &Path, keep: usize, live: &Path) -> usize {
    let protected: Vec<FileId> = ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| identity(&super::side_file(live, s)))
        .collect();
    let files: Vec<PathBuf> = list(dir)
        .into_iter()
        .filter(|p| identity(p).is_some_and(|id| !protected.contains(&id)))
        .collect();
    let excess = files.len().saturating_sub(keep.max(1));
    files
        .iter()
        .take(excess)
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

/// Whether a sound backup was already taken on the local date of `now`: the newest of the
/// day's backups is checked (integrity, schema), so a damaged one does not count.
pub fn has_backup_on(dir: &Path, now: DateTime<Utc>, tz: Tz) -> bool {
    let day = format!("{PREFIX}{}", now.with_timezone(&tz).format("%Y%m%d"));
    list(dir)
        .iter()
        .rev()
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&day))
        })
        .is_some_and(|p| verified(p))
}

/// Backups known sound in this process (checked when written or when first looked at), so
/// the hourly look does not re-read a large file's every page.
fn verified(path: &Path) -> bool {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<HashSet<FileId>>> = OnceLock::new();
    let Some(id) = identity(path) else {
        return false;
    };
    let seen = SEEN.get_or_init(|| Mutex::new(HashSet::new()));
    if seen.lock().unwrap_or_else(|e| e.into_inner()).contains(&id) {
        return true;
    }
    let sound = check_file(path).is_ok();
    if sound {
        seen.lock().unwrap_or_else(|e| e.into_inner()).insert(id);
    }
    sound
}

/// Checks that `file` is a sound Kassa database this program can use: a Kassa SQLite file,
/// passing `integrity_check`, with no migrations newer than this program. Opens it
/// read-only; changes nothing.
pub fn check_file(file: &Path) -> Result<(), StoreError> {
    if !file.is_file() {
        return Err(StoreError::Missing {
            path: file.display().to_string(),
        });
    }
    let mut conn = super::connect_with(file, OpenMode::Inspect)?;
    super::check_integrity(&mut conn, file, true)?;
    super::check_not_newer(&mut conn, file)?;
    Ok(())
}

/// Replaces the database at `db` with the backup `file`, for `kassa restore`.
///
/// Refuses while another program holds `db` (the instance lock is held here for the whole
/// restore) and when `file` is the live database itself. The backup is copied through
/// SQLite into a temporary file beside `db`, checked fully and synced before the live
/// database is touched; the live database is then folded out of WAL mode (no `-wal` left to
/// be replayed onto the new file), kept under `<name>.before-restore-<stamp>` by a hard link,
/// and the new file is renamed over it in one atomic step. Whatever fails, `db` is either
/// the old database or the restored one, never missing, empty or half-written. Returns the
/// kept copy's path.
pub fn restore(db: &Path, file: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>, StoreError> {
    // What can be refused without the lock is refused first, so a refused restore leaves
    // no lock file behind.
    if identity(file).is_some() && identity(file) == identity(db) {
        return Err(StoreError::Open {
            path: file.display().to_string(),
            reason: "this is the live database itself, not a backup".into(),
        });
    }
    check_file(file)?;
    let lock_file = super::lock::lock_path(db);
    let lock_was_there = lock_file.exists();
    let _lock = match super::lock::try_acquire(db)? {
        Some(l) => l,
        None => {
            return Err(StoreError::Held {
                path: db.display().to_string(),
                holder: super::lock::holder(db),
            });
        }
    };
    let result = restore_locked(db, file, now);
    if result.is_err() && !lock_was_there {
        let _ = std::fs::remove_file(&lock_file);
    }
    result
}

/// [`restore`] with the lock held.
fn restore_locked(
    db: &Path,
    file: &Path,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>, StoreError> {
    let dir = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    super::create_private_dir(&dir).map_err(|e| io(&dir, e))?;
    let name = db
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("kassa.db");
    let staged = dir.join(format!(".kassa-restore-{name}"));
    // The backup, through SQLite (its own -wal included), into a checked file beside `db`.
    {
        let mut source = super::connect_with(file, OpenMode::Inspect)?;
        snapshot_to(&mut source, &staged, false)?;
    }
    let result = (|| {
        let kept = if db.exists() {
            // Fold the WAL into the file and leave WAL mode, so no -wal is left beside the
            // name that the restored file takes. A damaged file cannot be folded: its -wal
            // and -shm are kept aside with it instead.
            let stamp = now.format("%Y%m%d-%H%M%S");
            let wal = super::side_file(db, "-wal");
            match super::connect_with(db, OpenMode::Existing) {
                Ok(mut conn) => {
                    diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn)?;
                    diesel::sql_query("PRAGMA journal_mode = DELETE").execute(&mut conn)?;
                }
                Err(StoreError::Damaged { .. }) => {
                    for side in ["-wal", "-shm"] {
                        let p = super::side_file(db, side);
                        if p.exists() {
                            let kept = PathBuf::from(format!(
                                "{}.before-restore-{stamp}{side}",
                                db.display()
                            ));
                            std::fs::rename(&p, &kept).map_err(|e| io(&kept, e))?;
                        }
                    }
                }
                Err(e) => return Err(e),
            }
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                return Err(StoreError::Open {
                    path: db.display().to_string(),
                    reason: "another program is still writing to it; close it first".into(),
                });
            }
            let _ = std::fs::remove_file(&wal);
            let _ = std::fs::remove_file(super::side_file(db, "-shm"));
            let aside = PathBuf::from(format!("{}.before-restore-{stamp}", db.display()));
            std::fs::hard_link(db, &aside).map_err(|e| io(&aside, e))?;
            Some(aside)
        } else {
            None
        };
        std::fs::rename(&staged, db).map_err(|e| io(db, e))?;
        sync_path(&dir).map_err(|e| io(&dir, e))?;
        Ok(kept)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&staged);
    }
    result
}
