;; Fuzz finding (differential, first 30-minute run): a `br_if` to the
;; function's own label whose value was a constant or a local. The translator
;; emitted the moves into the return temporaries on the taken path only, but
;; recorded them on its operand stack, so the fall-through path returned
;; uninitialised temporaries: "i64" returned 0 instead of 5, "pair" 0 0
;; instead of 1 2. Each export calls the function with the branch not taken.
(module
  (func $i64 (param i32) (result i64)
    i64.const 5
    local.get 0
    br_if 0)
  (func $pair (param i32 i32 i32) (result i32 i32)
    local.get 0
    local.get 1
    local.get 2
    br_if 0
    i32.const 9
    local.set 0)
  (func (export "i64") (result i64)
    (call $i64 (i32.const 0)))
  (func (export "i64-taken") (result i64)
    (call $i64 (i32.const 1)))
  (func (export "pair") (result i32 i32)
    (call $pair (i32.const 1) (i32.const 2) (i32.const 0)))
  (func (export "pair-taken") (result i32 i32)
    (call $pair (i32.const 1) (i32.const 2) (i32.const 1))))
