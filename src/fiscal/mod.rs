//! The fiscal provider (a virtual cash register) and the worker that registers the queue.
//!
//! [`Provider`] is the one small interface: open and close the fiscal shift, a sale, a
//! refund, the provider's state, and a receipt looked up by our code. The first real provider
//! is REGOS: VCR ([`regos`]); a second one (the "Virtual kassa Communicator" on
//! `localhost:8347/uzpos`, a payment provider's fiscalization) is one new file implementing
//! it. With `fiscal.provider = none` nothing is queued and nothing runs.
//!
//! The worker ([`Worker::step`], run on its own thread by [`spawn`] and in the foreground by
//! `kassa fiscal send`) takes what `App::fiscal_next` gives, in order. A receipt is claimed in
//! a committed write before its request; an answer that may not have come (a timeout, a
//! connection cut after sending) leaves it claimed, and a claimed receipt is looked up by its
//! code before it is sent again; a "duplicate code" answer is resolved the same way. So a
//! sale is never registered twice, and never lost.

pub mod regos;

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::app::{App, AppResult, FiscalAnswer, FiscalConfig, FiscalRequest, FiscalTask};

/// Why a provider's call did not register what it was asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FiscalError {
    /// The request never reached the provider (connection refused, no route): safe to send
    /// again.
    #[error("the fiscal provider cannot be reached: {0}")]
    Unreachable(String),
    /// The request may have reached it and the answer was lost (a timeout, a cut
    /// connection, a page that is not its answer): look it up by its code.
    #[error("no answer from the fiscal provider: {0}")]
    NoAnswer(String),
    /// A receipt with this code is registered already.
    #[error("a receipt with this code is registered already")]
    Duplicate,
    /// The provider refused, in its words (a shift over 24 hours, the module full, not
    /// registered, wrong data): shown to people, sent again by a manager.
    #[error("the fiscal provider refused: {0}")]
    Refused(String),
}

/// A fiscal provider: every call blocks until its answer (one request at a time).
pub trait Provider: Send {
    /// Ready to register receipts (the module connected, the cashier known).
    fn status(&mut self) -> Result<(), FiscalError>;
    /// Opens the fiscal shift (Z report) for a Kassa shift.
    fn open_shift(&mut self, shift_id: i32, cashier: &str) -> Result<(), FiscalError>;
    /// Closes it; returns the Z report's number when the provider says it.
    fn close_shift(&mut self, shift_id: i32, cashier: &str) -> Result<Option<String>, FiscalError>;
    fn sale(&mut self, r: &FiscalRequest) -> Result<FiscalAnswer, FiscalError>;
    /// A refund of the positions in `r`, with its sale's fiscal data in `r.original`.
    fn refund(&mut self, r: &FiscalRequest) -> Result<FiscalAnswer, FiscalError>;
    /// The receipt registered under our `code`, if any.
    fn lookup(&mut self, code: &str) -> Result<Option<FiscalAnswer>, FiscalError>;
}

/// The provider a configuration names; `None` for "none" or one not known.
pub fn provider_for(cfg: &FiscalConfig) -> Option<Box<dyn Provider>> {
    match cfg.provider.as_str() {
        "regos-vcr" => Some(Box::new(regos::RegosVcr::new(cfg))),
        _ => None,
    }
}

/// What the fiscal worker shows (the status bar).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerState {
    /// The provider could not be reached at the last try.
    pub offline: bool,
    pub last_error: Option<String>,
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing due (or no provider).
    Idle,
    /// Something registered (a shift opened or closed, a receipt).
    Done,
    /// Tried and failed; tried again later.
    Failed(FiscalError),
}

/// How long to wait before trying a receipt again after `attempts` tries: 2 s, 4 s, … up to
/// a minute.
pub fn retry_delay(attempts: u32) -> i64 {
    (2i64 << attempts.min(5)).min(60)
}

/// Takes the fiscal queue one task per [`Worker::step`].
pub struct Worker {
    app: App,
    provider: Option<(FiscalConfig, Box<dyn Provider>)>,
    attempts: u32,
    pub state: WorkerState,
}

impl Worker {
    pub fn new(app: App) -> Worker {
        Worker {
            app,
            provider: None,
            attempts: 0,
            state: WorkerState::default(),
        }
    }

    /// Uses `provider` instead of the one the settings name (tests).
    pub fn with_provider(app: App, cfg: FiscalConfig, provider: Box<dyn Provider>) -> Worker {
        Worker {
            app,
            provider: Some((cfg, provider)),
            attempts: 0,
            state: WorkerState::default(),
        }
    }

    pub fn app(&mut self) -> &mut App {
        &mut self.app
    }

    /// The provider of the current settings (made again when they change).
    fn provider(&mut self) -> AppResult<Option<&mut Box<dyn Provider>>> {
        let cfg = self.app.fiscal_config()?;
        match (&cfg, &self.provider) {
            (None, _) => {
                self.provider = None;
                return Ok(None);
            }
            (Some(c), Some((had, _))) if c == had => {}
            (Some(c), _) => self.provider = provider_for(c).map(|p| (c.clone(), p)),
        }
        Ok(self.provider.as_mut().map(|(_, p)| p))
    }

