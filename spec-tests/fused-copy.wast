;; Two `local.set x (local.get y)` in a row are one `Copy2`, which copies in
;; order: the second copy sees the first one's write.

(module
  ;; Rotates (a, b, c) n times.
  (func (export "rotate") (param $a i32) (param $b i32) (param $c i32) (param $n i32)
    (result i32 i32 i32)
    (local $t i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (local.get $a))
        (local.set $a (local.get $b))
        (local.set $b (local.get $c))
        (local.set $c (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $a) (local.get $b) (local.get $c))
  ;; The second copy reads what the first wrote.
  (func (export "chain") (param $x i64) (param $y i64) (result i64 i64)
    (local $z i64)
    (local.set $x (local.get $y))
    (local.set $z (local.get $x))
    (local.get $x) (local.get $z))
  ;; The second copy is a branch target: it runs on its own when branched to.
  (func (export "target") (param $x i32) (param $y i32) (param $skip i32) (result i32 i32)
    (local $z i32)
    (block $b
      (br_if $b (local.get $skip))
      (local.set $z (local.get $y)))
    (local.set $x (local.get $y))
    (local.get $x) (local.get $z))
)

(assert_return (invoke "rotate" (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 0))
  (i32.const 1) (i32.const 2) (i32.const 3))
(assert_return (invoke "rotate" (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 1))
  (i32.const 2) (i32.const 3) (i32.const 1))
(assert_return (invoke "rotate" (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 5))
  (i32.const 3) (i32.const 1) (i32.const 2))
(assert_return (invoke "chain" (i64.const 1) (i64.const 2)) (i64.const 2) (i64.const 2))
(assert_return (invoke "target" (i32.const 1) (i32.const 2) (i32.const 0)) (i32.const 2) (i32.const 2))
(assert_return (invoke "target" (i32.const 1) (i32.const 2) (i32.const 1)) (i32.const 2) (i32.const 0))
