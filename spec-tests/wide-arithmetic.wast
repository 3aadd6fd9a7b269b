;; Wide arithmetic through the translator's operand kinds: constants, locals
;; and temporaries as operands, the two results written to locals, kept under
;; other values, carried by branches and accumulated in a loop. The official
;; proposal tests take every operand from a parameter.

(module
  ;; Constant operands; the low halves' sum carries into the high half.
  (func (export "add128-carry") (result i64 i64)
    (i64.add128 (i64.const -1) (i64.const 0) (i64.const 1) (i64.const 0)))
  ;; ... and a carry out of the high half is lost.
  (func (export "add128-wraps") (result i64 i64)
    (i64.add128 (i64.const -1) (i64.const -1) (i64.const 1) (i64.const 0)))
  ;; 0 - x borrows from the high half when x is not 0.
  (func (export "sub128-borrow") (param i64) (result i64 i64)
    (i64.sub128 (i64.const 0) (i64.const 0) (local.get 0) (i64.const 0)))
  ;; Operands of every kind: a local, a temporary, a constant, the local again.
  (func (export "add128-mixed") (param i64 i64) (result i64 i64)
    (i64.add128
      (local.get 0)
      (i64.add (local.get 1) (i64.const 1))
      (i64.const 5)
      (local.get 0)))
  ;; Operands that are all temporaries already.
  (func (export "sub128-temps") (param i64 i64) (result i64 i64)
    (i64.sub128
      (i64.mul (local.get 0) (i64.const 2))
      (i64.add (local.get 1) (i64.const 0))
      (i64.sub (local.get 0) (i64.const 0))
      (i64.add (local.get 1) (i64.const 0))))
  ;; The two results popped into locals, high half first.
  (func (export "mul-wide-into-locals") (param i64 i64) (result i64 i64 i64)
    (local $lo i64) (local $hi i64)
    (i64.mul_wide_u (local.get 0) (local.get 1))
    (local.set $hi)
    (local.set $lo)
    (local.get $lo) (local.get $hi) (i64.xor (local.get $lo) (local.get $hi)))
  ;; The results overwrite the operand locals; local.tee keeps a copy.
  (func (export "mul-wide-overwrites-operands") (param i64 i64) (result i64 i64 i64)
    (i64.mul_wide_s (local.get 0) (local.get 1))
    (local.set 1)
    (local.tee 0)
    (local.get 0) (local.get 1))
  ;; Values below the operands stay where they are.
  (func (export "below") (param i64) (result i64 i64 i64)
    (i64.const 77)
    (i64.mul_wide_u (local.get 0) (local.get 0)))
  ;; Both operands the same local, and constant operands.
  (func (export "square-s") (param i64) (result i64 i64)
    (i64.mul_wide_s (local.get 0) (local.get 0)))
  (func (export "min-times-max") (result i64 i64)
    (i64.mul_wide_s (i64.const 0x8000000000000000) (i64.const 0x7fffffffffffffff)))
  ;; A branch carries the pair out of a block.
  (func (export "br_if-pair") (param i64 i32) (result i64 i64)
    (block (result i64 i64)
      (i64.sub128 (local.get 0) (i64.const 0) (i64.const 1) (i64.const 0))
      (br_if 0 (local.get 1))
      (drop)
      (drop)
      (i64.const 1)
      (i64.const 2)))
  ;; sum of i * (2^64 - 1) for i = 1..n, as a 128-bit number.
  (func (export "sum-products") (param $n i64) (result i64 i64)
    (local $lo i64) (local $hi i64)
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.get $lo)
        (local.get $hi)
        (i64.mul_wide_u (local.get $n) (i64.const -1))
        (i64.add128)
        (local.set $hi)
        (local.set $lo)
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $lo)
    (local.get $hi))
)

(assert_return (invoke "add128-carry") (i64.const 0) (i64.const 1))
(assert_return (invoke "add128-wraps") (i64.const 0) (i64.const 0))
(assert_return (invoke "sub128-borrow" (i64.const 0)) (i64.const 0) (i64.const 0))
(assert_return (invoke "sub128-borrow" (i64.const 1)) (i64.const -1) (i64.const -1))
(assert_return (invoke "add128-mixed" (i64.const -1) (i64.const -1)) (i64.const 4) (i64.const 0))
(assert_return (invoke "add128-mixed" (i64.const 3) (i64.const 6)) (i64.const 8) (i64.const 10))
(assert_return (invoke "sub128-temps" (i64.const 5) (i64.const 9)) (i64.const 5) (i64.const 0))
(assert_return (invoke "sub128-temps" (i64.const -5) (i64.const 9)) (i64.const -5) (i64.const -1))
(assert_return (invoke "mul-wide-into-locals" (i64.const 0x123456789abcdef0) (i64.const 0xfedcba9876543210))
  (i64.const 2552847189736476416) (i64.const 1305938385386173474) (i64.const 3562955285811542818))
(assert_return (invoke "mul-wide-overwrites-operands" (i64.const -3) (i64.const 5))
  (i64.const -15) (i64.const -15) (i64.const -1))
(assert_return (invoke "mul-wide-overwrites-operands" (i64.const 0x8000000000000000) (i64.const 0x8000000000000000))
  (i64.const 0) (i64.const 0) (i64.const 0x4000000000000000))
(assert_return (invoke "below" (i64.const 0x100000001))
  (i64.const 77) (i64.const 8589934593) (i64.const 1))
(assert_return (invoke "square-s" (i64.const -1)) (i64.const 1) (i64.const 0))
(assert_return (invoke "square-s" (i64.const 0x8000000000000000)) (i64.const 0) (i64.const 0x4000000000000000))
(assert_return (invoke "min-times-max") (i64.const 0x8000000000000000) (i64.const -4611686018427387904))
(assert_return (invoke "br_if-pair" (i64.const 0) (i32.const 1)) (i64.const -1) (i64.const -1))
(assert_return (invoke "br_if-pair" (i64.const 0) (i32.const 0)) (i64.const 1) (i64.const 2))
(assert_return (invoke "sum-products" (i64.const 1000)) (i64.const -500500) (i64.const 500499))
