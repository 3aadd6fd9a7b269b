//! `poll_oneoff`: waits for clock timeouts and descriptor readiness.
//!
//! Clock subscriptions (relative, or absolute with
//! `SUBSCRIPTION_CLOCK_ABSTIME`) on the realtime and monotonic clocks become
//! deadlines on the context's monotonic clock. Files and in-memory pipes are
//! always ready (for reading, `nbytes` is what is left to read; at the end of
//! an in-memory pipe the `hangup` flag is set). Host stdio and sockets are
//! waited on with `poll(2)`. The call returns every subscription ready at the
//! time it wakes, in subscription order.
//!
//! Per-subscription problems are reported in the event's `error` (as
//! `poll(2)` reports `POLLNVAL` per descriptor) rather than failing the
//! call: `EBADF` for a closed or unpollable descriptor, `ENOTCAPABLE` without
//! `POLL_FD_READWRITE`, `ENOTSUP` for a timeout on a CPU-time clock (it would
//! not advance while the guest waits), `EINVAL` for an unknown clock.

use std::fmt;
use std::io::Seek;
use std::os::fd::BorrowedFd;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags};
use rustix::time::Timespec;

use super::WasiCtx;
use super::abi::{
    EVENT_SIZE, FD_READWRITE_HANGUP, GuestResult, SUBSCRIPTION_CLOCK_ABSTIME, SUBSCRIPTION_SIZE,
    clockid, eventtype, rights,
};
use super::errno::{Errno, WasiResult};
use super::fd::host_fd;
use super::guest::GuestMemory;
use super::table::{Descriptor, Input, Output};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Event {
    userdata: u64,
    error: Errno,
    ty: u8,
    nbytes: u64,
    flags: u16,
}

impl Event {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.slice_mut(ptr, EVENT_SIZE)?.fill(0);
        mem.write_u64(ptr, self.userdata)?;
        mem.write_u16(ptr + 8, self.error as u16)?;
        mem.write_u8(ptr + 10, self.ty)?;
        mem.write_u64(ptr + 16, self.nbytes)?;
        mem.write_u16(ptr + 24, self.flags)
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ty = match self.ty {
            eventtype::CLOCK => "clock",
            eventtype::FD_READ => "fd_read",
            _ => "fd_write",
        };
        write!(f, "{{userdata={}, error={}, type={ty}", self.userdata, self.error)?;
        if self.ty != eventtype::CLOCK {
            write!(f, ", nbytes={}, flags={:#x}", self.nbytes, self.flags)?;
        }
        f.write_str("}")
    }
}

/// The events `poll_oneoff` wrote: the result is their count.
#[derive(Debug)]
pub(crate) struct Events(Vec<Event>);

impl fmt::Display for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [", self.0.len())?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{e}")?;
        }
        f.write_str("]")
    }
}

impl GuestResult for Events {
    fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.write_u32(ptr, self.0.len() as u32)
    }
}

/// What one subscription waits for.
enum Wait {
    /// Ready now.
    Now(Event),
    /// A deadline on the monotonic clock.
    Deadline(u64, Event),
    /// A host descriptor (index into the context's table) and the poll event.
    Host(u32, PollFlags, Event),
}

/// `poll_oneoff`: `nsubscriptions` must be positive (`EINVAL`).
pub(crate) fn poll_oneoff(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    subs: u32,
    events: u32,
    nsubscriptions: u32,
) -> WasiResult<Events> {
    if nsubscriptions == 0 {
        return Err(Errno::Inval.into());
    }
    let in_size = nsubscriptions
        .checked_mul(SUBSCRIPTION_SIZE)
        .ok_or_else(super::errno::WasiError::bad_pointer)?;
    let out_size =
        nsubscriptions.checked_mul(EVENT_SIZE).ok_or_else(super::errno::WasiError::bad_pointer)?;
    mem.check_struct(subs, in_size, 8)?;
    mem.check_struct(events, out_size, 8)?;

    let start = ctx.clock.now(clockid::MONOTONIC).unwrap_or(0);
    let mut waits = Vec::with_capacity(nsubscriptions as usize);
    for i in 0..nsubscriptions {
        let sub = subs + i * SUBSCRIPTION_SIZE;
        let userdata = mem.read_u64(sub)?;
        let tag = mem.read_u8(sub + 8)?;
        let mut event = Event { userdata, error: Errno::Success, ty: tag, nbytes: 0, flags: 0 };
        let wait = match tag {
            eventtype::CLOCK => {
                let id = mem.read_u32(sub + 16)?;
                let timeout = mem.read_u64(sub + 24)?;
                let flags = mem.read_u16(sub + 40)?;
                clock_wait(ctx, start, id, timeout, flags, event)
            }
            eventtype::FD_READ | eventtype::FD_WRITE => {
                let fd = mem.read_u32(sub + 16)?;
                fd_wait(ctx, fd, tag == eventtype::FD_WRITE, &mut event)
                    .unwrap_or_else(|errno| Wait::Now(Event { error: errno, ..event }))
            }
            _ => return Err(Errno::Inval.into()),
        };
        waits.push(wait);
    }

    let ready = wait_for(ctx, &mut waits, start)?;
    for (i, event) in ready.iter().enumerate() {
        event.write(mem, events + i as u32 * EVENT_SIZE)?;
    }
    Ok(Events(ready))
}

