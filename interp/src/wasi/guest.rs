//! Checked access to the guest's linear memory.
//!
//! WASI arguments are 32-bit offsets into memory 0. Every access here checks
//! bounds and, for typed values, alignment; a pointer or length that does not
//! fit traps (as the witx ABI says and wasmtime does), so no guest value can
//! make the host panic. Strings that must be UTF-8 (paths) fail with `EILSEQ`.

use super::errno::{Errno, WasiError, WasiResult};

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

    /// The bytes of a `ciovec` array, gathered into one buffer.
    pub fn gather(&self, ptr: u32, count: u32) -> WasiResult<Vec<u8>> {
        let iovs = self.iovecs(ptr, count)?;
        let total: usize = iovs.iter().map(|&(_, len)| len as usize).sum();
        let mut out = Vec::with_capacity(total);
        for (buf, len) in iovs {
            out.extend_from_slice(self.slice(buf, len)?);
        }
        Ok(out)
    }

    /// Copies `data` into the buffers of an `iovec` list in order; returns the
    /// number of bytes copied.
    pub fn scatter(&mut self, iovs: &[(u32, u32)], mut data: &[u8]) -> WasiResult<usize> {
        let mut copied = 0;
        for &(buf, len) in iovs {
            if data.is_empty() {
                break;
            }
            let n = (len as usize).min(data.len());
            self.slice_mut(buf, n as u32)?.copy_from_slice(&data[..n]);
            data = &data[n..];
            copied += n;
        }
        Ok(copied)
    }
}

/// The total length of an `iovec` list, capped so a buffer of it can be allocated.
pub(crate) fn iovecs_len(iovs: &[(u32, u32)]) -> usize {
    iovs.iter().map(|&(_, len)| len as usize).sum()
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
}
