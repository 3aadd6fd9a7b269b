//! The byte buffer behind a linear memory.
//!
//! On Unix, a memory reserves address space for its maximum size up front
//! (inaccessible, and not backed by RAM or swap) and makes pages accessible as
//! it grows. The buffer therefore never moves, growing costs no copy, and
//! pages stay uncommitted until the guest touches them, so a module that
//! declares or grows a 4 GiB memory costs nothing until it uses it. Elsewhere
//! the buffer is a `Vec` that is reallocated on growth.

use std::ops::{Deref, DerefMut};

/// Zero-initialised bytes that can grow in place up to a reserved size.
pub(crate) struct Bytes {
    inner: imp::Bytes,
}

impl Bytes {
    /// `len` zero bytes that can grow to `max` bytes, or `None` if the address
    /// space or memory cannot be had.
    pub fn new(len: usize, max: usize) -> Option<Bytes> {
        Some(Bytes { inner: imp::Bytes::new(len, max.max(len))? })
    }

    /// Grows to `new_len` zero-extended bytes; `false` if that is more than
    /// the reservation or the memory cannot be had.
    pub fn grow(&mut self, new_len: usize) -> bool {
        new_len >= self.len() && self.inner.grow(new_len)
    }

    /// A pointer to the first byte, valid for `len()` bytes until the next
    /// `grow` (on Unix, for as long as the buffer lives).
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.inner.as_mut_ptr()
    }
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.inner.as_slice()
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        self.inner.as_mut_slice()
    }
}

// Miri cannot run mmap; it checks the executor with the portable buffer.
#[cfg(all(unix, not(miri)))]
mod imp {
    use std::ffi::c_void;
    use std::ptr::NonNull;

    use rustix::mm::{MapFlags, MprotectFlags, ProtFlags};

    pub(super) struct Bytes {
        /// Start of the reservation (dangling when `reserved == 0`).
        ptr: NonNull<u8>,
        /// Accessible bytes at the start of the reservation.
        len: usize,
        /// Reserved bytes, a multiple of the page size.
        reserved: usize,
    }

    // SAFETY: `Bytes` exclusively owns its mapping, like a `Vec<u8>` owns its
    // buffer; nothing else refers to it.
    unsafe impl Send for Bytes {}
    // SAFETY: shared access only reads through `&self`.
    unsafe impl Sync for Bytes {}

    /// The host's page size. rustix asks libc's `sysconf` for it (the
    /// `use-libc-auxv` feature in Cargo.toml): its own auxiliary-vector
    /// reader crashed under valgrind (see `tests/no_vdso.rs`).
    fn page_size() -> usize {
        rustix::param::page_size()
    }

    fn round_up(n: usize) -> Option<usize> {
        let page = page_size();
        n.checked_add(page - 1).map(|n| n / page * page)
    }

    impl Bytes {
        pub fn new(len: usize, max: usize) -> Option<Bytes> {
            let reserved = round_up(max)?;
            if reserved == 0 {
                return Some(Bytes { ptr: NonNull::dangling(), len: 0, reserved: 0 });
            }
            // SAFETY: a fresh private anonymous mapping at an address of the
            // kernel's choosing aliases nothing.
            let ptr = unsafe {
                rustix::mm::mmap_anonymous(
                    std::ptr::null_mut(),
                    reserved,
                    ProtFlags::empty(),
                    MapFlags::PRIVATE | MapFlags::NORESERVE,
                )
            }
            .ok()?;
            let mut bytes = Bytes { ptr: NonNull::new(ptr.cast())?, len: 0, reserved };
            bytes.grow(len).then_some(bytes)
        }

        pub fn grow(&mut self, new_len: usize) -> bool {
            if new_len > self.reserved {
                return false;
            }
            let (Some(old_end), Some(new_end)) = (round_up(self.len), round_up(new_len)) else {
                return false;
            };
            if new_end > old_end {
                // SAFETY: `old_end..new_end` lies within our reservation
                // (`new_end <= reserved` as `reserved` is page-aligned), which
                // only this buffer uses. Fresh anonymous pages read as zero.
                let made_accessible = unsafe {
                    rustix::mm::mprotect(
                        self.ptr.as_ptr().add(old_end).cast::<c_void>(),
                        new_end - old_end,
                        MprotectFlags::READ | MprotectFlags::WRITE,
                    )
                };
                if made_accessible.is_err() {
                    return false;
                }
            }
            self.len = new_len;
            true
        }

        pub fn as_mut_ptr(&mut self) -> *mut u8 {
            self.ptr.as_ptr()
        }

        pub fn as_slice(&self) -> &[u8] {
            // SAFETY: the first `len` bytes are mapped readable and writable,
            // initialised (zero or written since), and owned by `self`.
            unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
        }

        pub fn as_mut_slice(&mut self) -> &mut [u8] {
            // SAFETY: as for `as_slice`, and `&mut self` makes the access unique.
            unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
        }
    }

    impl Drop for Bytes {
        fn drop(&mut self) {
            if self.reserved != 0 {
                // SAFETY: the reservation was made by `mmap_anonymous` with this
                // length and is not used after this point. A failure can only
                // leak address space, so it is ignored.
                let _ = unsafe { rustix::mm::munmap(self.ptr.as_ptr().cast(), self.reserved) };
            }
        }
    }
}

#[cfg(any(not(unix), miri))]
mod imp {
    pub(super) struct Bytes {
        data: Vec<u8>,
        max: usize,
    }

    impl Bytes {
        pub fn new(len: usize, max: usize) -> Option<Bytes> {
            let mut data = Vec::new();
            data.try_reserve_exact(len).ok()?;
            data.resize(len, 0);
            Some(Bytes { data, max })
        }

        pub fn grow(&mut self, new_len: usize) -> bool {
            if new_len > self.max || self.data.try_reserve_exact(new_len - self.data.len()).is_err()
            {
                return false;
            }
            self.data.resize(new_len, 0);
            true
        }

        pub fn as_mut_ptr(&mut self) -> *mut u8 {
            self.data.as_mut_ptr()
        }

        pub fn as_slice(&self) -> &[u8] {
            &self.data
        }

        pub fn as_mut_slice(&mut self) -> &mut [u8] {
            &mut self.data
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bytes;

    #[test]
    fn grows_in_place_with_zeros() {
        let mut b = Bytes::new(10, 1 << 20).unwrap();
        assert_eq!(&b[..], &[0; 10]);
        b[9] = 7;
        let before = b.as_mut_ptr();
        assert!(b.grow(200_000));
        assert_eq!(b.len(), 200_000);
        assert_eq!(b[9], 7);
        assert!(b[10..].iter().all(|&x| x == 0));
        if cfg!(all(unix, not(miri))) {
            assert_eq!(b.as_mut_ptr(), before, "the buffer never moves");
        }
        assert!(!b.grow(1 << 21), "past the reservation");
        assert!(b.grow(1 << 20));
        assert!(!b.grow(10), "no shrinking");
    }

    #[test]
    fn empty_reservations_work() {
        let mut b = Bytes::new(0, 0).unwrap();
        assert!(b.is_empty());
        assert!(b.grow(0));
        assert!(!b.grow(1));
    }
}
