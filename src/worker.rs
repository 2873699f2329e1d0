//! Child processes of this binary, for work that must not be able to take the run down: the
//! legacy readers ([`crate::read::isolate`], a fresh child for each file) and `--isolate`
//! ([`crate::isolate`], one long-lived child per job reading file after file).
//!
//! One protocol serves both. The child is this same binary started as `xxgk __worker KIND`;
//! requests go to its standard input and answers come back on its standard output as frames: a
//! 4-byte little-endian length, then that many bytes. The parent writes and reads on threads of
//! their own, so neither pipe can block it; it bounds the size of every answer and the time it
//! waits for one, and kills the child past either. A child that dies is seen as the end of its
//! output, and its exit status says how it died.
//!
//! The binary is found in this order: [`set_exe`], the `XXGK_WORKER` environment variable, the
//! running executable when it is `xxgk`, an `xxgk` beside the running executable or in its parent
//! folder (cargo's test layout).

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::OnceLock;
use std::time::Duration;

/// The first argument that makes `xxgk` a worker; the second names the work.
pub const WORKER_ARG: &str = "__worker";

static EXE: OnceLock<PathBuf> = OnceLock::new();

/// Names the `xxgk` binary to start as the worker (tests pass cargo's `CARGO_BIN_EXE_xxgk`).
/// The first call wins.
pub fn set_exe(path: impl Into<PathBuf>) {
    let _ = EXE.set(path.into());
}

/// The `xxgk` binary to start, if there is one (a library user may have none).
pub fn exe() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    if let Some(p) = EXE.get() {
        return Some(p.clone());
    }
    FOUND
        .get_or_init(|| {
            if let Some(p) = std::env::var_os("XXGK_WORKER") {
                return Some(PathBuf::from(p));
            }
            let exe = std::env::current_exe().ok()?;
            let name = format!("xxgk{}", std::env::consts::EXE_SUFFIX);
            if exe.file_name().is_some_and(|n| n == name.as_str()) {
                return Some(exe);
            }
            let dir = exe.parent()?;
            [dir.join(&name), dir.parent()?.join(&name)]
                .into_iter()
                .find(|p| p.is_file())
        })
        .clone()
}

/// Why a request got no answer.
#[derive(Debug)]
pub enum Failure {
    /// No answer within the time given; the child has been killed.
    Timeout,
    /// The child ended without answering; how it ended (see [`describe`]).
    Died(String),
    /// The answer was longer than the bound; the child has been killed.
    TooLarge,
}

/// A running child.
pub struct Worker {
    child: Child,
    requests: Option<Sender<Vec<u8>>>,
    answers: Receiver<Result<Vec<u8>, Failure>>,
}

