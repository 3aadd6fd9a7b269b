;; Unbounded recursion ends in a "call stack exhausted" trap, not a native
;; stack overflow, whatever exhausts first: frames or value cells.

(module
  (func $self (export "self") (call $self))
  (func $ping (export "ping") (param i32) (result i32)
    (call $pong (i32.add (local.get 0) (i32.const 1))))
  (func $pong (param i32) (result i32)
    (call $ping (local.get 0)))
  ;; Big frames: many locals and operands per call exhaust the value stack
  ;; before the frame limit.
  (func $fat (export "fat") (param i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (i64.add (call $fat (local.get 0)) (local.get 100)))
  ;; Recursion through call_indirect.
  (type $v (func))
  (table funcref (elem $indirect))
  (func $indirect (export "indirect") (call_indirect (type $v) (i32.const 0)))
  ;; Deep but bounded recursion still works and returns.
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1)))))))
)

(assert_exhaustion (invoke "self") "call stack exhausted")
(assert_exhaustion (invoke "ping" (i32.const 0)) "call stack exhausted")
(assert_exhaustion (invoke "fat" (i64.const 1)) "call stack exhausted")
(assert_exhaustion (invoke "indirect") "call stack exhausted")
;; The store is still usable after exhaustion.
(assert_return (invoke "depth" (i32.const 50000)) (i32.const 50000))
(assert_exhaustion (invoke "self") "call stack exhausted")
(assert_return (invoke "depth" (i32.const 10)) (i32.const 10))
