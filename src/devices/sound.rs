//! The till's sounds, on their own thread: a refused scan is heard as well as seen, as a
//! cashier looking at the customer expects. Tones are generated here (no sound files). On
//! Linux they are played through ALSA's `libasound.so.2`, loaded when the first tone is asked
//! for, so the program builds without audio headers and runs on a machine without sound (a
//! server, CI, a till with the speaker unplugged): it then stays silent and says so once in
//! the log. On desktops ALSA's default device goes through PipeWire or PulseAudio when they
//! run. On Windows the same notes go through `Beep` (the default sound device). The one
//! seam is [`Player`].

use std::sync::mpsc::{Receiver, Sender, channel};

/// What the till wants heard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// A scan or a key refused (unknown barcode, misread, nothing added): low, two notes.
    Refused,
}

/// Samples per second of the generated tones.
pub const RATE: u32 = 22_050;

/// The tone's notes: (frequency in Hz, milliseconds); 0 Hz is a pause.
pub fn notes(tone: Tone) -> &'static [(u32, u32)] {
    match tone {
        Tone::Refused => &[(440, 110), (0, 40), (330, 180)],
    }
}

/// The tone as 16-bit mono samples: square-ish notes with short fades, so they are heard
/// over a shop's noise without clicking.
pub fn samples(tone: Tone) -> Vec<i16> {
    let mut out = Vec::new();
    for &(freq, ms) in notes(tone) {
        let n = (RATE * ms / 1000) as usize;
        let fade = (RATE / 200) as usize; // 5 ms
        for i in 0..n {
            if freq == 0 {
                out.push(0);
                continue;
            }
            let phase = (i as u64 * u64::from(freq) * 2 / u64::from(RATE)) % 2;
            let level: i32 = if phase == 0 { 9_000 } else { -9_000 };
            let edge = i.min(n - 1 - i).min(fade) as i32;
            out.push((level * edge / fade as i32) as i16);
        }
    }
    out
}

/// Where the GUI sends tones; playing never blocks a frame.
#[derive(Clone)]
pub struct Sound {
    tx: Sender<Tone>,
}

impl Sound {
    /// Starts the sound thread.
    pub fn spawn() -> std::io::Result<Sound> {
        let (tx, rx) = channel();
        std::thread::Builder::new()
            .name("sound".into())
            .spawn(move || run(&rx))?;
        Ok(Sound { tx })
    }

    /// A sound for tests: tones go to `tx`.
    pub fn to(tx: Sender<Tone>) -> Sound {
        Sound { tx }
    }

    pub fn play(&self, tone: Tone) {
        let _ = self.tx.send(tone);
    }
}

/// After the sound device could not be opened, how long the thread stays silent before
/// trying again (a speaker plugged back in is heard again; the log is not flooded).
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

fn run(rx: &Receiver<Tone>) {
    let mut alsa: Option<Result<Player, String>> = None;
    let mut silent_until: Option<std::time::Instant> = None;
    while let Ok(tone) = rx.recv() {
        // Tones asked for while one played are one tone, not a queue of them.
        while rx.try_recv().is_ok() {}
        if silent_until.is_some_and(|t| std::time::Instant::now() < t) {
            continue;
        }
        let player = alsa
            .get_or_insert_with(|| Player::load().inspect_err(|e| tracing::warn!("no sound: {e}")));
        if let Ok(a) = player {
            match a.play(tone) {
                Ok(()) => silent_until = None,
                Err(e) => {
                    tracing::warn!("sound: {e}; silent for {} s", RETRY_AFTER.as_secs());
                    silent_until = Some(std::time::Instant::now() + RETRY_AFTER);
                }
            }
        }
    }
}

#[cfg(not(windows))]
type Player = Alsa;
#[cfg(windows)]
type Player = Beeper;

/// Windows: the notes through `Beep`, which plays on the default sound device.
#[cfg(windows)]
struct Beeper;

#[cfg(windows)]
impl Beeper {
    fn load() -> Result<Beeper, String> {
        Ok(Beeper)
    }

    fn play(&self, tone: Tone) -> Result<(), String> {
        for &(freq, ms) in notes(tone) {
            if freq == 0 {
                std::thread::sleep(std::time::Duration::from_millis(u64::from(ms)));
                continue;
            }
            // SAFETY: Beep takes two numbers and blocks until the note has played.
            if unsafe { windows_sys::Win32::System::Diagnostics::Debug::Beep(freq, ms) } == 0 {
                return Err(std::io::Error::last_os_error().to_string());
            }
        }
        Ok(())
    }
}

