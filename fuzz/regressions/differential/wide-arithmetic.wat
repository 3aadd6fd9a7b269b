;; Wide arithmetic against wasmi 2 (and, on a disagreement, wasmi 0.31 running
;; it lowered to WebAssembly 2.0): carries and borrows across the halves,
;; products of the signed and unsigned extremes, results kept in locals.
(module
  (global $lo (export "lo") (mut i64) (i64.const 0))
  (global $hi (export "hi") (mut i64) (i64.const 0))
  (func (export "add128-carries") (result i64 i64)
    (i64.add128 (i64.const -1) (i64.const -1) (i64.const 1) (i64.const 0)))
  (func (export "sub128-borrows") (result i64 i64)
    (i64.sub128 (i64.const 0) (i64.const 1) (i64.const 1) (i64.const 0)))
  (func (export "mul-wide-s-extremes") (result i64 i64)
    (i64.mul_wide_s (i64.const 0x8000000000000000) (i64.const 0x7fffffffffffffff)))
  (func (export "mul-wide-u-extremes") (result i64 i64)
    (i64.mul_wide_u (i64.const -1) (i64.const -1)))
  (func (export "into-globals")
    (i64.mul_wide_s (i64.const -3) (i64.const 0x4000000000000001))
    (global.set $hi)
    (global.set $lo))
)
