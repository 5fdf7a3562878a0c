//! The receipt printer: where it is ([`Port`]), a small `escpos` driver over each kind of
//! connection ([`PortDriver`]: serial through `serialport`, network on TCP 9100, a USB printer
//! device file, a plain file for testing), the printer's own status (DLE EOT, where it
//! answers), and the worker that empties the print queue on its own thread.
//!
//! The worker takes the oldest due job from the queue ([`App::next_print_job`]), opens the
//! port, asks the printer whether it is online and has paper, sends the job and marks it done.
//! Any failure leaves the job pending and it is tried again with a growing delay; the GUI sees
//! the state through a shared [`PrinterStatus`]. A job is marked done only after its bytes
//! were written, so a crash in between prints it twice rather than never.

use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use escpos::driver::Driver;
use escpos::errors::PrinterError;

use crate::app::document::Document;
use crate::app::document::escpos::{CodePage, printer, render};
use crate::app::{App, AppResult, Options};
pub use crate::domain::device_address::Port;

/// Why a job did not print.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("the printer is not answering: {0}")]
    Offline(String),
    #[error("the printer is out of paper")]
    PaperOut,
    #[error("the printer reports it is offline (cover open or error)")]
    NotReady,
    #[error("the printer setting is wrong: {0}")]
    BadPort(String),
    #[error("the document could not be printed: {0}")]
    Document(String),
}

/// An open connection to the printer.
pub enum Link {
    Serial(Box<dyn serialport::SerialPort>),
    Tcp(TcpStream),
    File(File),
    /// An installed Windows printer: what is written is collected and goes to the spooler as
    /// one raw document at `flush`.
    Spooler {
        name: String,
        job: Vec<u8>,
    },
}

impl Link {
    pub fn open(port: &Port) -> Result<Link, PrintError> {
        let off = |e: &dyn std::fmt::Display| PrintError::Offline(e.to_string());
        match port {
            Port::Serial { path, baud } => serialport::new(path, *baud)
                .timeout(Duration::from_millis(400))
                .open()
                .map(Link::Serial)
                .map_err(|e| off(&e)),
            Port::Tcp(addr) => {
                let sa = addr
                    .to_socket_addrs()
                    .map_err(|e| off(&e))?
                    .next()
                    .ok_or_else(|| PrintError::Offline(format!("{addr}: no address")))?;
                let s =
                    TcpStream::connect_timeout(&sa, Duration::from_secs(3)).map_err(|e| off(&e))?;
                s.set_read_timeout(Some(Duration::from_millis(400)))
                    .map_err(|e| off(&e))?;
                s.set_write_timeout(Some(Duration::from_secs(10)))
                    .map_err(|e| off(&e))?;
                let _ = s.set_nodelay(true);
                Ok(Link::Tcp(s))
            }
            Port::Usb(path) => OpenOptions::new()
                .write(true)
                .open(path)
                .map(Link::File)
                .map_err(|e| off(&e)),
            Port::File(path) => OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map(Link::File)
                .map_err(|e| off(&e)),
            Port::Windows(name) => open_spooler(name),
        }
    }

    /// Asks the printer for one status byte (DLE EOT n); `None` if it does not answer (many
    /// printers answer only on some links) or cannot (files).
    fn ask(&mut self, n: u8) -> Option<u8> {
        if matches!(self, Link::File(_) | Link::Spooler { .. }) {
            return None;
        }
        self.write_all(&[0x10, 0x04, n]).ok()?;
        self.flush().ok()?;
        let mut b = [0u8; 1];
        match self.read(&mut b) {
            // A status byte has bits 1 and 4 set and bits 0 and 7 clear.
            Ok(1) if b[0] & 0x93 == 0x12 => Some(b[0]),
            _ => None,
        }
    }

