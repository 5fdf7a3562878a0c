//! One program per database file: the window and `kassa bot` hold an exclusive lock for
//! their whole life, with their process id written inside, so a second window (which would
//! print every receipt again and run a second bot) is refused with a sentence naming the
//! process that holds the file. `restore` takes it too, so it cannot replace a database
//! under a running program.
//!
//! One lock per file, whatever path reaches it: the lock file `<db>.lock` is beside the
//! database's real path (symlinks resolved), and a second lock file named after the file's
//! identity (device and inode; volume serial and file index on Windows) in a folder every
//! program of the machine shares ([`files::shared_lock_dir`]) catches a hard link in another
//! folder. Both are taken, or neither.
//!
//! The locks belong to the open lock files (`flock` on Unix, `LockFileEx` on Windows,
//! through [`files::try_lock`]), not to the process's POSIX locks, so they are not dropped
//! when another descriptor is closed (unlike SQLite's `fcntl` locks on the database itself),
//! and a lock file is never the database: reading it to name the holder is safe. The system
//! releases them when the process ends, however it ends (a crash or `kill -9` leaves no
//! stale lock).

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{StoreError, side_file};
use crate::platform::files;

/// The lock held by this program on a database; released when dropped (or at exit).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    _by_identity: Option<File>,
    path: PathBuf,
}

impl InstanceLock {
    /// The lock file (`<db>.lock`).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The database's real path: symlinks resolved (also one to a file not created yet), so
/// every path to one file has the same lock file.
pub fn real_path(db: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(db) {
        return p;
    }
    // Not there yet: resolve a dangling symlink and the folder.
    let mut p = db.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(target) => {
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                }
            }
            Err(_) => break,
        }
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(p),
        _ => p,
    }
}

/// The lock file of `db` (beside its real path).
pub fn lock_path(db: &Path) -> PathBuf {
    side_file(&real_path(db), ".lock")
}

/// The lock file of `db` by its identity, when the database exists.
pub fn identity_lock_path(db: &Path) -> Option<PathBuf> {
    let id = files::identity(db)?;
    let dir = files::shared_lock_dir().ok()?;
    Some(dir.join(format!("db-{id}.lock")))
}

fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Opens (creating) a lock file and tries its lock; writes this process's id into it when
/// taken and writable.
fn try_file(path: &Path, shared: bool) -> Result<Option<File>, StoreError> {
    let mut options = if shared {
        files::shared_lock_options()
    } else {
        files::private_options()
    };
    options.read(true).write(true).create(true).truncate(false);
    let (mut file, writable) = match options.open(path) {
        Ok(f) => (f, true),
        // Another user's lock file in the shared folder: locked through a read-only
        // descriptor.
        Err(e) if shared && e.kind() == std::io::ErrorKind::PermissionDenied => {
            (File::open(path).map_err(|e| io_error(path, e))?, false)
        }
        Err(e) => return Err(io_error(path, e)),
    };
    if !files::try_lock(&file).map_err(|e| io_error(path, e))? {
        return Ok(None);
    }
    if writable {
        let pid = format!("{}\n", std::process::id());
        file.set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| file.write_all(pid.as_bytes()))
            .map_err(|e| io_error(path, e))?;
    }
    Ok(Some(file))
}

/// Takes the lock if it is free: `Ok(None)` when another program holds it (through this
/// path or any other to the same file).
pub fn try_acquire(db: &Path) -> Result<Option<InstanceLock>, StoreError> {
    let path = lock_path(db);
    if let Some(parent) = path.parent() {
        files::create_private_dir(parent).map_err(|e| io_error(&path, e))?;
    }
    let Some(file) = try_file(&path, false)? else {
        return Ok(None);
    };
    let by_identity = match identity_lock_path(db) {
        Some(p) => match try_file(&p, true)? {
            Some(f) => Some(f),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(Some(InstanceLock {
        _file: file,
        _by_identity: by_identity,
        path,
    }))
}

/// Who holds a lock: the process id written in the lock file and the program's name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    /// The program's name, empty when unknown.
    pub name: String,
}

impl std::fmt::Display for Holder {
    /// In English, for the command line: "process 1234 (kassa)".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.pid, self.name.is_empty()) {
            (Some(pid), true) => write!(f, "process {pid}"),
            (Some(pid), false) => write!(f, "process {pid} ({})", self.name),
            (None, _) => write!(f, "another process"),
        }
    }
}

/// Who holds the lock of `db`: the process id in its lock file, or in the lock file of its
/// identity (a program that reached the file through a hard link elsewhere).
pub fn holder(db: &Path) -> Holder {
    let read_pid = |path: &Path| {
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_string(&mut text))
            .ok()
            .and_then(|_| text.trim().parse::<u32>().ok())
    };
    let held_here = |path: &Path| {
        // Free now (the holder has gone): its id is no one's any more.
        File::open(path)
            .ok()
            .is_some_and(|f| !files::try_lock(&f).unwrap_or(false))
    };
    let path = lock_path(db);
    let pid = if held_here(&path) {
        read_pid(&path)
    } else {
        identity_lock_path(db).and_then(|p| read_pid(&p))
    };
    let name = pid
        .and_then(crate::platform::process_name)
        .unwrap_or_default();
    Holder { pid, name }
}

/// [`acquire`] for a shop's file; nothing for a shop on a PostgreSQL server, which its tills
/// share by design (what must run once per shop takes `App::claim` there).
pub fn acquire_for_file(
    db: &Path,
    wait: Duration,
    waiting: impl FnMut(&Holder),
) -> Result<Option<InstanceLock>, StoreError> {
    if super::server_address(db).is_some() {
        return Ok(None);
    }
    acquire(db, wait, waiting).map(Some)
}

/// Takes the lock, waiting up to `wait` for a program that is still closing the file;
/// `waiting` is told once, with the holder, when the wait starts. Refuses with
/// [`StoreError::Held`] after that.
pub fn acquire(
    db: &Path,
    wait: Duration,
    mut waiting: impl FnMut(&Holder),
) -> Result<InstanceLock, StoreError> {
    super::refuse_server_address(db)?;
    let deadline = Instant::now() + wait;
    let mut told = false;
    loop {
        if let Some(lock) = try_acquire(db)? {
            return Ok(lock);
        }
        let who = holder(db);
        if Instant::now() >= deadline {
            return Err(StoreError::Held {
                path: db.display().to_string(),
                holder: who,
            });
        }
        if !told {
            waiting(&who);
            told = true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The program holding a database, in `lang`: "jarayon 1234 (kassa)".
pub fn holder_text(lang: crate::i18n::Lang, h: &Holder) -> String {
    match h.pid {
        Some(pid) if h.name.is_empty() => lang.fill(crate::i18n::T::HolderPid, &[&pid.to_string()]),
        Some(pid) => format!(
            "{} ({})",
            lang.fill(crate::i18n::T::HolderPid, &[&pid.to_string()]),
            h.name
        ),
        None => lang.t(crate::i18n::T::HolderUnknown).into(),
    }
}
