;; Extended constant expressions: i32/i64 add, sub and mul and global.get in
;; global initialisers and segment offsets, with wrapping arithmetic.

(module
  (import "spectest" "global_i32" (global $imported i32))
  (memory 2)
  ;; 0x10001 * 0x10000 wraps to 0x10000 (as an add it would be out of bounds).
  (data (i32.mul (i32.const 0x10001) (i32.const 0x10000)) "\2a")
  ;; 0 - (-8) = 8.
  (data (i32.sub (i32.const 0) (i32.const -8)) "\07")
  ;; The imported global is 666.
  (data (i32.sub (global.get $imported) (i32.const 660)) "\05")
  (table 10 funcref)
  (elem (i32.add (i32.const 2) (i32.mul (i32.const 3) (i32.const 2))) $eleven)
  (func $eleven (result i32) (i32.const 11))
  (global (export "i32-overflow") i32 (i32.add (i32.const 0x7fffffff) (i32.const 1)))
  (global (export "i32-mul-wraps") i32 (i32.mul (i32.const 0x10000) (i32.const 0x10001)))
  (global (export "i64-mul-wraps") i64 (i64.mul (i64.const 0x100000000) (i64.const 0x100000001)))
  (global (export "i64-sub-wraps") i64 (i64.sub (i64.const 0x8000000000000000) (i64.const 1)))
  (global (export "nested") i32
    (i32.sub (i32.add (global.get $imported) (i32.mul (i32.const 2) (i32.const 3))) (i32.const 2)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
)

(assert_return (invoke "load8" (i32.const 0x10000)) (i32.const 0x2a))
(assert_return (invoke "load8" (i32.const 8)) (i32.const 7))
(assert_return (invoke "load8" (i32.const 6)) (i32.const 5))
(assert_return (invoke "call" (i32.const 8)) (i32.const 11))
(assert_trap (invoke "call" (i32.const 7)) "uninitialized element")
(assert_return (get "i32-overflow") (i32.const 0x80000000))
(assert_return (get "i32-mul-wraps") (i32.const 0x10000))
(assert_return (get "i64-mul-wraps") (i64.const 0x100000000))
(assert_return (get "i64-sub-wraps") (i64.const 0x7fffffffffffffff))
(assert_return (get "nested") (i32.const 670))
