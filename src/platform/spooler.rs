//! Installed Windows printers by name (a USB receipt or label printer with its driver, the
//! usual set-up in shops): the list for Settings, the printer's state as the spooler knows
//! it, and raw bytes (ESC/POS, TSPL) sent as one document of data type `RAW`, which the
//! driver passes to the printer untouched.

use std::io;

use windows_sys::Win32::Graphics::Printing::{
    ClosePrinter, DOC_INFO_1W, EndDocPrinter, EndPagePrinter, EnumPrintersW, GetPrinterW,
    OpenPrinterW, PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL, PRINTER_HANDLE, PRINTER_INFO_2W,
    PRINTER_INFO_4W, PRINTER_STATUS_OFFLINE, PRINTER_STATUS_PAPER_OUT, StartDocPrinterW,
    StartPagePrinter, WritePrinter,
};

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// A NUL-terminated UTF-16 string written by the system.
///
/// # Safety
/// `p` is null or points at a NUL-terminated UTF-16 string.
unsafe fn from_wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut n = 0;
    // SAFETY: the caller promises a terminated string.
    unsafe {
        while *p.add(n) != 0 {
            n += 1;
        }
        String::from_utf16_lossy(std::slice::from_raw_parts(p, n))
    }
}

/// The printers installed on this PC (local and connected), by name.
pub fn printers() -> Vec<String> {
    let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    let mut needed = 0u32;
    let mut count = 0u32;
    // SAFETY: the first call only asks for the size; the buffer of that size outlives the
    // second call, which fills it with `count` PRINTER_INFO_4W records and their strings.
    unsafe {
        EnumPrintersW(
            flags,
            std::ptr::null(),
            4,
            std::ptr::null_mut(),
            0,
            &mut needed,
            &mut count,
        );
        if needed == 0 {
            return Vec::new();
        }
        // u64 words keep the records aligned.
        let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
        if EnumPrintersW(
            flags,
            std::ptr::null(),
            4,
            buf.as_mut_ptr().cast(),
            needed,
            &mut needed,
            &mut count,
        ) == 0
        {
            return Vec::new();
        }
        let records = buf.as_ptr().cast::<PRINTER_INFO_4W>();
        (0..count as usize)
            .map(|i| from_wide((*records.add(i)).pPrinterName))
            .filter(|n| !n.is_empty())
            .collect()
    }
}

/// An open printer, closed when dropped.
struct Handle(PRINTER_HANDLE);

impl Handle {
    fn open(name: &str) -> io::Result<Handle> {
        let name = wide(name);
        let mut h = PRINTER_HANDLE {
            Value: std::ptr::null_mut(),
        };
        // SAFETY: `name` is terminated and outlives the call; `h` is written by it.
        if unsafe { OpenPrinterW(name.as_ptr(), &mut h, std::ptr::null()) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Handle(h))
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: opened by OpenPrinterW and closed once.
        unsafe {
            ClosePrinter(self.0);
        }
    }
}

/// What the spooler knows of the printer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Ready,
    Offline,
    PaperOut,
}

/// The printer's state; an error when there is no printer of that name.
pub fn state(name: &str) -> io::Result<State> {
    let h = Handle::open(name)?;
    let mut needed = 0u32;
    // SAFETY: as in `printers`: a size query, then a buffer of that size for one
    // PRINTER_INFO_2W and its strings.
    unsafe {
        GetPrinterW(h.0, 2, std::ptr::null_mut(), 0, &mut needed);
        if needed == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
        if GetPrinterW(h.0, 2, buf.as_mut_ptr().cast(), needed, &mut needed) == 0 {
            return Err(io::Error::last_os_error());
        }
        let status = (*buf.as_ptr().cast::<PRINTER_INFO_2W>()).Status;
        Ok(if status & PRINTER_STATUS_PAPER_OUT != 0 {
            State::PaperOut
        } else if status & PRINTER_STATUS_OFFLINE != 0 {
            State::Offline
        } else {
            State::Ready
        })
    }
}

/// Sends `bytes` to the printer `name` as one raw document called `title`.
pub fn send_raw(name: &str, title: &str, bytes: &[u8]) -> io::Result<()> {
    let h = Handle::open(name)?;
    let mut title = wide(title);
    let mut raw = wide("RAW");
    let doc = DOC_INFO_1W {
        pDocName: title.as_mut_ptr(),
        pOutputFile: std::ptr::null_mut(),
        pDatatype: raw.as_mut_ptr(),
    };
    // SAFETY: the handle is open; `doc` and its strings, and `bytes`, outlive the calls.
    unsafe {
        if StartDocPrinterW(h.0, 1, &doc) == 0 {
            return Err(io::Error::last_os_error());
        }
        let result = (|| {
            if StartPagePrinter(h.0) == 0 {
                return Err(io::Error::last_os_error());
            }
            let mut rest = bytes;
            while !rest.is_empty() {
                let chunk = rest.len().min(1 << 20);
                let mut written = 0u32;
                if WritePrinter(h.0, rest.as_ptr().cast(), chunk as u32, &mut written) == 0 {
                    return Err(io::Error::last_os_error());
                }
                if written == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "the printer took nothing",
                    ));
                }
                rest = &rest[written as usize..];
            }
            if EndPagePrinter(h.0) == 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        })();
        EndDocPrinter(h.0);
        result
    }
}
