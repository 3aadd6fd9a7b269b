;; fd_readdir: a full listing, then resumed by cookie over buffers smaller than
;; one entry (16 bytes: the header's cookie only; 30 bytes: names cut short),
;; a cookie past the end, and errors.
(module
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x130) "\n ")

  ;; Writes len bytes at ptr to stdout (the iovec lives at 0x0).
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; Writes n in decimal to stdout (digits built below 0x120).
  (func $print_u64 (param $n i64)
    (local $p i32)
    (local.set $p (i32.const 0x120))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $n) (i64.const 10)))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $n) (i64.const 0))))
    (call $print (local.get $p) (i32.sub (i32.const 0x120) (local.get $p))))
  (func $nl (call $print (i32.const 0x130) (i32.const 1)))
  (func $sp (call $print (i32.const 0x131) (i32.const 1)))
  ;; Sets the iovec at 0x200 to (ptr, len).
  (func $iov (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0x200) (local.get $ptr))
    (i32.store (i32.const 0x204) (local.get $len)))

  ;; Prints "cookie type namlen name" for each whole-or-cut entry in buf[0..used).
  (func $list (param $buf i32) (param $used i32)
    (local $p i32) (local $end i32) (local $n i32)
    (local.set $p (local.get $buf))
    (local.set $end (i32.add (local.get $buf) (local.get $used)))
    (block $done (loop $next
      (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 24)) (local.get $end)))
      (call $print_u64 (i64.load (local.get $p)))
      (call $sp)
      (call $print_u64 (i64.load8_u (i32.add (local.get $p) (i32.const 20))))
      (call $sp)
      (local.set $n (i32.load (i32.add (local.get $p) (i32.const 16))))
      (call $print_u64 (i64.extend_i32_u (local.get $n)))
      (call $sp)
      (local.set $p (i32.add (local.get $p) (i32.const 24)))
      (if (i32.gt_u (i32.add (local.get $p) (local.get $n)) (local.get $end))
        (then (local.set $n (i32.sub (local.get $end) (local.get $p)))))
      (call $print (local.get $p) (local.get $n))
      (call $nl)
      (local.set $p (i32.add (local.get $p) (local.get $n)))
      (br $next))))
  (func (export "_start")
    (local $cookie i64) (local $used i32)
    (drop (call $fd_readdir (i32.const 3) (i32.const 0x1000) (i32.const 4096) (i64.const 0) (i32.const 0x10)))
    (call $list (i32.const 0x1000) (i32.load (i32.const 0x10)))
    ;; 16-byte buffer: only d_next and d_ino of one entry fit; follow the cookies
    (loop $walk
      (drop (call $fd_readdir (i32.const 3) (i32.const 0x2000) (i32.const 16) (local.get $cookie) (i32.const 0x10)))
      (if (i32.load (i32.const 0x10))
        (then
          (local.set $cookie (i64.load (i32.const 0x2000)))
          (br $walk))))
    ;; 30-byte buffer: one header and up to 6 bytes of the name
    (local.set $cookie (i64.const 0))
    (loop $walk
      (drop (call $fd_readdir (i32.const 3) (i32.const 0x2000) (i32.const 30) (local.get $cookie) (i32.const 0x10)))
      (local.set $used (i32.load (i32.const 0x10)))
      (if (local.get $used)
        (then
          (call $list (i32.const 0x2000) (local.get $used))
          (local.set $cookie (i64.load (i32.const 0x2000)))
          (br $walk))))
    ;; a cookie past the end, a file, a closed fd
    (drop (call $fd_readdir (i32.const 3) (i32.const 0x1000) (i32.const 4096) (i64.const 100) (i32.const 0x10)))
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 0x400) (i32.const 1)
      (i32.const 0) (i64.const 0x4002) (i64.const 0) (i32.const 0) (i32.const 0x10)))
    (drop (call $fd_readdir (i32.const 4) (i32.const 0x1000) (i32.const 4096) (i64.const 0) (i32.const 0x10)))
    (drop (call $fd_readdir (i32.const 99) (i32.const 0x1000) (i32.const 4096) (i64.const 0) (i32.const 0x10))))
  (data (i32.const 0x400) "a"))
