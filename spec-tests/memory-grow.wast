;; memory.grow past the maximum returns -1 and leaves the memory unchanged.

(module
  (memory 1 2)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load_last") (result i32) (i32.load8_u (i32.const 0x1ffff)))
)
(assert_return (invoke "grow" (i32.const 2)) (i32.const -1))
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke "size") (i32.const 2))
(assert_return (invoke "load_last") (i32.const 0))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0)) (i32.const 2))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
(assert_return (invoke "size") (i32.const 2))

;; Without a maximum the limit is 65536 pages (4 GiB): asking for more fails
;; cleanly instead of allocating.
(module
  (memory 0)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
(assert_return (invoke "grow" (i32.const 65537)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0x7fffffff)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
(assert_return (invoke "size") (i32.const 0))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 0))
(assert_return (invoke "size") (i32.const 1))

;; Stores at the new end work after growth; one byte further traps.
(module
  (memory 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 1)))
)
(assert_trap (invoke "poke" (i32.const 0x10000)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const 1))
(invoke "poke" (i32.const 0x1ffff))
(assert_trap (invoke "poke" (i32.const 0x20000)) "out of bounds memory access")
