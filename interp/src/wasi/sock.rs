//! Sockets: `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`.
//!
//! A guest gets listening TCP sockets only from the host (`--tcplisten`, as
//! in wasmtime); `sock_accept` turns a pending connection into a stream
//! descriptor that the other three functions (and `fd_read`, `fd_write`,
//! `poll_oneoff`) work on. Descriptors that are not sockets give `ENOTSOCK`.

use std::io::{Read, Write};
use std::net::Shutdown;

use super::WasiCtx;
use super::abi::{RECV_PEEK, RECV_WAITALL, SHUT_RD, SHUT_WR, fdflags, rights};
use super::errno::{Errno, WasiResult};
use super::guest::GuestMemory;
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
    let mut entry = Entry::new(Descriptor::Stream(stream), rights::STREAM, 0);
    entry.flags = flags as u16;
    ctx.table.push(entry)
}

/// `sock_recv`: receives into the iovecs. `RECV_PEEK` leaves the data queued;
/// `RECV_WAITALL` waits until every buffer is full or the peer shuts down.
/// The output flags are always 0 (stream sockets never truncate).
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
    let Descriptor::Stream(s) = &mut e.desc else {
        return Err(Errno::Notsock.into());
    };
    if e.rights_base & rights::FD_READ == 0 {
        return Err(Errno::Notcapable.into());
    }
    let mut total = 0u32;
    for &(buf, len) in &iovs {
        let dst = mem.slice_mut(buf, len)?;
        if ri_flags & RECV_PEEK != 0 {
            return Ok((s.peek(dst)? as u32, 0));
        }
        let mut filled = 0;
        while filled < dst.len() {
            let n = s.read(&mut dst[filled..])?;
            filled += n;
            if n == 0 || ri_flags & RECV_WAITALL == 0 {
                break;
            }
        }
        total += filled as u32;
        if filled < dst.len() {
            break;
        }
        if ri_flags & RECV_WAITALL == 0 && total > 0 {
            break;
        }
    }
    Ok((total, 0))
}

/// `sock_send`: sends the iovecs' bytes; no `siflags` are defined (`EINVAL`).
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
    let data = mem.gather(si_data, si_data_len)?;
    let e = ctx.table.entry_mut(fd)?;
    let Descriptor::Stream(s) = &mut e.desc else {
        return Err(Errno::Notsock.into());
    };
    if e.rights_base & rights::FD_WRITE == 0 {
        return Err(Errno::Notcapable.into());
    }
    Ok(s.write(&data)? as u32)
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
