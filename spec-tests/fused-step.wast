;; Counting loops: the step `x = x + c` and the `br_if` testing the new `x`
;; become one instruction (`StepBrIf*`) when the branch tests `x != 0`,
;; `x != y`, `x < y` (unsigned) or `x != c'`. Each loop returns its count and
;; the final `x`, so a wrong step, test or write shows.

(module
  ;; x != 0, counting down (negative step).
  (func (export "nez") (param $x i32) (param $step i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (local.tee $x (i32.add (local.get $x) (i32.const -3)))))
    (local.get $n) (local.get $x))
  ;; x != y, with x on either side, wrapping past 2^32.
  (func (export "ne-left") (param $x i32) (param $y i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (i32.const 2)))
      (br_if $l (i32.ne (local.get $x) (local.get $y))))
    (local.get $n) (local.get $x))
  (func (export "ne-right") (param $x i32) (param $y i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (i32.const 0x7fff)))
      (br_if $l (i32.ne (local.get $y) (local.get $x))))
    (local.get $n) (local.get $x))
  ;; x < y unsigned, and y > x (the same test with operands swapped).
  (func (export "lt_u") (param $x i32) (param $y i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br_if $l (i32.lt_u (local.get $x) (local.get $y))))
    (local.get $n) (local.get $x))
  (func (export "gt_u") (param $x i32) (param $y i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (i32.const -32768)))
      (br_if $l (i32.gt_u (local.get $y) (local.get $x))))
    (local.get $n) (local.get $x))
  ;; x != constant (negative, sign-extended from 16 bits).
  (func (export "ne-imm") (param $x i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (i32.const -1)))
      (br_if $l (i32.ne (local.get $x) (i32.const -5))))
    (local.get $n) (local.get $x))
  ;; Not fused: a step that does not fit 16 bits, and a test of x against
  ;; itself.
  (func (export "big-step") (param $x i32) (param $y i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (i32.const 0x10000)))
      (br_if $l (i32.ne (local.get $x) (local.get $y))))
    (local.get $n) (local.get $x))
  (func (export "self") (param $x i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $x) (local.get $x))))
    (local.get $n) (local.get $x))
  ;; A forward branch out of the loop, and a branch that is itself the
  ;; target of another branch (so the step before it stays on its own).
  (func (export "exit") (param $x i32) (param $y i32) (result i32 i32)
    (local $n i32)
    (block $out
      (loop $l
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br_if $out (i32.eqz (i32.ne (local.get $x) (local.get $y))))
        (br $l)))
    (local.get $n) (local.get $x))
  (func (export "target") (param $x i32) (param $skip i32) (result i32)
    (block $b
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br_if $b (local.get $skip))
      (local.set $x (i32.add (local.get $x) (i32.const 10))))
    (block $c
      (br_if $c (local.get $x))
      (local.set $x (i32.const 77)))
    (local.get $x))
)

(assert_return (invoke "nez" (i32.const 9) (i32.const 0)) (i32.const 3) (i32.const 0))
(assert_return (invoke "nez" (i32.const 3) (i32.const 0)) (i32.const 1) (i32.const 0))
(assert_return (invoke "ne-left" (i32.const 0) (i32.const 10)) (i32.const 5) (i32.const 10))
(assert_return (invoke "ne-left" (i32.const -4) (i32.const 2)) (i32.const 3) (i32.const 2))
(assert_return (invoke "ne-right" (i32.const 0) (i32.const 0x17ffd)) (i32.const 3) (i32.const 0x17ffd))
(assert_return (invoke "lt_u" (i32.const 0) (i32.const 10)) (i32.const 3) (i32.const 12))
(assert_return (invoke "lt_u" (i32.const -8) (i32.const 10)) (i32.const 1) (i32.const -4))
(assert_return (invoke "lt_u" (i32.const -4) (i32.const 10)) (i32.const 4) (i32.const 12))
(assert_return (invoke "gt_u" (i32.const 0x10000) (i32.const 0x1)) (i32.const 1) (i32.const 0x8000))
(assert_return (invoke "gt_u" (i32.const 0x10000) (i32.const 0x9000)) (i32.const 3) (i32.const -32768))
(assert_return (invoke "ne-imm" (i32.const 3)) (i32.const 8) (i32.const -5))
(assert_return (invoke "big-step" (i32.const 0) (i32.const 0x30000)) (i32.const 3) (i32.const 0x30000))
(assert_return (invoke "self" (i32.const 5)) (i32.const 1) (i32.const 6))
(assert_return (invoke "exit" (i32.const 0) (i32.const 4)) (i32.const 4) (i32.const 4))
(assert_return (invoke "target" (i32.const 1) (i32.const 1)) (i32.const 2))
(assert_return (invoke "target" (i32.const -1) (i32.const 0)) (i32.const 10))
(assert_return (invoke "target" (i32.const -1) (i32.const 1)) (i32.const 77))

;; The step in a local: `x = x + s` (or `s + x`) and a branch on `x != y` or
;; `x < y` are one `AddBrIf*`.
(module
  (func (export "add-ne") (param $x i32) (param $s i32) (param $y i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (local.get $s)))
      (br_if $l (i32.ne (local.get $y) (local.get $x))))
    (local.get $n) (local.get $x))
  (func (export "add-lt_u") (param $x i32) (param $s i32) (param $y i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $s) (local.get $x)))
      (br_if $l (i32.lt_u (local.get $x) (local.get $y))))
    (local.get $n) (local.get $x))
  ;; The step is also the bound.
  (func (export "add-ne-step") (param $x i32) (param $s i32) (result i32 i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $x (i32.add (local.get $x) (local.get $s)))
      (br_if $l (i32.ne (local.get $x) (local.get $s))))
    (local.get $n) (local.get $x))
)

(assert_return (invoke "add-ne" (i32.const 0) (i32.const 3) (i32.const 12)) (i32.const 4) (i32.const 12))
(assert_return (invoke "add-ne" (i32.const -6) (i32.const 3) (i32.const 3)) (i32.const 3) (i32.const 3))
(assert_return (invoke "add-lt_u" (i32.const 0) (i32.const 5) (i32.const 12)) (i32.const 3) (i32.const 15))
(assert_return (invoke "add-lt_u" (i32.const -10) (i32.const 5) (i32.const 12)) (i32.const 1) (i32.const -5))
(assert_return (invoke "add-lt_u" (i32.const 4) (i32.const 4) (i32.const 13)) (i32.const 3) (i32.const 16))
(assert_return (invoke "add-ne-step" (i32.const -8) (i32.const 4)) (i32.const 3) (i32.const 4))
