;; poll_oneoff: relative clock timeouts come back earliest first (ties in
;; subscription order), an absolute realtime deadline, several subscriptions
;; ready at once (stdin pipe, stdout pipe, a file), hangup at the end of stdin,
;; per-subscription errors, and no subscriptions (EINVAL). The test clock does
;; not move except when the guest sleeps.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)

  (data (i32.const 0x400) "f.txt")
  ;; Subscription $i (at 0x1000 + 48*i): a clock.
  (func $clock (param $i i32) (param $userdata i64) (param $id i32) (param $timeout i64) (param $flags i32)
    (local $p i32)
    (local.set $p (i32.add (i32.const 0x1000) (i32.mul (local.get $i) (i32.const 48))))
    (i64.store (local.get $p) (local.get $userdata))
    (i32.store8 (i32.add (local.get $p) (i32.const 8)) (i32.const 0))
    (i32.store (i32.add (local.get $p) (i32.const 16)) (local.get $id))
    (i64.store (i32.add (local.get $p) (i32.const 24)) (local.get $timeout))
    (i64.store (i32.add (local.get $p) (i32.const 32)) (i64.const 0))
    (i32.store16 (i32.add (local.get $p) (i32.const 40)) (local.get $flags)))
  ;; Subscription $i: fd readiness (tag 1 read, 2 write).
  (func $fd (param $i i32) (param $userdata i64) (param $tag i32) (param $fd i32)
    (local $p i32)
    (local.set $p (i32.add (i32.const 0x1000) (i32.mul (local.get $i) (i32.const 48))))
    (i64.store (local.get $p) (local.get $userdata))
    (i32.store8 (i32.add (local.get $p) (i32.const 8)) (local.get $tag))
    (i32.store (i32.add (local.get $p) (i32.const 16)) (local.get $fd)))
  (func $poll (param $n i32)
    (drop (call $poll_oneoff (i32.const 0x1000) (i32.const 0x2000) (local.get $n) (i32.const 0x10))))
  (func $now (param $id i32) (drop (call $clock_time_get (local.get $id) (i64.const 0) (i32.const 0x18))))
  (func (export "_start")
    (call $now (i32.const 1))
    ;; 30 ms, 10 ms, 20 ms: the 10 ms one fires
    (call $clock (i32.const 0) (i64.const 1) (i32.const 1) (i64.const 30000000) (i32.const 0))
    (call $clock (i32.const 1) (i64.const 2) (i32.const 1) (i64.const 10000000) (i32.const 0))
    (call $clock (i32.const 2) (i64.const 3) (i32.const 1) (i64.const 20000000) (i32.const 0))
    (call $poll (i32.const 3))
    (call $now (i32.const 1))
    ;; two equal timeouts: both, in subscription order
    (call $clock (i32.const 0) (i64.const 8) (i32.const 1) (i64.const 5000000) (i32.const 0))
    (call $clock (i32.const 1) (i64.const 7) (i32.const 1) (i64.const 5000000) (i32.const 0))
    (call $poll (i32.const 2))
    ;; an absolute realtime deadline 1 ms ahead beats a relative 50 ms
    (call $now (i32.const 0))
    (call $clock (i32.const 0) (i64.const 9) (i32.const 1) (i64.const 50000000) (i32.const 0))
    (call $clock (i32.const 1) (i64.const 10) (i32.const 0)
      (i64.add (i64.load (i32.const 0x18)) (i64.const 1000000)) (i32.const 1))
    (call $poll (i32.const 2))
    (call $now (i32.const 0))
    ;; an absolute deadline in the past fires at once
    (call $clock (i32.const 0) (i64.const 11) (i32.const 1) (i64.const 0) (i32.const 1))
    (call $poll (i32.const 1))
    ;; stdin and stdout are ready at once, the 1 s clock is not
    (call $clock (i32.const 0) (i64.const 20) (i32.const 1) (i64.const 1000000000) (i32.const 0))
    (call $fd (i32.const 1) (i64.const 21) (i32.const 1) (i32.const 0))
    (call $fd (i32.const 2) (i64.const 22) (i32.const 2) (i32.const 1))
    (call $poll (i32.const 3))
    ;; a file: nbytes is what is left to read
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 0x400) (i32.const 5)
      (i32.const 0) (i64.const 0x8200026) (i64.const 0) (i32.const 0) (i32.const 0x10)))
    (call $fd (i32.const 0) (i64.const 30) (i32.const 1) (i32.const 4))
    (call $fd (i32.const 1) (i64.const 31) (i32.const 2) (i32.const 4))
    (call $poll (i32.const 2))
    ;; stdin read to the end: ready, with hangup
    (i32.store (i32.const 0x200) (i32.const 0x800))
    (i32.store (i32.const 0x204) (i32.const 256))
    (drop (call $fd_read (i32.const 0) (i32.const 0x200) (i32.const 1) (i32.const 0x10)))
    (call $fd (i32.const 0) (i64.const 40) (i32.const 1) (i32.const 0))
    (call $poll (i32.const 1))
    ;; errors are per subscription: a closed fd, a directory without
    ;; POLL_FD_READWRITE, CPU-time and unknown clocks, reading stdout
    (call $fd (i32.const 0) (i64.const 50) (i32.const 1) (i32.const 99))
    (call $fd (i32.const 1) (i64.const 51) (i32.const 1) (i32.const 3))
    (call $clock (i32.const 2) (i64.const 52) (i32.const 2) (i64.const 1000) (i32.const 0))
    (call $clock (i32.const 3) (i64.const 53) (i32.const 9) (i64.const 1000) (i32.const 0))
    (call $fd (i32.const 4) (i64.const 54) (i32.const 1) (i32.const 1))
    (call $poll (i32.const 5))
    ;; no subscriptions
    (call $poll (i32.const 0))
    (call $now (i32.const 1))))
