//! Sockets: `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`.
//!
//! A guest gets listening TCP sockets only from the host (`--tcplisten`);
//! `sock_accept` turns a pending connection into a stream descriptor that the
//! other three functions (and `fd_read`, `fd_write`, `poll_oneoff`) work on.
//! wasmtime's default preview 1 implementation (crates/wasi p1) has no
//! sockets (every `sock_*` call is `ENOTSOCK`); we behave like wasi-common,
//! the implementation `wasmtime run` uses with `--tcplisten`. Descriptors
//! that are not sockets give `ENOTSOCK`, as p1.

use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;

use super::WasiCtx;
use super::abi::{RECV_PEEK, RECV_WAITALL, SHUT_RD, SHUT_WR, fdflags, rights};
use super::errno::{Errno, WasiResult};
use super::guest::{GuestMemory, first_nonempty};
use super::table::{Descriptor, Entry};

/// `sock_accept`: accepts a connection; `flags` may hold `NONBLOCK` for the
/// new descriptor. Blocks unless the listener is non-blocking (then `EAGAIN`).
pub(crate) fn sock_accept(ctx: &mut WasiCtx, fd: u32, flags: u32) -> WasiResult<u32> {
    if flags & !u32::from(fdflags::NONBLOCK) != 0 {
        return Err(Errno::Inval.into());
    }
    let e = ctx.table.entry(fd)?;
    let Descriptor::Listener(l) = &e.desc else {
        return Err(Errno::Notsock.into());
    };
    e.require(rights::SOCK_ACCEPT)?;
    let (stream, _peer) = l.accept()?;
    stream.set_nonblocking(flags != 0)?;
    let mut entry = Entry::new(Descriptor::Stream(stream), rights::SOCKET, 0);
    entry.flags = flags as u16;
    ctx.table.push(entry)
}

/// `sock_recv`: receives into the iovecs. Without flags it reads once into
/// the first non-empty buffer, as wasi-common. `RECV_PEEK` leaves the data
/// queued; `RECV_WAITALL` fills every buffer in turn, stopping early only at
/// the end of the stream or an error. An error after some bytes arrived
/// returns those bytes (the error is met again by the next call), where
/// wasi-common would lose them. The output flags are always 0 (stream
/// sockets never truncate).
pub(crate) fn sock_recv(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    ri_data: u32,
    ri_data_len: u32,
    ri_flags: u32,
) -> WasiResult<(u32, u16)> {
    if ri_flags & !(RECV_PEEK | RECV_WAITALL) != 0 {
        return Err(Errno::Inval.into());
    }
    let iovs = mem.iovecs(ri_data, ri_data_len)?;
    let e = ctx.table.entry_mut(fd)?;
    if !matches!(e.desc, Descriptor::Stream(_)) {
        return Err(Errno::Notsock.into());
    }
    e.require(rights::FD_READ)?;
    let Descriptor::Stream(s) = &mut e.desc else { unreachable!("matched above") };
    let first = first_nonempty(&iovs);
    if ri_flags & RECV_PEEK != 0 {
        let Some((buf, len)) = first else { return Ok((0, 0)) };
        return Ok((s.peek(mem.slice_mut(buf, len)?)? as u32, 0));
    }
    if ri_flags & RECV_WAITALL == 0 {
        let Some((buf, len)) = first else { return Ok((0, 0)) };
        return Ok((s.read(mem.slice_mut(buf, len)?)? as u32, 0));
    }
    let n = mem.read_into(&iovs, |buf| {
        let mut filled = 0;
        while filled < buf.len() {
            match s.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                // A short count ends the call with what has arrived.
                Err(_) if filled > 0 => break,
                Err(err) => return Err(err),
            }
        }
        Ok(filled)
    })?;
    Ok((n, 0))
}

/// `sock_send`: sends the iovecs' bytes with one vectored write (which may be
/// short); no `siflags` are defined (`EINVAL`).
pub(crate) fn sock_send(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    si_data: u32,
    si_data_len: u32,
    si_flags: u32,
) -> WasiResult<u32> {
    if si_flags != 0 {
        return Err(Errno::Inval.into());
    }
    let iovs = mem.iovecs(si_data, si_data_len)?;
    let e = ctx.table.entry_mut(fd)?;
    if !matches!(e.desc, Descriptor::Stream(_)) {
        return Err(Errno::Notsock.into());
    }
    e.require(rights::FD_WRITE)?;
    let Descriptor::Stream(s) = &mut e.desc else { unreachable!("matched above") };
    // At most MAX_IO bytes are offered.
    Ok(s.write_vectored(&mem.io_slices(&iovs)?)? as u32)
}

/// `sock_shutdown`: shuts down reading (`RD`), writing (`WR`) or both. On a
/// listening socket the host decides (Linux accepts it and stops listening).
pub(crate) fn sock_shutdown(ctx: &mut WasiCtx, fd: u32, how: u32) -> WasiResult<()> {
    let how = match how {
        SHUT_RD => Shutdown::Read,
        SHUT_WR => Shutdown::Write,
        x if x == SHUT_RD | SHUT_WR => Shutdown::Both,
        _ => return Err(Errno::Inval.into()),
    };
    let e = ctx.table.entry(fd)?;
    let host = match how {
        Shutdown::Read => rustix::net::Shutdown::Read,
        Shutdown::Write => rustix::net::Shutdown::Write,
        Shutdown::Both => rustix::net::Shutdown::Both,
    };
    match &e.desc {
        Descriptor::Stream(s) => {
            e.require(rights::SOCK_SHUTDOWN)?;
            Ok(s.shutdown(how)?)
        }
        Descriptor::Listener(l) => {
            e.require(rights::SOCK_SHUTDOWN)?;
            Ok(rustix::net::shutdown(l, host)?)
        }
        _ => Err(Errno::Notsock.into()),
    }
}