impl Worker {
    /// Starts `exe __worker KIND` (its standard error goes where ours goes when `show_errors`,
    /// else nowhere). Answers longer than `max_answer` bytes are refused.
    pub fn spawn(exe: &Path, kind: &str, show_errors: bool, max_answer: usize) -> io::Result<Self> {
        let mut child = Command::new(exe)
            .arg(WORKER_ARG)
            .arg(kind)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if show_errors {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()?;
        let (Some(mut stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("the worker has no pipes"));
        };
        let (requests, to_write) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            // Ends when the parent drops its sender (stdin closes: the child's cue to exit) or
            // the child stops reading.
            for frame in to_write {
                if write_frame(&mut stdin, &frame).is_err() {
                    break;
                }
            }
        });
        let (answered, answers) = mpsc::channel();
        std::thread::spawn(move || loop {
            let answer = match read_frame(&mut stdout, max_answer) {
                Ok(Some(frame)) => Ok(frame),
                Ok(None) | Err(FrameError::Io) => break,
                Err(FrameError::TooLarge) => Err(Failure::TooLarge),
            };
            let last = answer.is_err();
            if answered.send(answer).is_err() || last {
                break;
            }
        });
        Ok(Worker {
            child,
            requests: Some(requests),
            answers,
        })
    }

    /// Sends one request and waits at most `timeout` for its answer. After a failure the child
    /// is gone: drop this worker and start another.
    pub fn ask(&mut self, request: Vec<u8>, timeout: Duration) -> Result<Vec<u8>, Failure> {
        if let Some(requests) = &self.requests {
            // A child that has died no longer reads: the answer channel tells.
            let _ = requests.send(request);
        }
        match self.answers.recv_timeout(timeout) {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(failure)) => {
                self.kill();
                Err(failure)
            }
            Err(RecvTimeoutError::Timeout) => {
                self.kill();
                Err(Failure::Timeout)
            }
            Err(RecvTimeoutError::Disconnected) => {
                self.requests = None;
                Err(Failure::Died(match self.child.wait() {
                    Ok(status) => describe(status),
                    Err(e) => e.to_string(),
                }))
            }
        }
    }

    fn kill(&mut self) {
        self.requests = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    /// Closing stdin asks the child to finish; one that still runs after a moment is killed.
    fn drop(&mut self) {
        self.requests = None;
        for _ in 0..50 {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        self.kill();
    }
}

/// How a child ended, in words.
pub fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let what = match sig {
                libc::SIGXCPU => " (CPU time limit)",
                libc::SIGKILL => " (killed)",
                libc::SIGABRT => " (aborted, e.g. out of memory)",
                libc::SIGSEGV => " (segmentation fault)",
                _ => "",
            };
            return format!("signal {sig}{what}");
        }
    }
    match status.code() {
        Some(c) => format!("exit status {c}"),
        None => "no exit status".into(),
    }
}

/// The child's side: answers each request frame on standard input with one frame on standard
/// output until the input ends. Returns the exit code: 0 at the end of input, 3 for a request
/// over `max_request` bytes or a broken pipe.
pub fn serve(max_request: usize, mut answer: impl FnMut(Vec<u8>) -> Vec<u8>) -> i32 {
    let mut stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    loop {
        match read_frame(&mut stdin, max_request) {
            Ok(Some(request)) => {
                let reply = answer(request);
                if write_frame(&mut stdout, &reply).is_err() {
                    return 3;
                }
            }
            Ok(None) => return 0,
            Err(_) => return 3,
        }
    }
}

enum FrameError {
    TooLarge,
    Io,
}

fn write_frame(w: &mut impl Write, frame: &[u8]) -> io::Result<()> {
    let len = u32::try_from(frame.len()).map_err(|_| io::Error::other("frame over 4 GiB"))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(frame)?;
    w.flush()
}

/// One frame, or `None` at a clean end of input (no partial length).
fn read_frame(r: &mut impl Read, max: usize) -> Result<Option<Vec<u8>>, FrameError> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(FrameError::Io),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(FrameError::Io),
        }
    }
    let len = u32::from_le_bytes(len) as usize;
    if len > max {
        return Err(FrameError::TooLarge);
    }
    let mut frame = vec![0; len];
    r.read_exact(&mut frame).map_err(|_| FrameError::Io)?;
    Ok(Some(frame))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_bounds_hold() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"abc").unwrap();
        write_frame(&mut buf, b"").unwrap();
        let mut r = &buf[..];
        assert_eq!(read_frame(&mut r, 3).ok().flatten().unwrap(), b"abc");
        assert_eq!(read_frame(&mut r, 3).ok().flatten().unwrap(), b"");
        assert!(matches!(read_frame(&mut r, 3), Ok(None)));
        let mut r = &buf[..];
        assert!(matches!(read_frame(&mut r, 2), Err(FrameError::TooLarge)));
        // A cut length or a cut body is an error, not a clean end.
        let mut r = &buf[..2];
        assert!(matches!(read_frame(&mut r, 3), Err(FrameError::Io)));
        let mut r = &buf[..5];
        assert!(matches!(read_frame(&mut r, 3), Err(FrameError::Io)));
    }
}
