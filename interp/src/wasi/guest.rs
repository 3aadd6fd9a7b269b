//! Checked access to the guest's linear memory.
//!
//! WASI arguments are 32-bit offsets into memory 0. Every access here checks
//! bounds and, for typed values, alignment; a pointer or length that does not
//! fit traps (as the witx ABI says and both wasmtime implementations do), so
//! no guest value can make the host panic. Strings that must be UTF-8
//! (paths) fail with `EILSEQ`.
//!
//! I/O moves bytes straight between the host and the guest's buffers: a
//! write hands the host slices borrowed from memory and a read fills them in
//! place, so nothing is allocated in proportion to what the `iovec` lengths
//! add up to (aliased buffers can add up to far more than memory holds). One
//! call moves at most [`MAX_IO`] bytes; a short read or write is always legal.

use std::io::{self, IoSlice};

use super::errno::{Errno, WasiError, WasiResult};

/// The most bytes one read or write call moves, so the count fits the
/// result: a count above `i32::MAX` would be negative to a wasm32 libc's
/// `ssize_t` (and Linux moves at most `0x7fff_f000` bytes per call anyway).
pub(crate) const MAX_IO: usize = i32::MAX as usize;

/// The most buffers handed to one vectored write: Linux's `IOV_MAX`, which is
/// as many as the standard library passes to `writev` too.
pub(crate) const MAX_IOVS: usize = 1024;

/// The guest's memory for the duration of one WASI call.
#[derive(Debug)]
pub(crate) struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

