//! Files the way each system protects and identifies them.
//!
//! On Unix, what Kassa creates is owner-only (0600, folders 0700) whatever the umask; on
//! Windows the database, backups and exports live in the user's own folders
//! (`%LOCALAPPDATA%\Kassa`, Documents), which other users of the PC cannot read by Windows'
//! default access rules, so no permissions are changed there. A file's identity (what two
//! paths to one file share: a symlink, a hard link) is (device, inode) on Unix and (volume
//! serial number, file index) on Windows. Nothing here opens a database file on Unix
//! (closing any descriptor of it would drop SQLite's POSIX locks of this process).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// Creates `dir` and its missing parents, owner-only (0700) on Unix.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Open options whose `create` makes the file owner-only (0600) on Unix.
pub fn private_options() -> OpenOptions {
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Makes an existing file owner-only (0600) on Unix, by path (no descriptor is opened).
pub fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Whether only the file's owner may read it: no group or other permissions on Unix; on
/// Windows the user's own folders are private by the system's default rules.
pub fn owner_only(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// Takes group and other permissions off an existing file on Unix, by path; true when it
/// had any.
pub fn take_from_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            let _ = std::fs::set_permissions(
                path,
                std::fs::Permissions::from_mode(meta.permissions().mode() & 0o700),
            );
            return true;
        }
        false
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Flushes a file (never a live database: see the module docs) or a folder's entries to
/// the disk. Windows flushes a file only through a handle that may write, and keeps its
/// folders' entries in its own journal (a folder cannot be flushed there).
pub fn sync(path: &Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        if path.is_dir() {
            return Ok(());
        }
        OpenOptions::new().write(true).open(path)?.sync_all()
    }
    #[cfg(not(windows))]
    File::open(path)?.sync_all()
}

/// What two paths to the same file share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId {
    /// Device (Unix) or volume serial number (Windows).
    pub volume: u64,
    /// Inode (Unix) or file index (Windows).
    pub index: u64,
}

impl std::fmt::Display for FileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:x}-{:x}", self.volume, self.index)
    }
}

/// The identity of the file at `path` (symlinks followed), if it exists.
#[cfg(unix)]
pub fn identity(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| FileId {
        volume: m.dev(),
        index: m.ino(),
    })
}

/// The identity of the file at `path` (symlinks followed), if it exists. The file is opened
/// for its attributes only (no read or write access, every sharing mode allowed).
#[cfg(windows)]
pub fn identity(path: &Path) -> Option<FileId> {
    use std::os::windows::fs::OpenOptionsExt;
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, FILE_FLAG_BACKUP_SEMANTICS, GetFileInformationByHandle,
    };
    let f = OpenOptions::new()
        .access_mode(0)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
        .open(path)
        .ok()?;
    // SAFETY: the handle is valid while `f` lives; the structure is plain data written by
    // the call.
    unsafe {
        let mut info: BY_HANDLE_FILE_INFORMATION = std::mem::zeroed();
        if GetFileInformationByHandle(f.as_raw_handle() as _, &mut info) == 0 {
            return None;
        }
        Some(FileId {
            volume: u64::from(info.dwVolumeSerialNumber),
            index: (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
        })
    }
}

#[cfg(not(any(unix, windows)))]
pub fn identity(_path: &Path) -> Option<FileId> {
    None
}

/// Takes the exclusive lock of a lock file without waiting: `Ok(false)` when another
/// program holds it. The lock goes with the file's handle, so the system releases it when
/// the program ends however it ends. On Unix it is `flock` (`File::try_lock`); on Windows a
/// lock of one byte far past the end of the file, so that the process id written at its
/// start stays readable to the program that is refused (a lock of the whole file would
/// forbid reading it).
pub fn try_lock(file: &File) -> io::Result<bool> {
    #[cfg(windows)]
    {
        use std::os::windows::io::AsRawHandle;
        use windows_sys::Win32::Foundation::ERROR_LOCK_VIOLATION;
        use windows_sys::Win32::Storage::FileSystem::{
            LOCKFILE_EXCLUSIVE_LOCK, LOCKFILE_FAIL_IMMEDIATELY, LockFileEx,
        };
        use windows_sys::Win32::System::IO::OVERLAPPED;
        // SAFETY: the handle is valid while `file` lives; OVERLAPPED is plain data naming
        // the byte to lock (offset 2^32).
        unsafe {
            let mut at: OVERLAPPED = std::mem::zeroed();
            at.Anonymous.Anonymous.OffsetHigh = 1;
            let flags = LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY;
            if LockFileEx(file.as_raw_handle() as _, flags, 0, 1, 0, &mut at) != 0 {
                return Ok(true);
            }
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() == Some(ERROR_LOCK_VIOLATION as i32) {
            return Ok(false);
        }
        Err(e)
    }
    #[cfg(not(windows))]
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// The folder where programs of this machine meet to lock a database by its identity
/// (hard links in different folders have no folder in common): `kassa-locks` in the
/// system's temporary folder, open to every user (sticky on Unix, like /tmp, so each user
/// owns the files they create).
pub fn shared_lock_dir() -> io::Result<PathBuf> {
    let dir = std::env::temp_dir().join("kassa-locks");
    if !dir.is_dir() {
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777))?;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Ok(dir)
}

/// Options for a lock file in [`shared_lock_dir`]: readable by everyone (the holder's
/// process id is read by the program refused, perhaps another user's).
pub fn shared_lock_options() -> OpenOptions {
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o644);
    }
    o
}