    /// The printer's own status where it answers: offline (bit 3 of DLE EOT 1) or paper end
    /// (bits 5 and 6 of DLE EOT 4).
    pub fn check(&mut self) -> Result<(), PrintError> {
        if let Some(s) = self.ask(1)
            && s & 0x08 != 0
        {
            // Offline: find out whether it is the paper.
            if self.ask(4).is_some_and(|p| p & 0x60 == 0x60) {
                return Err(PrintError::PaperOut);
            }
            return Err(PrintError::NotReady);
        }
        if self.ask(4).is_some_and(|p| p & 0x60 == 0x60) {
            return Err(PrintError::PaperOut);
        }
        Ok(())
    }
}

impl Read for Link {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Link::Serial(p) => p.read(buf),
            Link::Tcp(s) => s.read(buf),
            Link::File(_) | Link::Spooler { .. } => Ok(0),
        }
    }
}

impl Write for Link {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Link::Serial(p) => p.write(buf),
            Link::Tcp(s) => s.write(buf),
            Link::File(f) => f.write(buf),
            Link::Spooler { job, .. } => {
                job.extend_from_slice(buf);
                Ok(buf.len())
            }
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Link::Serial(p) => p.flush(),
            Link::Tcp(s) => s.flush(),
            Link::File(f) => f.flush(),
            Link::Spooler { name, job } => {
                if job.is_empty() {
                    return Ok(());
                }
                let bytes = std::mem::take(job);
                spool(name, &bytes)
            }
        }
    }
}

/// An installed Windows printer by name: known to the spooler, and not reported off or out
/// of paper by it.
#[cfg(windows)]
fn open_spooler(name: &str) -> Result<Link, PrintError> {
    use crate::platform::spooler::{State, state};
    match state(name) {
        Ok(State::PaperOut) => Err(PrintError::PaperOut),
        Ok(State::Offline) => Err(PrintError::NotReady),
        Ok(State::Ready) => Ok(Link::Spooler {
            name: name.to_string(),
            job: Vec::new(),
        }),
        Err(e) => Err(PrintError::Offline(format!("{name}: {e}"))),
    }
}

#[cfg(not(windows))]
fn open_spooler(name: &str) -> Result<Link, PrintError> {
    Err(PrintError::Offline(format!(
        "{name}: printers by name are only on Windows"
    )))
}

#[cfg(windows)]
fn spool(name: &str, bytes: &[u8]) -> io::Result<()> {
    crate::platform::spooler::send_raw(name, "Kassa", bytes)
}

#[cfg(not(windows))]
fn spool(name: &str, _bytes: &[u8]) -> io::Result<()> {
    Err(io::Error::other(format!(
        "{name}: printers by name are only on Windows"
    )))
}

/// The `escpos` driver over a [`Link`].
pub struct PortDriver {
    name: String,
    link: RefCell<Link>,
}

impl PortDriver {
    pub fn new(name: &str, link: Link) -> PortDriver {
        PortDriver {
            name: name.to_string(),
            link: RefCell::new(link),
        }
    }
}

fn io_err(e: io::Error) -> PrinterError {
    PrinterError::Io(e.to_string())
}

impl Driver for PortDriver {
    fn name(&self) -> String {
        self.name.clone()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.link.borrow_mut().write_all(data).map_err(io_err)
    }
    fn read(&self, buf: &mut [u8]) -> escpos::errors::Result<usize> {
        self.link.borrow_mut().read(buf).map_err(io_err)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        self.link.borrow_mut().flush().map_err(io_err)
    }
}

/// Sends one document: open, check the printer's status, write, flush.
pub fn send(port: &Port, doc: &Document, page: CodePage) -> Result<(), PrintError> {
    let mut link = Link::open(port)?;
    link.check()?;
    let mut p = printer(PortDriver::new(&format!("{port:?}"), link), page, doc.width);
    render(&mut p, doc, page).map_err(|e| PrintError::Document(e.to_string()))?;
    p.print().map_err(|e| PrintError::Offline(e.to_string()))?;
    Ok(())
}