impl<'a> GuestMemory<'a> {
    pub fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    fn range(&self, ptr: u32, len: u32) -> WasiResult<std::ops::Range<usize>> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or_else(WasiError::bad_pointer)?;
        if end > self.bytes.len() {
            return Err(WasiError::bad_pointer());
        }
        Ok(start..end)
    }

    fn aligned(&self, ptr: u32, len: u32, align: u32) -> WasiResult<std::ops::Range<usize>> {
        if !ptr.is_multiple_of(align) {
            return Err(WasiError::bad_pointer());
        }
        self.range(ptr, len)
    }

    /// `len` bytes at `ptr`.
    pub fn slice(&self, ptr: u32, len: u32) -> WasiResult<&[u8]> {
        let r = self.range(ptr, len)?;
        Ok(&self.bytes[r])
    }

    /// `len` bytes at `ptr`, mutably.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> WasiResult<&mut [u8]> {
        let r = self.range(ptr, len)?;
        Ok(&mut self.bytes[r])
    }

    /// A UTF-8 string of `len` bytes at `ptr` (a path).
    pub fn str(&self, ptr: u32, len: u32) -> WasiResult<&str> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::Ilseq.into())
    }

    pub fn read_u8(&self, ptr: u32) -> WasiResult<u8> {
        Ok(self.slice(ptr, 1)?[0])
    }

    pub fn read_u16(&self, ptr: u32) -> WasiResult<u16> {
        let r = self.aligned(ptr, 2, 2)?;
        Ok(u16::from_le_bytes(self.bytes[r].try_into().unwrap_or_default()))
    }

    pub fn read_u32(&self, ptr: u32) -> WasiResult<u32> {
        let r = self.aligned(ptr, 4, 4)?;
        Ok(u32::from_le_bytes(self.bytes[r].try_into().unwrap_or_default()))
    }

    pub fn read_u64(&self, ptr: u32) -> WasiResult<u64> {
        let r = self.aligned(ptr, 8, 8)?;
        Ok(u64::from_le_bytes(self.bytes[r].try_into().unwrap_or_default()))
    }

    pub fn write_u8(&mut self, ptr: u32, v: u8) -> WasiResult<()> {
        self.slice_mut(ptr, 1)?[0] = v;
        Ok(())
    }

    pub fn write_u16(&mut self, ptr: u32, v: u16) -> WasiResult<()> {
        let r = self.aligned(ptr, 2, 2)?;
        self.bytes[r].copy_from_slice(&v.to_le_bytes());
        Ok(())
    }

    pub fn write_u32(&mut self, ptr: u32, v: u32) -> WasiResult<()> {
        let r = self.aligned(ptr, 4, 4)?;
        self.bytes[r].copy_from_slice(&v.to_le_bytes());
        Ok(())
    }

    pub fn write_u64(&mut self, ptr: u32, v: u64) -> WasiResult<()> {
        let r = self.aligned(ptr, 8, 8)?;
        self.bytes[r].copy_from_slice(&v.to_le_bytes());
        Ok(())
    }

    /// Checks that a whole struct of `size` bytes with alignment `align` fits at `ptr`.
    pub fn check_struct(&self, ptr: u32, size: u32, align: u32) -> WasiResult<()> {
        self.aligned(ptr, size, align).map(|_| ())
    }

    /// The `(buf, buf_len)` pairs of an `iovec`/`ciovec` array, each checked to
    /// lie in memory, before any I/O is done.
    pub fn iovecs(&self, ptr: u32, count: u32) -> WasiResult<Vec<(u32, u32)>> {
        let size = count.checked_mul(8).ok_or_else(WasiError::bad_pointer)?;
        self.aligned(ptr, size, 4)?;
        let mut iovs = Vec::with_capacity(count as usize);
        for i in 0..count {
            let buf = self.read_u32(ptr + i * 8)?;
            let len = self.read_u32(ptr + i * 8 + 4)?;
            self.range(buf, len)?;
            iovs.push((buf, len));
        }
        Ok(iovs)
    }

    /// The buffers of a `ciovec` list for one vectored write, borrowed from
    /// memory: empty ones left out, at most [`MAX_IOVS`] of them and
    /// [`MAX_IO`] bytes in all (the last one cut short).
    pub fn io_slices(&self, iovs: &[(u32, u32)]) -> WasiResult<Vec<IoSlice<'_>>> {
        let mut budget = MAX_IO;
        let mut slices = Vec::new();
        for &(buf, len) in iovs {
            if slices.len() == MAX_IOVS || budget == 0 {
                break;
            }
            let n = (len as usize).min(budget);
            if n > 0 {
                slices.push(IoSlice::new(self.slice(buf, n as u32)?));
                budget -= n;
            }
        }
        Ok(slices)
    }

    /// Fills the buffers of an `iovec` list in order, each with one call of
    /// `read`, until a short read, the end of the list or [`MAX_IO`] bytes;
    /// returns the number of bytes read.
    ///
    /// If `read` fails after some bytes were read, those bytes are already in
    /// the guest's buffers: the count so far is returned and the error is
    /// left for the next call to meet.
    pub fn read_into(
        &mut self,
        iovs: &[(u32, u32)],
        mut read: impl FnMut(&mut [u8]) -> io::Result<usize>,
    ) -> WasiResult<u32> {
        let mut total = 0usize;
        for &(buf, len) in iovs {
            let want = (len as usize).min(MAX_IO - total);
            if want == 0 {
                if total == MAX_IO {
                    break;
                }
                continue;
            }
            match read(self.slice_mut(buf, want as u32)?) {
                Ok(n) => {
                    total += n.min(want);
                    if n < want {
                        break;
                    }
                }
                Err(_) if total > 0 => break,
                Err(err) => return Err(err.into()),
            }
        }
        Ok(total as u32)
    }
}

