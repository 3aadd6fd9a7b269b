//! Randomness: `random_get` and the pluggable [`WasiRandom`] source.
//!
//! [`OsRandom`] is the host's `getrandom`; [`SeededRandom`] is a small
//! deterministic generator (SplitMix64) for reproducible test runs. It is not
//! cryptographically secure and must not be used for anything but tests.

use std::io;

use super::WasiCtx;
use super::errno::WasiResult;
use super::guest::GuestMemory;

/// A source of random bytes for a guest.
pub trait WasiRandom: Send {
    /// Fills `buf` with random bytes.
    ///
    /// # Errors
    ///
    /// If the source fails.
    fn fill(&mut self, buf: &mut [u8]) -> io::Result<()>;
}

/// The host's cryptographically secure random source (`getrandom(2)`).
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl WasiRandom for OsRandom {
    fn fill(&mut self, mut buf: &mut [u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = rustix::rand::getrandom(&mut *buf, rustix::rand::GetRandomFlags::empty())?;
            buf = &mut buf[n..];
        }
        Ok(())
    }
}

/// A deterministic generator seeded by the host (SplitMix64), for tests.
#[derive(Debug, Clone, Copy)]
pub struct SeededRandom {
    state: u64,
}

impl SeededRandom {
    /// A generator whose output is fixed by `seed`.
    pub fn new(seed: u64) -> SeededRandom {
        SeededRandom { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl WasiRandom for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) -> io::Result<()> {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// `random_get`: fills `buf_len` bytes at `buf` with random data.
pub(crate) fn random_get(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    buf: u32,
    buf_len: u32,
) -> WasiResult<()> {
    let out = mem.slice_mut(buf, buf_len)?;
    ctx.random.fill(out)?;
    Ok(())
}