/// The printer as the status bar shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PrinterState {
    #[default]
    NotConfigured,
    Ready,
    Offline,
    PaperOut,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrinterStatus {
    pub state: PrinterState,
    /// Jobs waiting in the queue.
    pub pending: i64,
    pub last_error: Option<String>,
}

/// What one step of the worker did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// No printer is set up; jobs (if any) wait.
    NotConfigured,
    /// Nothing due.
    Idle,
    Printed(i32),
    Failed(i32, PrintError),
}

/// Whether the printer can be reached: the port opens (a TCP connection, the serial device,
/// the USB printer device) and the printer, where it answers DLE EOT, is not offline or out
/// of paper. Sends nothing else. A file "printer" is reachable when its folder exists (the
/// file is not created by a probe).
pub fn reach(port: &Port) -> Result<(), PrintError> {
    match port {
        Port::File(path) => match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => Err(PrintError::Offline(
                format!("{}: no such folder", dir.display()),
            )),
            _ => Ok(()),
        },
        Port::Usb(_) | Port::Windows(_) => Link::open(port).map(drop),
        _ => Link::open(port)?.check(),
    }
}

/// How often the printer is probed while nothing is printing, so that the status bar says
/// "off" before a receipt fails rather than after.
pub const PROBE_EVERY: Duration = Duration::from_secs(10);

/// The last probe: of which port setting, when, with what result.
struct Probe {
    port: String,
    at: Instant,
    result: Result<(), PrintError>,
}

/// Empties the print queue, one job per [`PrintWorker::step`], and probes the printer while
/// idle ([`PrintWorker::probe_if_due`]).
pub struct PrintWorker {
    app: App,
    probe: Option<Probe>,
}

impl PrintWorker {
    pub fn new(app: App) -> PrintWorker {
        PrintWorker { app, probe: None }
    }

    /// Probes the printer when the last probe is older than [`PROBE_EVERY`] or was of
    /// another port setting; nothing when no printer is set up.
    pub fn probe_if_due(&mut self) -> AppResult<()> {
        let Some(cfg) = self.app.printer_settings()? else {
            self.probe = None;
            return Ok(());
        };
        let fresh = self
            .probe
            .as_ref()
            .is_some_and(|p| p.port == cfg.port && p.at.elapsed() < PROBE_EVERY);
        if !fresh {
            self.probe_now(&cfg.port);
        }
        Ok(())
    }

    /// Probes the printer now (nothing when none is set up).
    pub fn probe(&mut self) -> AppResult<()> {
        if let Some(cfg) = self.app.printer_settings()? {
            self.probe_now(&cfg.port);
        }
        Ok(())
    }

    /// Probes the printer at `port` (the setting's text).
    fn probe_now(&mut self, port: &str) {
        let result = Port::parse(port)
            .map_err(PrintError::BadPort)
            .and_then(|p| reach(&p));
        self.remember(port, result);
    }

    fn remember(&mut self, port: &str, result: Result<(), PrintError>) {
        self.probe = Some(Probe {
            port: port.to_string(),
            at: Instant::now(),
            result,
        });
    }

    pub fn app(&mut self) -> &mut App {
        &mut self.app
    }

    /// Tries the next due job once.
    pub fn step(&mut self) -> AppResult<Step> {
        let Some(cfg) = self.app.printer_settings()? else {
            return Ok(Step::NotConfigured);
        };
        let Some(job) = self.app.next_print_job()? else {
            return Ok(Step::Idle);
        };
        let result = Port::parse(&cfg.port)
            .map_err(PrintError::BadPort)
            .and_then(|port| send(&port, &job.document, cfg.code_page));
        // A job tried is a probe too.
        self.remember(&cfg.port, result.clone().map(drop));
        match result {
            Ok(()) => {
                self.app.print_job_done(job.id)?;
                Ok(Step::Printed(job.id))
            }
            Err(e) => {
                self.app.print_job_failed(job.id, &e.to_string())?;
                Ok(Step::Failed(job.id, e))
            }
        }
    }

