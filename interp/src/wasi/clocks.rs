//! Clocks: `clock_res_get`, `clock_time_get`, and the pluggable [`WasiClock`]
//! that `poll_oneoff` also waits on.
//!
//! [`SystemClock`] reads the host's realtime, monotonic and CPU-time clocks.
//! [`FixedClock`] is for deterministic tests: time stands still except when
//! the guest waits, and then it jumps to the end of the wait at once.

use std::time::Duration;

use rustix::time::{ClockId, Timespec, clock_getres, clock_gettime};

use super::WasiCtx;
use super::abi::clockid;
use super::errno::{Errno, WasiResult};

/// A source of time for a guest.
pub trait WasiClock: Send {
    /// The time of clock `id` (a WASI `clockid`) in nanoseconds, or `None` if
    /// the clock does not exist.
    fn now(&self, id: u32) -> Option<u64>;

    /// The resolution of clock `id` in nanoseconds, or `None` if it does not exist.
    fn resolution(&self, id: u32) -> Option<u64>;

    /// Waits for `duration` (a `poll_oneoff` timeout with nothing else to wait on).
    fn sleep(&mut self, duration: Duration);
}

fn host_clock(id: u32) -> Option<ClockId> {
    Some(match id {
        clockid::REALTIME => ClockId::Realtime,
        clockid::MONOTONIC => ClockId::Monotonic,
        clockid::PROCESS_CPUTIME_ID => ClockId::ProcessCPUTime,
        clockid::THREAD_CPUTIME_ID => ClockId::ThreadCPUTime,
        _ => return None,
    })
}

fn nanos(t: Timespec) -> u64 {
    (t.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(t.tv_nsec as u64)
}

/// The host's clocks (`clock_gettime`), including process and thread CPU time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl WasiClock for SystemClock {
    fn now(&self, id: u32) -> Option<u64> {
        Some(nanos(clock_gettime(host_clock(id)?)))
    }

    fn resolution(&self, id: u32) -> Option<u64> {
        Some(nanos(clock_getres(host_clock(id)?)))
    }

    fn sleep(&mut self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// A clock for deterministic runs: every clock reads a fixed value that moves
/// only when the guest sleeps (`poll_oneoff` on a clock), and then by exactly
/// the time slept, without waiting.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock {
    realtime: u64,
    elapsed: u64,
}

impl FixedClock {
    /// A clock whose realtime clock starts at `realtime` nanoseconds since the
    /// Unix epoch; the monotonic and CPU-time clocks start at zero.
    pub fn new(realtime: u64) -> FixedClock {
        FixedClock { realtime, elapsed: 0 }
    }
}

impl Default for FixedClock {
    /// 2001-09-09T01:46:40Z (10⁹ seconds after the epoch).
    fn default() -> FixedClock {
        FixedClock::new(1_000_000_000 * 1_000_000_000)
    }
}

impl WasiClock for FixedClock {
    fn now(&self, id: u32) -> Option<u64> {
        match id {
            clockid::REALTIME => Some(self.realtime + self.elapsed),
            clockid::MONOTONIC => Some(self.elapsed),
            clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID => Some(0),
            _ => None,
        }
    }

    fn resolution(&self, id: u32) -> Option<u64> {
        self.now(id).map(|_| 1)
    }

    fn sleep(&mut self, duration: Duration) {
        self.elapsed =
            self.elapsed.saturating_add(u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX));
    }
}

/// `clock_res_get`: the resolution of a clock; `EINVAL` for an unknown clock id.
pub(crate) fn clock_res_get(ctx: &mut WasiCtx, id: u32) -> WasiResult<u64> {
    ctx.clock.resolution(id).ok_or(Errno::Inval.into())
}

/// `clock_time_get`: the time of a clock. The precision hint is ignored, as in
/// wasmtime; `EINVAL` for an unknown clock id.
pub(crate) fn clock_time_get(ctx: &mut WasiCtx, id: u32, _precision: u64) -> WasiResult<u64> {
    ctx.clock.now(id).ok_or(Errno::Inval.into())
}
