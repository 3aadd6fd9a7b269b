;; Prints its arguments and environment, one per line: args_sizes_get,
;; args_get, environ_sizes_get, environ_get.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
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

  ;; Prints the n NUL-terminated strings whose pointers are at $ptrs.
  (func $print_list (param $ptrs i32) (param $n i32)
    (local $s i32) (local $e i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.load (local.get $ptrs)))
      (local.set $e (local.get $s))
      (block $end (loop $scan
        (br_if $end (i32.eqz (i32.load8_u (local.get $e))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $scan)))
      (call $print (local.get $s) (i32.sub (local.get $e) (local.get $s)))
      (call $nl)
      (local.set $ptrs (i32.add (local.get $ptrs) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next))))
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 0x10) (i32.const 0x14)))
    (drop (call $args_get (i32.const 0x800) (i32.const 0x1000)))
    (call $print_list (i32.const 0x800) (i32.load (i32.const 0x10)))
    (drop (call $environ_sizes_get (i32.const 0x10) (i32.const 0x14)))
    (drop (call $environ_get (i32.const 0x800) (i32.const 0x1000)))
    (call $print_list (i32.const 0x800) (i32.load (i32.const 0x10)))))
