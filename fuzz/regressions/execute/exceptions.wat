;; Exception handling in both of interp's translations, with zero arguments:
;; a throw caught two frames up with its payload, a rethrow through a cleanup
;; handler, an exception escaping the export (compared by payload), an
;; exnref kept in a global and rethrown, and a trap that catch_all must not
;; catch.
(module
  (tag $e (param i32 i64))
  (tag $empty)
  (global $kept (export "kept") (mut exnref) (ref.null exn))
  (global $cleanups (export "cleanups") (mut i32) (i32.const 0))
  (func $throw (param i32) (throw $e (i32.add (local.get 0) (i32.const 7)) (i64.const -3)))
  (func $middle (param i32)
    (block $cleanup (result exnref)
      (try_table (catch_all_ref $cleanup) (call $throw (local.get 0)))
      (return))
    (global.set $cleanups (i32.add (global.get $cleanups) (i32.const 1)))
    (throw_ref))
  (func (export "caught") (param i32) (result i32 i64)
    (block $h (result i32 i64)
      (try_table (catch $e $h) (call $middle (local.get 0)))
      (i32.const -1) (i64.const -1)))
  (func (export "escapes") (param i32) (call $middle (local.get 0)))
  (func (export "keep") (param i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $middle (local.get 0)))
      (return))
    (global.set $kept))
  (func (export "rethrow_kept") (result i32)
    (block $h (result i32 i64)
      (try_table (catch $e $h) (throw_ref (global.get $kept)))
      (i32.const -2) (i64.const 0))
    (drop))
  (func (export "trap_not_caught") (result i32)
    (block $h
      (try_table (catch_all $h) (unreachable)))
    (i32.const 1))
  (func (export "empty") (throw $empty)))