/// The five ALSA calls a tone needs, from `libasound.so.2` at run time.
#[cfg(not(windows))]
struct Alsa {
    _lib: libloading::Library,
    open:
        unsafe extern "C" fn(*mut *mut std::ffi::c_void, *const std::ffi::c_char, i32, i32) -> i32,
    set_params: unsafe extern "C" fn(*mut std::ffi::c_void, i32, i32, u32, u32, i32, u32) -> i32,
    writei: unsafe extern "C" fn(*mut std::ffi::c_void, *const std::ffi::c_void, u64) -> i64,
    drain: unsafe extern "C" fn(*mut std::ffi::c_void) -> i32,
    close: unsafe extern "C" fn(*mut std::ffi::c_void) -> i32,
}

#[cfg(not(windows))]
const SND_PCM_STREAM_PLAYBACK: i32 = 0;
#[cfg(not(windows))]
const SND_PCM_FORMAT_S16_LE: i32 = 2;
#[cfg(not(windows))]
const SND_PCM_ACCESS_RW_INTERLEAVED: i32 = 3;

#[cfg(not(windows))]
impl Alsa {
    fn load() -> Result<Alsa, String> {
        // SAFETY: libasound's initialisers only set up its own state; the symbols are read
        // with the signatures of ALSA's documented C API (alsa/pcm.h).
        unsafe {
            let lib = libloading::Library::new("libasound.so.2").map_err(|e| e.to_string())?;
            let open = *lib.get(b"snd_pcm_open\0").map_err(|e| e.to_string())?;
            let set_params = *lib
                .get(b"snd_pcm_set_params\0")
                .map_err(|e| e.to_string())?;
            let writei = *lib.get(b"snd_pcm_writei\0").map_err(|e| e.to_string())?;
            let drain = *lib.get(b"snd_pcm_drain\0").map_err(|e| e.to_string())?;
            let close = *lib.get(b"snd_pcm_close\0").map_err(|e| e.to_string())?;
            Ok(Alsa {
                _lib: lib,
                open,
                set_params,
                writei,
                drain,
                close,
            })
        }
    }

    /// Plays the tone as mono 16-bit samples at [`RATE`] on the default device; returns
    /// when played.
    fn play(&self, tone: Tone) -> Result<(), String> {
        let samples = &samples(tone);
        let mut pcm: *mut std::ffi::c_void = std::ptr::null_mut();
        // SAFETY: `pcm` is set by a successful open and closed exactly once below; the
        // buffer outlives the blocking write of `len` frames of one i16 each.
        unsafe {
            let rc = (self.open)(&mut pcm, c"default".as_ptr(), SND_PCM_STREAM_PLAYBACK, 0);
            if rc < 0 || pcm.is_null() {
                return Err(format!("cannot open the default sound device ({rc})"));
            }
            let rc = (self.set_params)(
                pcm,
                SND_PCM_FORMAT_S16_LE,
                SND_PCM_ACCESS_RW_INTERLEAVED,
                1,
                RATE,
                1,
                100_000,
            );
            let result = if rc < 0 {
                Err(format!("the sound device refused the format ({rc})"))
            } else {
                let n = (self.writei)(pcm, samples.as_ptr().cast(), samples.len() as u64);
                if n < 0 {
                    Err(format!("the sound device refused the tone ({n})"))
                } else {
                    (self.drain)(pcm);
                    Ok(())
                }
            };
            (self.close)(pcm);
            result
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_tone_is_two_notes_with_a_pause_and_soft_edges() {
        let s = samples(Tone::Refused);
        assert_eq!(s.len(), (RATE * 330 / 1000) as usize);
        // Starts and ends at silence (no click), and is loud in between.
        assert_eq!(s[0], 0);
        assert_eq!(*s.last().unwrap(), 0);
        assert!(s.iter().any(|&v| v >= 9_000) && s.iter().any(|&v| v <= -9_000));
        // The pause between the notes is silent.
        let pause = (RATE * 110 / 1000) as usize..(RATE * 150 / 1000) as usize;
        assert!(s[pause].iter().all(|&v| v == 0));
    }
}
