;; Exception handling the way C++ compiled with -fwasm-exceptions uses it,
;; written by hand (no toolchain that builds C++ with wasm exception handling
;; for wasm32-wasip1 is installable here; see README "Exception handling").
;;
;; - `$throw_obj` allocates an exception object {type, value} in linear memory
;;   and throws the C++ tag `$cpp` with its address, as __cxa_throw does.
;; - Functions with a live object that has a destructor (`Guard(n)`) wrap
;;   their body in a cleanup handler: `catch_all_ref` runs the destructor,
;;   then `throw_ref` rethrows the same exception (a landing pad with
;;   `resume`).
;; - `$f1` catches by type: `catch_ref $cpp` gets the object and the
;;   exception; an object of another type is rethrown with `throw_ref`.
;; - `$foreign` is another language's tag: only `catch_all` sees it.
;; - `_start` nests try_tables whose clauses pick labels at several levels.
;;
;; Expected output: examples/exceptions.expected
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 8192))
  (tag $cpp (param i32))
  (tag $foreign)
  (data (i32.const 1024) "main: start\00")
  (data (i32.const 1088) "f3: throwing \00")
  (data (i32.const 1152) "Error(\00")
  (data (i32.const 1216) "Fatal(\00")
  (data (i32.const 1280) "a foreign exception\00")
  (data (i32.const 1344) ")\00")
  (data (i32.const 1408) "~Guard(\00")
  (data (i32.const 1472) "f1: caught \00")
  (data (i32.const 1536) "f1: rethrowing\00")
  (data (i32.const 1600) "f1: not mine, passing on \00")
  (data (i32.const 1664) "main: caught \00")
  (data (i32.const 1728) "main: caught a foreign exception\00")
  (data (i32.const 1792) "main: nested handler chose the outer label\00")
  (data (i32.const 1856) "main: done\00")

  ;; Writes the NUL-terminated string at $s to stdout.
  (func $print (param $s i32)
    (local $len i32)
    (block $end
      (loop $scan
        (br_if $end (i32.eqz (i32.load8_u (i32.add (local.get $s) (local.get $len)))))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (br $scan)))
    (i32.store (i32.const 0) (local.get $s))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $newline
    (i32.store8 (i32.const 16) (i32.const 10))
    (i32.store8 (i32.const 17) (i32.const 0))
    (call $print (i32.const 16)))
  (func $println (param $s i32) (call $print (local.get $s)) (call $newline))
  ;; Prints a non-negative number in decimal.
  (func $print_num (param $n i32)
    (local $p i32)
    (local.set $p (i32.const 63))
    (i32.store8 (i32.const 63) (i32.const 0))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $print (local.get $p)))
  ;; Prints an exception object: Error(v) for type 1, Fatal(v) for type 2.
  (func $print_obj (param $obj i32)
    (call $print (select (i32.const 1152) (i32.const 1216)
      (i32.eq (i32.load (local.get $obj)) (i32.const 1))))
    (call $print_num (i32.load offset=4 (local.get $obj)))
    (call $print (i32.const 1344)))

  (func $dtor (param $n i32)
    (call $print (i32.const 1408))
    (call $print_num (local.get $n))
    (call $println (i32.const 1344)))

  ;; __cxa_throw: a new object {type, value}, thrown with the C++ tag.
  (func $throw_obj (param $type i32) (param $value i32)
    (local $obj i32)
    (local.set $obj (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (i32.const 8)))
    (i32.store (local.get $obj) (local.get $type))
    (i32.store offset=4 (local.get $obj) (local.get $value))
    (throw $cpp (local.get $obj)))

  ;; Throws: type 0 is a foreign exception, others C++ objects. Guard(3)
  ;; lives across the throw.
  (func $f3 (param $type i32) (param $value i32)
    (block $cleanup (result exnref)
      (try_table (catch_all_ref $cleanup)
        (call $print (i32.const 1088))
        (if (i32.eqz (local.get $type))
          (then (call $println (i32.const 1280)) (throw $foreign)))
        (i32.store (i32.const 32) (local.get $type))
        (i32.store (i32.const 36) (local.get $value))
        (call $print_obj (i32.const 32))
        (call $newline)
        (call $throw_obj (local.get $type) (local.get $value)))
      (call $dtor (i32.const 3))
      (return))
    (call $dtor (i32.const 3))
    (throw_ref))

  ;; Guard(2) lives across the call.
  (func $f2 (param $type i32) (param $value i32)
    (block $cleanup (result exnref)
      (try_table (catch_all_ref $cleanup)
        (call $f3 (local.get $type) (local.get $value)))
      (call $dtor (i32.const 2))
      (return))
    (call $dtor (i32.const 2))
    (throw_ref))

  ;; try { Guard g(1); f2(); } catch (Error& e) { print; throw; }
  ;; (Guard(1) is destroyed before the handler runs, as in C++.)
  (func $f1 (param $type i32) (param $value i32)
    (local $obj i32) (local $exn exnref)
    (block $catch (result i32 exnref)
      (block $cleanup (result exnref)
        (try_table (catch_ref $cpp $catch) (catch_all_ref $cleanup)
          ;; The guard's own cleanup handler is nested inside.
          (block $inner (result exnref)
            (try_table (catch_all_ref $inner)
              (call $f2 (local.get $type) (local.get $value)))
            (call $dtor (i32.const 1))
            (return))
          (call $dtor (i32.const 1))
          (throw_ref))
        (return))
      ;; Not a C++ exception: nothing to do here but pass it on.
      (throw_ref))
    (local.set $exn)
    (local.set $obj)
    (if (i32.ne (i32.load (local.get $obj)) (i32.const 1))
      (then
        (call $print (i32.const 1600))
        (call $print_obj (local.get $obj))
        (call $newline)
        (throw_ref (local.get $exn))))
    (call $print (i32.const 1472))
    (call $print_obj (local.get $obj))
    (call $newline)
    (call $println (i32.const 1536))
    (throw_ref (local.get $exn)))

  ;; Runs $f1 and reports what reached it: a C++ object or a foreign
  ;; exception.
  (func $run (param $type i32) (param $value i32)
    (block $foreign (result exnref)
      (block $caught (result i32)
        (try_table (catch $cpp $caught) (catch_all_ref $foreign)
          (call $f1 (local.get $type) (local.get $value)))
        (return))
      (call $print (i32.const 1664))
      (call $print_obj)
      (call $newline)
      (return))
    (drop)
    (call $println (i32.const 1728)))

  (func (export "_start")
    (call $println (i32.const 1024))
    (call $run (i32.const 1) (i32.const 42))
    (call $run (i32.const 2) (i32.const 7))
    (call $run (i32.const 0) (i32.const 0))
    ;; Nested try_tables: the inner one has no clause for $cpp, the outer
    ;; one's clause targets the outermost block, skipping the middle one.
    (block $outer (result i32)
      (block $middle
        (try_table (catch_all $middle)
          (try_table (result i32) (catch $cpp $outer)
            (try_table (catch $foreign $middle)
              (call $throw_obj (i32.const 1) (i32.const 5)))
            (i32.const 0))
          (drop))
        (unreachable))
      (unreachable))
    (call $print_obj)
    (call $newline)
    (call $println (i32.const 1792))
    (call $println (i32.const 1856)))
)