    /// Does the next due task once.
    pub fn step(&mut self) -> AppResult<Step> {
        let Some(task) = self.app.fiscal_next()? else {
            return Ok(Step::Idle);
        };
        let Some(provider) = self.provider()? else {
            return Ok(Step::Idle);
        };
        let result = match &task {
            FiscalTask::OpenShift { shift_id, cashier } => {
                let r = provider.open_shift(*shift_id, cashier);
                self.shift_result(*shift_id, true, r.map(|()| None))?
            }
            FiscalTask::CloseShift { shift_id, cashier } => {
                let r = provider.close_shift(*shift_id, cashier);
                self.shift_result(*shift_id, false, r)?
            }
            FiscalTask::Receipt {
                id,
                request,
                claimed,
            } => self.receipt(*id, request, *claimed)?,
        };
        match &result {
            Step::Failed(FiscalError::Unreachable(e) | FiscalError::NoAnswer(e)) => {
                self.state.offline = true;
                self.state.last_error = Some(e.clone());
                self.attempts = self.attempts.saturating_add(1);
            }
            Step::Failed(e) => {
                self.state.offline = false;
                self.state.last_error = Some(e.to_string());
            }
            _ => {
                self.state.offline = false;
                self.state.last_error = None;
                self.attempts = 0;
            }
        }
        Ok(result)
    }

    fn shift_result(
        &mut self,
        shift_id: i32,
        opened: bool,
        r: Result<Option<String>, FiscalError>,
    ) -> AppResult<Step> {
        match r {
            Ok(z) => {
                self.app.fiscal_shift(shift_id, opened, Ok(z))?;
                Ok(Step::Done)
            }
            Err(e) => {
                self.app
                    .fiscal_shift(shift_id, opened, Err(e.to_string()))?;
                Ok(Step::Failed(e))
            }
        }
    }

    /// Registers one receipt: looked up first when it may have been sent before, claimed
    /// before its request, and settled by its answer.
    fn receipt(&mut self, id: i32, request: &FiscalRequest, claimed: bool) -> AppResult<Step> {
        let Some((_, provider)) = self.provider.as_mut() else {
            return Ok(Step::Idle);
        };
        if claimed {
            match provider.lookup(&request.code) {
                Ok(Some(answer)) => {
                    self.app.fiscal_done(id, &answer)?;
                    return Ok(Step::Done);
                }
                Ok(None) => {}
                Err(e) => {
                    let delay = retry_delay(self.attempts);
                    self.app.fiscal_later(id, &e.to_string(), delay, true)?;
                    return Ok(Step::Failed(e));
                }
            }
        }
        self.app.fiscal_claim(id)?;
        let Some((_, provider)) = self.provider.as_mut() else {
            return Ok(Step::Idle);
        };
        let sent = if request.kind == "refund" {
            provider.refund(request)
        } else {
            provider.sale(request)
        };
        let outcome = match sent {
            Err(FiscalError::Duplicate) => match provider.lookup(&request.code) {
                Ok(Some(answer)) => Ok(answer),
                Ok(None) => Err(FiscalError::Refused(
                    "the provider says the code is taken but does not know it".into(),
                )),
                Err(e) => Err(e),
            },
            other => other,
        };
        match outcome {
            Ok(answer) => {
                self.app.fiscal_done(id, &answer)?;
                Ok(Step::Done)
            }
            Err(e @ FiscalError::Unreachable(_)) => {
                let delay = retry_delay(self.attempts);
                self.app.fiscal_later(id, &e.to_string(), delay, false)?;
                Ok(Step::Failed(e))
            }
            Err(e @ FiscalError::NoAnswer(_)) => {
                let delay = retry_delay(self.attempts);
                self.app.fiscal_later(id, &e.to_string(), delay, true)?;
                Ok(Step::Failed(e))
            }
            Err(e) => {
                self.app.fiscal_refused(id, &e.to_string())?;
                Ok(Step::Failed(e))
            }
        }
    }

    /// Steps until nothing is due or a try fails; returns how many tasks were done and the
    /// failure, if any (`kassa fiscal send`).
    pub fn drain(&mut self) -> AppResult<(usize, Option<FiscalError>)> {
        let mut done = 0;
        loop {
            match self.step()? {
                Step::Idle => return Ok((done, None)),
                Step::Done => done += 1,
                Step::Failed(e) => return Ok((done, Some(e))),
            }
        }
    }
}

/// Starts the fiscal thread on the database at `db`; it looks at the queue every half
/// second (and when poked through `wake`), and ends when `wake`'s sender is dropped.
pub fn spawn(
    db: &std::path::Path,
    state: Arc<Mutex<WorkerState>>,
    wake: Receiver<()>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let db = db.to_path_buf();
    std::thread::Builder::new()
        .name("fiscal".into())
        .spawn(move || {
            let app = match App::open_existing(&db, crate::app::Options::default()) {
                Ok(a) => a,
                Err(e) => {
                    tracing::error!("fiscal thread: cannot open the database: {e}");
                    return;
                }
            };
            let mut worker = Worker::new(app);
            let mut claimed = false;
            loop {
                // One sender of the shop's queue: on a server the tills take turns for it.
                if !claimed {
                    claimed = worker
                        .app()
                        .claim(crate::app::Duty::Fiscal)
                        .unwrap_or_else(|e| {
                            tracing::warn!("fiscal thread: {e}");
                            false
                        });
                }
                let step = if !claimed {
                    Step::Idle
                } else {
                    worker.step().unwrap_or_else(|e| {
                        tracing::warn!("fiscal thread: {e}");
                        Step::Idle
                    })
                };
                if let Step::Failed(e) = &step {
                    tracing::warn!("fiscal: {e}");
                }
                *state.lock().unwrap_or_else(|e| e.into_inner()) = worker.state.clone();
                if matches!(step, Step::Done) {
                    continue;
                }
                if let Err(std::sync::mpsc::RecvTimeoutError::Disconnected) =
                    wake.recv_timeout(Duration::from_millis(500))
                {
                    return;
                }
            }
        })
}