/// The first non-empty buffer of an `iovec` list, cut to [`MAX_IO`] bytes:
/// what one read from a stream fills, as in both wasmtime implementations (a
/// second read could block with data already in hand).
pub(crate) fn first_nonempty(iovs: &[(u32, u32)]) -> Option<(u32, u32)> {
    iovs.iter().find(|&&(_, len)| len > 0).map(|&(buf, len)| (buf, len.min(MAX_IO as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_bounds_and_misaligned_trap() {
        let mut bytes = vec![0u8; 16];
        let mut mem = GuestMemory::new(&mut bytes);
        assert!(matches!(mem.read_u32(14), Err(WasiError::Fatal(_))));
        assert!(matches!(mem.read_u32(2), Err(WasiError::Fatal(_))));
        assert!(matches!(mem.slice(u32::MAX, 2), Err(WasiError::Fatal(_))));
        mem.write_u64(8, 7).unwrap();
        assert_eq!(mem.read_u64(8).unwrap(), 7);
        mem.write_u8(0, 0xff).unwrap();
        assert!(matches!(mem.str(0, 1), Err(WasiError::Errno(Errno::Ilseq))));
    }

    /// Writes `iovs` as `(ptr, len)` pairs at `at` in `bytes`.
    fn put_iovecs(bytes: &mut [u8], at: usize, iovs: &[(u32, u32)]) {
        for (i, &(buf, len)) in iovs.iter().enumerate() {
            bytes[at + i * 8..at + i * 8 + 4].copy_from_slice(&buf.to_le_bytes());
            bytes[at + i * 8 + 4..at + i * 8 + 8].copy_from_slice(&len.to_le_bytes());
        }
    }

    #[test]
    fn aliased_write_buffers_borrow_memory_within_the_limits() {
        // 131072 iovecs, each all of a 1 MiB memory (128 GiB asked for):
        // nothing is copied; 1024 buffers and 1 GiB are offered.
        const MEM: usize = 1 << 20;
        let mut bytes = vec![0u8; 2 * MEM];
        let iovs = vec![(0u32, MEM as u32); MEM / 8];
        put_iovecs(&mut bytes, MEM, &iovs);
        let mem = GuestMemory::new(&mut bytes);
        let list = mem.iovecs(MEM as u32, (MEM / 8) as u32).unwrap();
        assert_eq!(list, iovs);
        let slices = mem.io_slices(&iovs).unwrap();
        assert_eq!(slices.len(), MAX_IOVS);
        assert_eq!(slices.iter().map(|s| s.len()).sum::<usize>(), MAX_IOVS * MEM);
        // Buffers adding up to more than MAX_IO: the last one is cut short.
        let slices = mem.io_slices(&[(0, 2 * MEM as u32); 1024]).unwrap();
        assert_eq!(slices.iter().map(|s| s.len()).sum::<usize>(), MAX_IO);
        assert_eq!(slices.len(), MAX_IO / (2 * MEM) + 1);
        // Empty buffers are left out; an out-of-bounds one traps.
        assert_eq!(mem.io_slices(&[(0, 0), (5, 3)]).unwrap().len(), 1);
        assert!(mem.io_slices(&[(2 * MEM as u32, 1)]).is_err());
    }

    #[test]
    fn reads_stop_at_the_limit_a_short_read_or_a_late_error() {
        let mut bytes = vec![0u8; 1 << 20];
        let mut mem = GuestMemory::new(&mut bytes);
        // 5000 aliased 1 MiB buffers ask for almost 5 GiB: the total stops at
        // MAX_IO instead of passing u32::MAX.
        let iovs = vec![(0u32, 1u32 << 20); 5000];
        let mut calls = 0;
        let n = mem
            .read_into(&iovs, |buf| {
                calls += 1;
                Ok(buf.len())
            })
            .unwrap();
        assert_eq!(n as usize, MAX_IO);
        assert_eq!(calls, MAX_IO.div_ceil(1 << 20));
        // A short read ends the call.
        let n = mem.read_into(&iovs, |buf| Ok(buf.len() / 2)).unwrap();
        assert_eq!(n, 1 << 19);
        // An error after some bytes were read returns the bytes read.
        let mut first = true;
        let mut read = |buf: &mut [u8]| {
            if std::mem::take(&mut first) {
                buf.fill(7);
                Ok(buf.len())
            } else {
                Err(io::Error::from(io::ErrorKind::ConnectionReset))
            }
        };
        assert_eq!(mem.read_into(&[(0, 4), (4, 4)], &mut read).unwrap(), 4);
        assert_eq!(mem.slice(0, 4).unwrap(), [7; 4]);
        // An error before anything was read is the call's error.
        let failing = |_: &mut [u8]| Err(io::Error::from(io::ErrorKind::ConnectionReset));
        assert!(matches!(
            mem.read_into(&[(0, 4)], failing),
            Err(WasiError::Errno(Errno::Connreset))
        ));
    }
}
