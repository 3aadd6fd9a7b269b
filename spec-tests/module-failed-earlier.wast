;; A module that fails to compile or instantiate replaces the current module
;; and its $name: the directives after it that need it fail with "module
;; failed earlier", never run against the older instance. Every directive
;; marked FAILS below fails on purpose, and expected-failures.toml records
;; exactly these lines: if the runner fell back to the older instance, the
;; assertions marked "would pass against the stale instance" would pass and
;; the trial would fail.

(module $A (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
(register "A" $A)

;; FAILS: nothing defines this import, so the module does not instantiate.
(module (import "nowhere" "g" (func)) (func (export "f") (result i32) (i32.const 1)))
;; FAILS: would pass against the stale instance $A.
(assert_return (invoke "f") (i32.const 1))
;; FAILS: invoke needs the failed module as well.
(invoke "f")
;; FAILS: registering the failed module poisons "A" ...
(register "A")
;; FAILS: ... so this module does not link against the stale $A's "f".
(module (import "A" "f" (func (result i32))))

;; $A itself is still there under its own name.
(assert_return (invoke $A "f") (i32.const 1))

;; A failed $B replaces the older $B.
(module $B (func (export "f") (result i32) (i32.const 2)))
(assert_return (invoke $B "f") (i32.const 2))
;; FAILS: invalid (the body returns an i64), so it does not compile.
(module $B (func (export "f") (result i32) (i64.const 2)))
;; FAILS: would pass against the stale instance $B.
(assert_return (invoke $B "f") (i32.const 2))

;; A module that instantiates becomes current again.
(module (func (export "f") (result i32) (i32.const 3)))
(assert_return (invoke "f") (i32.const 3))
;; Registering it lifts the poison on "A".
(register "A")
(module (import "A" "f" (func $f (result i32))) (func (export "g") (result i32) (call $f)))
(assert_return (invoke "g") (i32.const 3))
