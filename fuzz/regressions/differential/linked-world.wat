;; The oracles' linked world (fuzzing/src/link): this module imports the
;; provider's memory, table and functions and a host function, as generated
;; modules do, so the replay covers cross-instance calls, a callee in the
;; provider growing the shared memory, host functions in the shared table
;; called with matching and wrong types, and a call_indirect past the table's
;; end (interp says "undefined element", wasmi "out of bounds table access":
;; the oracle maps them by interp's trap site). Each export takes no
;; arguments.
(module
  (type $s0 (func))
  (type $s1 (func (param i32) (result i32)))
  (type $s2 (func (param i64 i64) (result i64)))
  (import "p" "memory" (memory 1 8))
  (import "p" "table" (table 16 64 funcref))
  (import "p" "f0" (func $grow_page (type $s0)))
  (import "p" "f2" (func $relay (type $s2)))
  (import "host" "h1" (func $h1 (type $s1)))
  ;; Slot 12 of the shared table (the provider's f4) becomes this module's.
  (elem (i32.const 12) func $add)
  (func $add (type $s2) (i64.add (local.get 0) (local.get 1)))
  ;; The provider grows the shared memory by a page and marks the new last
  ;; byte (0xa5); this instance reads it back, and the new size.
  (func (export "grow_then_read") (result i32 i32)
    (call $grow_page)
    (i32.load8_u (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)))
    (memory.size))
  ;; The provider calls back through the shared table (slot 12 & 31 = 12).
  (func (export "relay_back") (result i64)
    (call $relay (i64.const 12) (i64.const 5)))
  ;; Slot 1 holds the host function t1, of type $s1; slot 2 holds t2, of $s2.
  (func (export "host_in_table") (result i32)
    (call_indirect (type $s1) (i32.const 5) (i32.const 1)))
  (func (export "host_in_table_wrong_type") (result i32)
    (call_indirect (type $s1) (i32.const 5) (i32.const 2)))
  (func (export "past_the_end") (result i32)
    (call_indirect (type $s1) (i32.const 5) (i32.const 40)))
  (func (export "direct_host") (result i32)
    (call $h1 (i32.const 7)))
)
