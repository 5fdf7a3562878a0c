//! The label printer's own queue: one worker thread sends TSPL jobs to their ports in the
//! order they were given, so batches never interleave on the printer and the window never
//! waits for it (a printer that is off costs the worker its timeout, not the window a
//! frame). Receipts have their own queue (`printer`); the two never share a thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::domain::device_address::Port;

/// One batch of labels for a port.
pub struct Job {
    pub port: Port,
    /// The port as the user wrote it, for messages.
    pub port_text: String,
    pub bytes: Vec<u8>,
    /// How many labels the batch prints.
    pub labels: u32,
}

/// What became of a job: the labels sent, or the port that did not take them and why.
pub enum Outcome {
    Sent(u32),
    Failed { port: String, reason: String },
}

pub struct LabelQueue {
    jobs: Sender<Job>,
    outcomes: Receiver<Outcome>,
    waiting: Arc<AtomicUsize>,
}

impl LabelQueue {
    /// Starts the worker; it ends when the queue is dropped.
    pub fn start() -> LabelQueue {
        let (jobs, todo) = channel::<Job>();
        let (done, outcomes) = channel();
        let waiting = Arc::new(AtomicUsize::new(0));
        let left = Arc::clone(&waiting);
        std::thread::Builder::new()
            .name("label-printer".into())
            .spawn(move || {
                for job in todo {
                    let outcome = send(&job);
                    left.fetch_sub(1, Ordering::SeqCst);
                    if done.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| tracing::error!("label printer thread: {e}"))
            .ok();
        LabelQueue {
            jobs,
            outcomes,
            waiting,
        }
    }

    /// Queues a job behind the others.
    pub fn submit(&self, job: Job) {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let port = job.port_text.clone();
        if self.jobs.send(job).is_err() {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            tracing::error!("label printer thread is gone; job for {port} dropped");
        }
    }

    /// Jobs given and not yet finished.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// The outcomes that came in since the last look.
    pub fn finished(&self) -> Vec<Outcome> {
        self.outcomes.try_iter().collect()
    }
}

/// Writes a label program to its port at once (the queue's worker, and `kassa labels`);
/// the error is the system's own reason, for the log or the command line.
pub fn send_bytes(port: &Port, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    let mut link = super::printer::Link::open(port).map_err(|e| e.to_string())?;
    link.write_all(bytes)
        .and_then(|()| link.flush())
        .map_err(|e| e.to_string())
}

fn send(job: &Job) -> Outcome {
    match send_bytes(&job.port, &job.bytes) {
        Ok(()) => Outcome::Sent(job.labels),
        Err(reason) => {
            tracing::warn!("label printer {}: {reason}", job.port_text);
            Outcome::Failed {
                port: job.port_text.clone(),
                reason,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_go_out_in_order_and_a_bad_port_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("labels.prn");
        let q = LabelQueue::start();
        for n in 1..=3u8 {
            q.submit(Job {
                port: Port::parse(&format!("file:{}", file.display())).unwrap(),
                port_text: "file".into(),
                bytes: vec![b'0' + n],
                labels: u32::from(n),
            });
        }
        q.submit(Job {
            port: Port::parse("tcp:127.0.0.1:9").unwrap(),
            port_text: "tcp:127.0.0.1:9".into(),
            bytes: vec![b'x'],
            labels: 1,
        });
        let mut got = Vec::new();
        while got.len() < 4 {
            got.extend(q.outcomes.recv().ok());
        }
        assert_eq!(q.waiting(), 0);
        let sent: Vec<u32> = got
            .iter()
            .filter_map(|o| match o {
                Outcome::Sent(n) => Some(*n),
                Outcome::Failed { .. } => None,
            })
            .collect();
        assert_eq!(sent, [1, 2, 3]);
        assert!(matches!(&got[3], Outcome::Failed { port, .. } if port == "tcp:127.0.0.1:9"));
        assert_eq!(std::fs::read(&file).unwrap(), b"123");
    }
}
