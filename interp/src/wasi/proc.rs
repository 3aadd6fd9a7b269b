//! Process: `proc_exit`, `proc_raise`, `sched_yield`.
//!
//! The library never ends the host process: `proc_exit` and a terminating
//! `proc_raise` return [`Error::exit`](crate::Error::exit) and the embedder
//! (e.g. the `interp` runner) decides what to do with the status.

use super::WasiCtx;
use super::errno::{Errno, WasiError, WasiResult};
use crate::Error;

/// `proc_exit`: ends the guest with `code`.
///
/// As in wasmtime, a status outside `0..126` is not an exit but an error
/// ("exit with invalid exit status outside of [0..126)"): statuses from 126 up
/// are reserved by shells for "not executable", "not found" and signals.
pub(crate) fn proc_exit(_ctx: &mut WasiCtx, code: u32) -> WasiError {
    if code < 126 {
        WasiError::Fatal(Error::exit(code as i32))
    } else {
        WasiError::Fatal(Error::msg("exit with invalid exit status outside of [0..126)"))
    }
}

/// What a signal does by default (POSIX).
#[derive(Debug, PartialEq, Eq)]
enum Action {
    Terminate,
    Ignore,
}

/// The POSIX (Linux) number and default action of a WASI `signal`.
fn signal(sig: u32) -> Option<(i32, Action)> {
    use Action::*;
    Some(match sig {
        1 => (1, Terminate),   // hup
        2 => (2, Terminate),   // int
        3 => (3, Terminate),   // quit (core)
        4 => (4, Terminate),   // ill (core)
        5 => (5, Terminate),   // trap (core)
        6 => (6, Terminate),   // abrt (core)
        7 => (7, Terminate),   // bus (core)
        8 => (8, Terminate),   // fpe (core)
        9 => (9, Terminate),   // kill
        10 => (10, Terminate), // usr1
        11 => (11, Terminate), // segv (core)
        12 => (12, Terminate), // usr2
        13 => (13, Terminate), // pipe
        14 => (14, Terminate), // alrm
        15 => (15, Terminate), // term
        16 => (17, Ignore),    // chld
        17 => (18, Ignore),    // cont
        // stop, tstp, ttin, ttou: the default stops the process until SIGCONT.
        // Nothing can continue a stopped guest, so stopping and continuing at
        // once is what can be observed: the signal has no effect.
        18 => (19, Ignore),
        19 => (20, Ignore),
        20 => (21, Ignore),
        21 => (22, Ignore),
        22 => (23, Ignore),    // urg
        23 => (24, Terminate), // xcpu (core)
        24 => (25, Terminate), // xfsz (core)
        25 => (26, Terminate), // vtalrm
        26 => (27, Terminate), // prof
        27 => (28, Ignore),    // winch
        28 => (29, Terminate), // poll
        29 => (30, Terminate), // pwr
        30 => (31, Terminate), // sys (core)
        _ => return None,
    })
}

/// `proc_raise`: delivers signal `sig` to the guest, which has no handlers,
/// so the signal's default action happens: terminating signals end the guest
/// with exit status 128 + the host signal number (what a shell reports for a
/// process killed by that signal), ignored ones return success. Signal 0
/// (`none`) checks nothing and succeeds, as `raise(0)`; unknown signals are
/// `EINVAL`. (wasmtime instead traps with "proc_raise unsupported".)
pub(crate) fn proc_raise(ctx: &mut WasiCtx, sig: u32) -> WasiResult<()> {
    if sig == 0 {
        return Ok(());
    }
    let (number, action) = signal(sig).ok_or(Errno::Inval)?;
    match action {
        Action::Ignore => Ok(()),
        Action::Terminate => {
            let _ = ctx.flush();
            Err(WasiError::Fatal(Error::exit(128 + number)))
        }
    }
}

/// `sched_yield`: yields the host thread.
pub(crate) fn sched_yield(_ctx: &mut WasiCtx) -> WasiResult<()> {
    std::thread::yield_now();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_numbers_follow_posix() {
        assert_eq!(signal(15), Some((15, Action::Terminate)));
        assert_eq!(signal(16), Some((17, Action::Ignore)));
        assert_eq!(signal(30), Some((31, Action::Terminate)));
        assert_eq!(signal(31), None);
    }
}
