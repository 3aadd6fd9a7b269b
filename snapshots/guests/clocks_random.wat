;; Reads every clock's resolution and time (and an unknown clock: EINVAL),
;; yields, and prints 16 seeded random bytes in hex.
(module
  (import "wasi_snapshot_preview1" "clock_res_get" (func $clock_res_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
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

  (data (i32.const 0x140) "0123456789abcdef")
  (func (export "_start")
    (local $id i32) (local $i i32) (local $b i32)
    (loop $clocks
      (drop (call $clock_res_get (local.get $id) (i32.const 0x18)))
      (drop (call $clock_time_get (local.get $id) (i64.const 1) (i32.const 0x18)))
      (local.set $id (i32.add (local.get $id) (i32.const 1)))
      (br_if $clocks (i32.lt_u (local.get $id) (i32.const 4))))
    (drop (call $clock_res_get (i32.const 9) (i32.const 0x18)))
    (drop (call $clock_time_get (i32.const 9) (i64.const 0) (i32.const 0x18)))
    (drop (call $sched_yield))
    (drop (call $random_get (i32.const 0x300) (i32.const 16)))
    (drop (call $random_get (i32.const 0x300) (i32.const 0)))
    ;; hex digits go to 0x500..0x520, then one write
    (loop $hex
      (local.set $b (i32.load8_u (i32.add (i32.const 0x300) (local.get $i))))
      (i32.store8 (i32.add (i32.const 0x500) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 0x140) (i32.shr_u (local.get $b) (i32.const 4)))))
      (i32.store8 (i32.add (i32.const 0x501) (i32.shl (local.get $i) (i32.const 1)))
        (i32.load8_u (i32.add (i32.const 0x140) (i32.and (local.get $b) (i32.const 15)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $hex (i32.lt_u (local.get $i) (i32.const 16))))
    (call $print (i32.const 0x500) (i32.const 32))
    (call $nl)))