    /// The status after a step.
    pub fn status(&mut self, step: &Step) -> AppResult<PrinterStatus> {
        let q = self.app.print_queue_state()?;
        let state = match step {
            Step::NotConfigured => PrinterState::NotConfigured,
            Step::Failed(_, PrintError::PaperOut) => PrinterState::PaperOut,
            Step::Failed(..) => PrinterState::Offline,
            Step::Printed(_) => PrinterState::Ready,
            // Idle: nothing due; what the last try or probe found (a job that failed is a
            // probe too), so a printer out of paper keeps saying so while its job waits.
            Step::Idle => match self.probe.as_ref().map(|p| &p.result) {
                Some(Err(PrintError::PaperOut)) => PrinterState::PaperOut,
                Some(Err(_)) => PrinterState::Offline,
                _ if q.last_error.is_some() => PrinterState::Offline,
                _ => PrinterState::Ready,
            },
        };
        let probed = match (step, self.probe.as_ref().map(|p| &p.result)) {
            (Step::Idle, Some(Err(e))) => Some(e.to_string()),
            _ => None,
        };
        Ok(PrinterStatus {
            state,
            pending: q.pending,
            last_error: q.last_error.or(probed),
        })
    }
}

/// Starts the printer thread on the database at `db`. `wake` is poked after anything is
/// queued (the thread also looks every half second); the thread ends when `wake`'s sender is
/// dropped.
pub fn spawn(
    db: &Path,
    status: Arc<Mutex<PrinterStatus>>,
    wake: Receiver<()>,
) -> io::Result<std::thread::JoinHandle<()>> {
    let db = db.to_path_buf();
    std::thread::Builder::new()
        .name("printer".into())
        .spawn(move || {
            let app = match App::open_existing(&db, Options::default()) {
                Ok(a) => a,
                Err(e) => {
                    tracing::error!("printer thread: cannot open the database: {e}");
                    return;
                }
            };
            let mut worker = PrintWorker::new(app);
            loop {
                let step = match worker.step() {
                    Ok(s) => s,
                    Err(e) => {
                        tracing::warn!("printer thread: {e}");
                        Step::Idle
                    }
                };
                if let Step::Failed(id, e) = &step {
                    tracing::warn!("print job {id}: {e}");
                }
                if matches!(step, Step::Idle)
                    && let Err(e) = worker.probe_if_due()
                {
                    tracing::warn!("printer thread: {e}");
                }
                if let Ok(s) = worker.status(&step) {
                    *status.lock().unwrap_or_else(|e| e.into_inner()) = s;
                }
                if matches!(step, Step::Printed(_)) {
                    continue;
                }
                match wake.recv_timeout(Duration::from_millis(500)) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_from_the_setting() {
        assert_eq!(
            Port::parse("serial:/dev/ttyUSB0"),
            Ok(Port::Serial {
                path: "/dev/ttyUSB0".into(),
                baud: 9600
            })
        );
        assert_eq!(
            Port::parse("/dev/ttyS1:19200"),
            Ok(Port::Serial {
                path: "/dev/ttyS1".into(),
                baud: 19200
            })
        );
        assert_eq!(
            Port::parse("tcp:192.168.1.50"),
            Ok(Port::Tcp("192.168.1.50:9100".into()))
        );
        assert_eq!(
            Port::parse("192.168.1.50:9101"),
            Ok(Port::Tcp("192.168.1.50:9101".into()))
        );
        assert_eq!(
            Port::parse("/dev/usb/lp0"),
            Ok(Port::Usb("/dev/usb/lp0".into()))
        );
        assert_eq!(
            Port::parse("file:/tmp/r.bin"),
            Ok(Port::File("/tmp/r.bin".into()))
        );
        assert!(Port::parse("printer").is_err());
        assert!(Port::parse("tcp:").is_err());
        assert!(Port::parse("serial:/dev/ttyS0:12").is_err());
    }
}
