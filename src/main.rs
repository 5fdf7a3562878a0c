//! The `kassa` binary: parses the command line and runs it. See `cli.rs`.
//!
//! On Windows it is a window program (no console window opens behind the till); started
//! from a console with a command (`kassa.exe report …`) it writes to that console.

// A window program on Windows; the console of a command line is attached in `main`.
#![cfg_attr(windows, windows_subsystem = "windows")]

use clap::Parser;

fn main() -> std::process::ExitCode {
    kassa::platform::attach_console();
    let _ = kassa::ui::STARTED.set(std::time::Instant::now());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KASSA_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = kassa::cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    match kassa::cli::run(cli, &mut stdout) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kassa: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