fn clock_wait(ctx: &WasiCtx, start: u64, id: u32, timeout: u64, flags: u16, event: Event) -> Wait {
    let error = |errno| Wait::Now(Event { error: errno, ..event });
    if flags & !SUBSCRIPTION_CLOCK_ABSTIME != 0 {
        return error(Errno::Inval);
    }
    match id {
        clockid::REALTIME | clockid::MONOTONIC => {
            let remaining = if flags & SUBSCRIPTION_CLOCK_ABSTIME != 0 {
                timeout.saturating_sub(ctx.clock.now(id).unwrap_or(0))
            } else {
                timeout
            };
            Wait::Deadline(start.saturating_add(remaining), event)
        }
        clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID => error(Errno::Notsup),
        _ => error(Errno::Inval),
    }
}

fn fd_wait(ctx: &mut WasiCtx, fd: u32, write: bool, event: &mut Event) -> Result<Wait, Errno> {
    let e = ctx.table.entry_mut(fd).map_err(|_| Errno::Badf)?;
    if e.rights_base & rights::POLL_FD_READWRITE == 0 {
        return Err(Errno::Notcapable);
    }
    match (&mut e.desc, write) {
        (Descriptor::File(f), false) => {
            let size = f.metadata().map_err(Errno::from)?.len();
            let pos = f.stream_position().map_err(Errno::from)?;
            event.nbytes = size.saturating_sub(pos);
            Ok(Wait::Now(*event))
        }
        (Descriptor::File(_), true) | (Descriptor::Output(Output::Pipe(_)), true) => {
            Ok(Wait::Now(*event))
        }
        (Descriptor::Input(Input::Pipe(p)), false) => {
            event.nbytes = p.remaining() as u64;
            if p.remaining() == 0 {
                event.flags = FD_READWRITE_HANGUP;
            }
            Ok(Wait::Now(*event))
        }
        (Descriptor::Input(Input::Pipe(_)), true)
        | (Descriptor::Output(Output::Pipe(_)), false)
        | (Descriptor::Dir(_), _) => Err(Errno::Badf),
        (_, write) => {
            Ok(Wait::Host(fd, if write { PollFlags::OUT } else { PollFlags::IN }, *event))
        }
    }
}

fn timespec(ns: u64) -> Timespec {
    Timespec { tv_sec: (ns / 1_000_000_000) as i64, tv_nsec: (ns % 1_000_000_000) as _ }
}

/// Waits until something is ready and returns the ready events in order.
fn wait_for(ctx: &mut WasiCtx, waits: &mut [Wait], start: u64) -> WasiResult<Vec<Event>> {
    let any_now = waits.iter().any(|w| matches!(w, Wait::Now(_)));
    let deadline = waits
        .iter()
        .filter_map(|w| match w {
            Wait::Deadline(d, _) => Some(*d),
            _ => None,
        })
        .min();
    let timeout = if any_now { Some(0) } else { deadline.map(|d| d.saturating_sub(start)) };

    let hosts: Vec<(usize, u32, PollFlags)> = waits
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match w {
            Wait::Host(fd, flags, _) => Some((i, *fd, *flags)),
            _ => None,
        })
        .collect();
    let mut revents = vec![PollFlags::empty(); waits.len()];
    let mut nbytes = vec![0u64; waits.len()];
    if hosts.is_empty() {
        if let Some(t) = timeout.filter(|&t| t > 0) {
            ctx.clock.sleep(Duration::from_nanos(t));
        }
    } else {
        let fds: Vec<BorrowedFd<'_>> = hosts
            .iter()
            .map(|&(_, fd, _)| {
                ctx.table.entry(fd).ok().and_then(|e| host_fd(&e.desc)).ok_or(Errno::Badf)
            })
            .collect::<Result<_, _>>()?;
        let mut pollfds: Vec<PollFd<'_>> =
            fds.iter().zip(&hosts).map(|(fd, &(_, _, flags))| PollFd::new(fd, flags)).collect();
        let ts = timeout.map(timespec);
        loop {
            match rustix::event::poll(&mut pollfds, ts.as_ref()) {
                Err(rustix::io::Errno::INTR) => continue,
                result => {
                    result?;
                    break;
                }
            }
        }
        for ((pfd, &(i, _, _)), fd) in pollfds.iter().zip(&hosts).zip(&fds) {
            revents[i] = pfd.revents();
            if pfd.revents().contains(PollFlags::IN) {
                nbytes[i] = rustix::io::ioctl_fionread(fd).unwrap_or(0);
            }
        }
        if revents.iter().all(|r| r.is_empty()) {
            // Nothing became ready: the timeout passed. A virtual clock has not
            // moved while the host waited, so move it now.
            if let (Some(t), Some(now)) = (timeout, ctx.clock.now(clockid::MONOTONIC)) {
                let waited = now.saturating_sub(start);
                if waited < t {
                    ctx.clock.sleep(Duration::from_nanos(t - waited));
                }
            }
        }
    }

    let now = ctx.clock.now(clockid::MONOTONIC).unwrap_or(u64::MAX);
    let mut ready = Vec::new();
    for (i, w) in waits.iter().enumerate() {
        match w {
            Wait::Now(e) => ready.push(*e),
            Wait::Deadline(d, e) if *d <= now => ready.push(*e),
            Wait::Host(_, _, e) if !revents[i].is_empty() => {
                let mut e = *e;
                e.nbytes = nbytes[i];
                if revents[i].intersects(PollFlags::HUP) {
                    e.flags |= FD_READWRITE_HANGUP;
                }
                if revents[i].intersects(PollFlags::ERR | PollFlags::NVAL)
                    && !revents[i].intersects(PollFlags::IN | PollFlags::OUT)
                {
                    e.error = Errno::Io;
                }
                ready.push(e);
            }
            _ => {}
        }
    }
    Ok(ready)
}
