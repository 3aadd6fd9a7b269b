;; Two instances share a memory and a table and call each other, directly and
;; through the table; a callee in the other instance grows the shared memory,
;; and the caller sees the new size and the new pages as soon as the call
;; returns, in the same frame (no stale memory bounds after a call).

(module $owner
  (memory (export "mem") 1 4)
  (table (export "tab") 4 8 funcref)
  (type $v (func))
  (type $i_i (func (param i32) (result i32)))
  (func $grow (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (elem (i32.const 0) $grow)
  (func (export "size") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  ;; Slot 1 is filled by the other instance with a function that grows the
  ;; memory by a page: address 262140 is valid only once it has.
  (func (export "grow_via_other_then_store") (result i32)
    (i32.store (i32.const 0) (i32.const 5))
    (call_indirect (type $v) (i32.const 1))
    (i32.store (i32.const 262140) (i32.const 77))
    (i32.add (i32.load (i32.const 0)) (i32.load (i32.const 262140))))
)
(register "owner" $owner)

(module $user
  (import "owner" "mem" (memory 1 4))
  (import "owner" "tab" (table 4 8 funcref))
  (import "owner" "grow" (func $owner_grow (param i32) (result i32)))
  (type $v (func))
  (type $i_i (func (param i32) (result i32)))
  (func $grow_one (drop (memory.grow (i32.const 1))))
  (elem (i32.const 1) $grow_one)
  ;; The owner's grow adds a page; this instance stores into it at once.
  (func (export "grow_in_owner_then_store") (param $addr i32) (result i32)
    (drop (call $owner_grow (i32.const 1)))
    (i32.store (local.get $addr) (i32.const 99))
    (i32.load (local.get $addr)))
  ;; The same through the shared table (slot 0 is the owner's grow).
  (func (export "grow_indirect_then_load") (param $addr i32) (result i32)
    (drop (call_indirect (type $i_i) (i32.const 1) (i32.const 0)))
    (i32.load (local.get $addr)))
  (func (export "size") (result i32) (memory.size))
)

(assert_trap (invoke $owner "load" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke $user "grow_in_owner_then_store" (i32.const 65536)) (i32.const 99))
(assert_return (invoke $owner "size") (i32.const 2))
(assert_return (invoke $user "size") (i32.const 2))
(assert_return (invoke $owner "load" (i32.const 65536)) (i32.const 99))
(assert_return (invoke $user "grow_indirect_then_load" (i32.const 131072)) (i32.const 0))
(assert_return (invoke $owner "grow_via_other_then_store") (i32.const 82))
(assert_return (invoke $user "size") (i32.const 4))
(assert_return (invoke $owner "load" (i32.const 262140)) (i32.const 77))
;; At the maximum the owner's grow fails, and the store past the end traps.
(assert_trap (invoke $user "grow_in_owner_then_store" (i32.const 262144)) "out of bounds memory access")
(assert_return (invoke $owner "size") (i32.const 4))
