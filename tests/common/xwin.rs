//! The program's real window under Xvfb, driven by xdotool as a person and a keyboard-wedge
//! scanner would (tests that are run by the scripts in scripts/: they need Xvfb, xdotool and
//! ImageMagick's `import`). Every step waits for something observed (the window's pixels, the
//! database), never for a fixed time alone.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Children killed when the test ends, however it ends.
pub struct Kill(pub Vec<Child>);

impl Drop for Kill {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn free_display() -> u32 {
    (150..250)
        .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
        .expect("a free X display number")
}

pub fn xdotool(display: &str, args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool (apt-get install xdotool)");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn screen(display: &str) -> Vec<u8> {
    Command::new("import")
        .args(["-window", "root", "rgb:-"])
        .env("DISPLAY", display)
        .output()
        .expect("import (apt-get install imagemagick)")
        .stdout
}

/// Waits until `done` holds, checking every 50 ms, for at most `limit`.
pub fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Xvfb at 1280×720 and the program's window on `db` (the debug binary), focused.
pub struct Window {
    pub display: String,
    pub children: Kill,
}

impl Window {
    pub fn start(db: &Path, home: &Path) -> Window {
        let n = free_display();
        let display = format!(":{n}");
        let mut children = Kill(Vec::new());
        children.0.push(
            Command::new("Xvfb")
                .args([&display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb (apt-get install xvfb)"),
        );
        wait_for("Xvfb", Duration::from_secs(20), || {
            Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        });
        children.0.push(
            Command::new(env!("CARGO_BIN_EXE_kassa"))
                .args(["--db", db.to_str().unwrap()])
                .env("DISPLAY", &display)
                .env("HOME", home)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        // The window that is mapped (winit may make more than one X window), with the
        // keyboard focus: keys sent once it has it wait in its queue until it reads them.
        let mut window = String::new();
        wait_for("the window", Duration::from_secs(120), || {
            window = xdotool(&display, &["search", "--onlyvisible", "--name", "^Kassa$"])
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            if window.is_empty() {
                return false;
            }
            xdotool(&display, &["windowfocus", "--sync", &window]);
            xdotool(&display, &["getwindowfocus"]) == window
        });
        let blank = screen(&display);
        wait_for("the log-in screen", Duration::from_secs(60), || {
            let now = screen(&display);
            now != blank && now.iter().any(|&b| b < 0x80)
        });
        Window { display, children }
    }

    /// One action, then waits until the window has drawn something new: egui moves the
    /// focus at the end of a frame, so a Tab and the text after it in one frame would land in
    /// one field.
    pub fn step(&self, what: &str, args: &[&str]) {
        let before = screen(&self.display);
        xdotool(&self.display, args);
        let start = Instant::now();
        while screen(&self.display) == before {
            if start.elapsed() > Duration::from_secs(120) {
                let shot = self.shot("kassa-window-failed.png");
                panic!(
                    "timed out waiting for {what}; the screen is in {}",
                    shot.display()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn keys(&self, args: &[&str]) {
        xdotool(&self.display, args);
    }

    /// Logs in from the keyboard.
    pub fn log_in(&self, login: &str, password: &str) {
        self.step("the login typed", &["type", "--delay", "20", login]);
        self.step("the focus on the password", &["key", "Tab"]);
        self.step("the password typed", &["type", "--delay", "20", password]);
        self.step("the till", &["key", "Return"]);
    }

    /// Busy loops, `per_core` per core, for the rest of the test.
    pub fn load(&mut self, per_core: usize) -> usize {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        for _ in 0..per_core * cores {
            self.children.0.push(
                Command::new("sh")
                    .args(["-c", "while :; do :; done"])
                    .spawn()
                    .unwrap(),
            );
        }
        per_core * cores
    }

    /// Saves what the window shows; returns where.
    pub fn shot(&self, name: &str) -> std::path::PathBuf {
        let shot = std::env::temp_dir().join(name);
        let _ = Command::new("import")
            .args(["-window", "root", shot.to_str().unwrap_or_default()])
            .env("DISPLAY", &self.display)
            .status();
        shot
    }
}
