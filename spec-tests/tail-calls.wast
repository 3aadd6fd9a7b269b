;; Tail calls through the translator's and the executor's cases: arguments of
;; every kind moving down to the start of the frame, callee locals zeroed in
;; a reused frame, frames that grow and shrink, multi-value results, tail
;; calls out of nested blocks, and tail calls into another instance.

(module
  (type $three (func (param i32 i32 i32) (result i32)))
  (table $t funcref (elem $digits $zeroed))
  ;; 100a + 10b + c, so that each argument's position shows.
  (func $digits (param i32 i32 i32) (result i32)
    (i32.add
      (i32.mul (local.get 0) (i32.const 100))
      (i32.add (i32.mul (local.get 1) (i32.const 10)) (local.get 2))))
  ;; Arguments: a deferred local, a constant and a temporary, above a value
  ;; the tail call leaves behind.
  (func (export "argument-kinds") (param i32 i32) (result i32)
    (i32.const 999)
    (local.get 1)
    (i32.const 7)
    (i32.add (local.get 0) (i32.const 1))
    (return_call $digits))
  ;; The caller's own parameters in another order.
  (func (export "rotate") (param i32 i32 i32) (result i32)
    (return_call $digits (local.get 2) (local.get 0) (local.get 1)))
  ;; The callee's declared locals are zero although the frame it reuses held
  ;; other values in those slots.
  (func $zeroed (param i32 i32 i32) (result i32)
    (local i32 i64 i32)
    (i32.add
      (local.get 0)
      (i32.add (local.get 3) (i32.add (i32.wrap_i64 (local.get 4)) (local.get 5)))))
  (func (export "locals-zeroed") (param i32) (result i32)
    (local i32 i32 i32 i32 i32)
    (local.set 1 (i32.const -1))
    (local.set 2 (i32.const -1))
    (local.set 3 (i32.const -1))
    (local.set 4 (i32.const -1))
    (local.set 5 (i32.const -1))
    (return_call $zeroed (local.get 0) (local.get 1) (local.get 2)))
  (func (export "locals-zeroed-indirect") (param i32) (result i32)
    (local i32 i32 i32 i32 i32)
    (local.set 3 (i32.const -1))
    (local.set 4 (i32.const -1))
    (local.set 5 (i32.const -1))
    (return_call_indirect $t (type $three)
      (local.get 0) (i32.const 0) (i32.const 0) (i32.const 1)))
  ;; From many parameters to few and back.
  (func $sum6 (param i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
             (i32.add (local.get 4) (local.get 5))))
  (func $widen (param i32) (result i32)
    (return_call $sum6
      (local.get 0) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (local.get 0)))
  (func (export "narrow-then-widen") (param i32 i32 i32 i32 i32 i32) (result i32)
    (return_call $widen (i32.add (local.get 0) (local.get 5))))
  ;; Multi-value results, from inside nested blocks.
  (func $pair (param i32) (result i32 i32)
    (local.get 0)
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "nested-pair") (param i32) (result i32 i32)
    (block
      (block
        (if (local.get 0) (then (return_call $pair (local.get 0))))))
    (i32.const -1)
    (i32.const -2))
  ;; An indirect tail call with a computed index and argument kinds.
  (func (export "indirect-kinds") (param i32 i32) (result i32)
    (return_call_indirect $t (type $three)
      (local.get 1) (i32.const 3) (local.get 0) (i32.and (local.get 1) (i32.const 0))))
  ;; A callee with more results than parameters, from a frame that holds no
  ;; operands (a fuzz finding: the frame must hold the results above the
  ;; call's base, as for an ordinary call).
  (func $three (result i32 i64 i32) (i32.const 1) (i64.const 2) (i32.const 3))
  (func (export "more-results") (result i32 i64 i32) (return_call $three))
  ;; An ordinary call of a tail-calling function keeps its own temporaries.
  (func (export "caller-keeps-temporaries") (param i32) (result i32)
    (i32.add
      (i32.mul (local.get 0) (i32.const 1000))
      (call $widen (local.get 0))))
)

(assert_return (invoke "argument-kinds" (i32.const 4) (i32.const 5)) (i32.const 575))
(assert_return (invoke "rotate" (i32.const 1) (i32.const 2) (i32.const 3)) (i32.const 312))
(assert_return (invoke "locals-zeroed" (i32.const 42)) (i32.const 42))
(assert_return (invoke "locals-zeroed-indirect" (i32.const 42)) (i32.const 42))
(assert_return
  (invoke "narrow-then-widen" (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 2))
  (i32.const 16))
(assert_return (invoke "nested-pair" (i32.const 3)) (i32.const 3) (i32.const 6))
(assert_return (invoke "nested-pair" (i32.const 0)) (i32.const -1) (i32.const -2))
(assert_return (invoke "indirect-kinds" (i32.const 4) (i32.const 5)) (i32.const 534))
(assert_return (invoke "caller-keeps-temporaries" (i32.const 7)) (i32.const 7024))
(assert_return (invoke "more-results") (i32.const 1) (i64.const 2) (i32.const 3))

;; Tail calls into another instance: the callee runs against its own memory,
;; and the caller of the replaced frame against its own again afterwards.
(module $A
  (memory 1)
  (data (i32.const 0) "\01")
  (func (export "first-byte") (result i32) (i32.load8_u (i32.const 0)))
)
(register "A" $A)

(module $B
  (import "A" "first-byte" (func $a-first-byte (result i32)))
  (type $nullary (func (result i32)))
  (table $t funcref (elem $a-first-byte))
  (memory 1)
  (data (i32.const 0) "\02")
  (func $tail (result i32) (return_call $a-first-byte))
  (func $tail-indirect (result i32) (return_call_indirect $t (type $nullary) (i32.const 0)))
  (func (export "mixed") (result i32)
    (i32.add (i32.mul (call $tail) (i32.const 10)) (i32.load8_u (i32.const 0))))
  (func (export "mixed-indirect") (result i32)
    (i32.add (i32.mul (call $tail-indirect) (i32.const 10)) (i32.load8_u (i32.const 0))))
  (func (export "outermost") (result i32) (return_call $a-first-byte))
)

(assert_return (invoke $B "mixed") (i32.const 12))
(assert_return (invoke $B "mixed-indirect") (i32.const 12))
(assert_return (invoke $B "outermost") (i32.const 1))

;; Deeper than the default frame limit (100,000), by mutual tail calls.
(module
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
)

(assert_return (invoke "even" (i64.const 300001)) (i32.const 0))
(assert_return (invoke "even" (i64.const 300000)) (i32.const 1))
