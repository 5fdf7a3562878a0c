//! What differs between Linux and Windows, one concern per item and each behind a small
//! `cfg` seam here, so that the rest of the program is the same on both:
//!
//! - [`files`]: owner-only files and folders (Unix modes; on Windows the per-user data folder's
//!   own access rules), a file's identity (device and inode; volume serial and file index),
//!   and the exclusive lock of the one-program lock file.
//! - [`attach_console`]: a window program on Windows that still writes to the console it was
//!   started from.
//! - [`show_error`]: a message box on Windows when the window cannot open.
//! - [`process_name`]: the name of a running program by its process id, to say who holds a
//!   database.
//! - [`terminate`]: the signal that asks `kassa bot` to stop besides Ctrl+C (SIGTERM; a closed
//!   console window on Windows).
//! - [`spooler`] (Windows only): installed Windows printers by name, raw bytes through the
//!   print spooler.
//! - [`postgresql_versions_dir`]: where PostgreSQL's programs (`pg_dump`, `pg_restore`) are
//!   installed, one folder per major version.
//!
//! The till's sound has its own seam in `devices::sound` (ALSA or `MessageBeep`).

pub mod files;
#[cfg(windows)]
pub mod spooler;

/// The folder that holds one `N/bin` folder per installed major version of PostgreSQL:
/// Debian's `/usr/lib/postgresql`, or `%ProgramFiles%\PostgreSQL` where PostgreSQL's Windows
/// installer puts them.
pub fn postgresql_versions_dir() -> std::path::PathBuf {
    #[cfg(windows)]
    {
        std::env::var_os("ProgramFiles")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::PathBuf::from(r"C:\Program Files"))
            .join("PostgreSQL")
    }
    #[cfg(not(windows))]
    {
        std::path::PathBuf::from("/usr/lib/postgresql")
    }
}

/// Windows: a window program started from a console (a command such as `kassa.exe report`)
/// writes to that console; its output stays where it was sent when redirected. Nothing
/// elsewhere.
pub fn attach_console() {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
        // SAFETY: a plain call; it fails harmlessly when there is no parent console.
        unsafe {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}

/// Says why the program cannot go on where a person sees it: on Windows a message box (a
/// window program has no console to print to); elsewhere standard error already says it.
pub fn show_error(text: &str) {
    #[cfg(windows)]
    {
        use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};
        let wide = |s: &str| {
            s.encode_utf16()
                .chain(std::iter::once(0))
                .collect::<Vec<u16>>()
        };
        let (text, title) = (wide(text), wide("Kassa"));
        // SAFETY: both strings are terminated and outlive the call; no owner window.
        unsafe {
            MessageBoxW(
                std::ptr::null_mut(),
                text.as_ptr(),
                title.as_ptr(),
                MB_OK | MB_ICONERROR,
            );
        }
    }
    #[cfg(not(windows))]
    let _ = text;
}

/// The printers installed in the system by name (Windows' printers; none elsewhere, where
/// printers are named by their device).
pub fn installed_printers() -> Vec<String> {
    #[cfg(windows)]
    {
        spooler::printers()
    }
    #[cfg(not(windows))]
    Vec::new()
}

/// The program's name of process `pid`, when it runs and can be asked.
#[cfg(target_os = "linux")]
pub fn process_name(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The program's name of process `pid`, when it runs and can be asked.
#[cfg(windows)]
pub fn process_name(pid: u32) -> Option<String> {
    use windows_sys::Win32::Foundation::CloseHandle;
    use windows_sys::Win32::System::Threading::{
        OpenProcess, PROCESS_NAME_WIN32, PROCESS_QUERY_LIMITED_INFORMATION,
        QueryFullProcessImageNameW,
    };
    // SAFETY: the handle is checked and closed here; the buffer outlives the call and its
    // length is passed with it.
    unsafe {
        let h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
        if h.is_null() {
            return None;
        }
        let mut buf = [0u16; 1024];
        let mut len = buf.len() as u32;
        let ok = QueryFullProcessImageNameW(h, PROCESS_NAME_WIN32, buf.as_mut_ptr(), &mut len);
        CloseHandle(h);
        if ok == 0 {
            return None;
        }
        let full = String::from_utf16_lossy(&buf[..len as usize]);
        std::path::Path::new(&full)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
    }
}

/// The program's name of process `pid` (not known on this system).
#[cfg(not(any(target_os = "linux", windows)))]
pub fn process_name(_pid: u32) -> Option<String> {
    None
}

/// The other programs that have `file` (or its `-wal`) open (name, process number), for
/// saying who holds the database while a write waits. Read from `/proc/*/fd` links (no file
/// is opened, so no lock of ours is dropped); not known on other systems (empty).
#[cfg(target_os = "linux")]
pub fn programs_using(file: &std::path::Path) -> Vec<(String, u32)> {
    let Ok(real) = std::fs::canonicalize(file) else {
        return Vec::new();
    };
    let mut wal = real.clone().into_os_string();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    let me = std::process::id();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for p in procs.flatten() {
        let Some(pid) = p.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else {
            continue;
        };
        if fds
            .flatten()
            .filter_map(|fd| std::fs::read_link(fd.path()).ok())
            .any(|target| target == real || target == wal)
        {
            found.push((process_name(pid).unwrap_or_else(|| "?".into()), pid));
        }
    }
    found.sort();
    found
}

/// The other programs that have `file` open (not known on this system).
#[cfg(not(target_os = "linux"))]
pub fn programs_using(_file: &std::path::Path) -> Vec<(String, u32)> {
    Vec::new()
}

/// Resolves when the system asks the program to stop other than by Ctrl+C: SIGTERM on
/// Unix, the console window closed (or the user logging off, the machine shutting down) on
/// Windows. Never resolves where it cannot be listened for.
pub async fn terminate() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    }
    #[cfg(windows)]
    {
        use tokio::signal::windows::{ctrl_close, ctrl_shutdown};
        match (ctrl_close(), ctrl_shutdown()) {
            (Ok(mut close), Ok(mut shutdown)) => {
                tokio::select! {
                    _ = close.recv() => {}
                    _ = shutdown.recv() => {}
                }
            }
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(any(unix, windows)))]
    std::future::pending::<()>().await
}
