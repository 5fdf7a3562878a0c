//! One program per database file: the window and `kassa bot` hold an exclusive `flock` on
//! `<db>.lock` for their whole life, with their process id written inside, so a second
//! window (which would print every receipt again and run a second bot) is refused with a
//! sentence naming the process that holds the file. `restore` takes it too, so it cannot
//! replace a database under a running program.
//!
//! `flock` locks belong to the open file description, not to the process, so they are not
//! dropped when another descriptor of the lock file is closed (unlike SQLite's `fcntl`
//! locks on the database itself), and the lock file is never the database: reading it to
//! name the holder is safe. The kernel releases the lock when the process ends, however it
//! ends (a crash or `kill -9` leaves no stale lock).

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{StoreError, side_file};

/// The lock held by this program on a database; released when dropped (or at exit).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

impl InstanceLock {
    /// The lock file (`<db>.lock`).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    side_file(db, ".lock")
}

fn io_error(db: &Path, e: std::io::Error) -> StoreError {
    StoreError::Open {
        path: lock_path(db).display().to_string(),
        reason: e.to_string(),
    }
}

/// Takes the lock if it is free: `Ok(None)` when another program holds it.
pub fn try_acquire(db: &Path) -> Result<Option<InstanceLock>, StoreError> {
    let path = lock_path(db);
    if let Some(parent) = path.parent() {
        super::create_private_dir(parent).map_err(|e| io_error(db, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(|e| io_error(db, e))?;
    // SAFETY: flock on a descriptor this function owns; no memory is involved.
    let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if r != 0 {
        let e = std::io::Error::last_os_error();
        return match e.raw_os_error() {
            Some(libc::EWOULDBLOCK) => Ok(None),
            _ => Err(io_error(db, e)),
        };
    }
    // Ours now: say who holds it.
    let pid = format!("{}\n", std::process::id());
    file.set_len(0)
        .and_then(|_| file.rewind())
        .and_then(|_| file.write_all(pid.as_bytes()))
        .map_err(|e| io_error(db, e))?;
    Ok(Some(InstanceLock { _file: file, path }))
}

/// Who holds a lock: the process id written in the lock file and the program's name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    /// The program's name (`/proc/PID/comm`), empty when unknown.
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

/// Who holds the lock of `db`.
pub fn holder(db: &Path) -> Holder {
    let mut text = String::new();
    let pid = std::fs::File::open(lock_path(db))
        .and_then(|mut f| f.read_to_string(&mut text))
        .ok()
        .and_then(|_| text.trim().parse::<u32>().ok());
    let name = pid
        .and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/comm")).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    Holder { pid, name }
}

/// Takes the lock, waiting up to `wait` for a program that is still closing the file;
/// `waiting` is told once, with the holder, when the wait starts. Refuses with
/// [`StoreError::Held`] after that.
pub fn acquire(
    db: &Path,
    wait: Duration,
    mut waiting: impl FnMut(&Holder),
) -> Result<InstanceLock, StoreError> {
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
