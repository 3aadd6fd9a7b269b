;; Findings while enabling tail calls for fuzzing (seeded runs, issue 12):
;; - a tail call to a callee with more results than parameters: the translator
;;   sized the caller's frame for the arguments only, where a host callee
;;   takes max(parameters, results) cells from the call's base (the IR
;;   verifier rejected the function; without it the executor would have read
;;   and written past the frame);
;; - a `return_call_indirect` past the table's end: "undefined element" in
;;   interp, "out of bounds table access" in wasmi; the oracle mapped the two
;;   only for `call_indirect`.
;; The host function `$host` is the world's own (its results are fixed).
(module
  (import "env" "three" (func $host (result i32 i64 i32)))
  (type $three (func (result i32 i64 i32)))
  (table 2 funcref)
  (elem (i32.const 0) $three)
  (func $three (result i32 i64 i32) (i32.const 1) (i64.const 2) (i32.const 3))
  (func (export "tail-more-results") (result i32 i64 i32)
    (return_call $three))
  (func (export "tail-indirect-more-results") (result i32 i64 i32)
    (return_call_indirect (type $three) (i32.const 0)))
  (func (export "tail-host-more-results") (result i32 i64 i32)
    (return_call $host))
  (func $nested (result i32 i64 i32) (return_call $host))
  (func (export "nested-tail-host") (result i32)
    (call $nested)
    (drop)
    (drop))
  (func (export "tail-undefined-element") (result i32 i64 i32)
    (return_call_indirect (type $three) (i32.const 5)))
  (func (export "tail-uninitialized-element") (result i32 i64 i32)
    (return_call_indirect (type $three) (i32.const 1)))
)
