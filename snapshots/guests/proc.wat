;; proc_exit, proc_raise and sched_yield; each export is run on its own.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
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

  (data (i32.const 0x400) "before exit\n")
  (data (i32.const 0x410) "still running\n")
  (func (export "exit_0") (call $print (i32.const 0x400) (i32.const 12)) (call $proc_exit (i32.const 0)))
  (func (export "exit_7") (call $print (i32.const 0x400) (i32.const 12)) (call $proc_exit (i32.const 7)))
  ;; 126 and above are reserved by shells: an error, as in wasmtime.
  (func (export "exit_126") (call $proc_exit (i32.const 126)))
  ;; SIGTERM (WASI 15) terminates: exit status 128 + 15.
  (func (export "raise_term")
    (call $print (i32.const 0x400) (i32.const 12))
    (drop (call $proc_raise (i32.const 15)))
    (call $print (i32.const 0x410) (i32.const 14)))
  ;; chld, winch and stop are ignored by default; 0 checks nothing; 99 is not a signal.
  (func (export "raise_ignored")
    (drop (call $proc_raise (i32.const 16)))
    (drop (call $proc_raise (i32.const 27)))
    (drop (call $proc_raise (i32.const 18)))
    (drop (call $proc_raise (i32.const 0)))
    (drop (call $proc_raise (i32.const 99)))
    (drop (call $sched_yield))
    (call $print (i32.const 0x410) (i32.const 14))))
