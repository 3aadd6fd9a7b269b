;; Calls through a table of function pointers: the `call_indirect` benchmark.
;;
;; Eight small mixing functions of one signature sit in a table at indices
;; 1..8 (index 0 stays null, as C compilers lay out function-pointer tables).
;; `run(n)` makes n calls `x = ops[1 + ((x >> 32 ^ i) & 7)](x, i)`, so the
;; target changes from call to call and depends on the data, and returns x.
;; A second table entry type, `$unary`, is present so that the signature
;; check has more than one type to tell apart.
(module
  (type $mix (func (param i64 i32) (result i64)))
  (type $unary (func (param i64) (result i64)))
  (table 10 10 funcref)
  (elem (i32.const 1) func $add $xorshift $mul $rotl $sub $xorshl $shiftadd $golden $avalanche)

  (func $add (type $mix) (param $x i64) (param $i i32) (result i64)
    local.get $x
    local.get $i
    i64.extend_i32_u
    i64.add)

  (func $xorshift (type $mix) (param $x i64) (param $i i32) (result i64)
    local.get $x
    local.get $x
    i64.const 13
    i64.shr_u
    i64.xor)

  (func $mul (type $mix) (param $x i64) (param $i i32) (result i64)
    local.get $x
    i64.const 0x5851f42d4c957f2d
    i64.mul
    i64.const 1
    i64.add)

  (func $rotl (type $mix) (param $x i64) (param $i i32) (result i64)
    local.get $x
    local.get $i
    i64.extend_i32_u
    i64.rotl)

  (func $sub (type $mix) (param $x i64) (param $i i32) (result i64)
    local.get $x
    local.get $i
    i32.const 7
    i32.mul
    i64.extend_i32_u
    i64.sub)

  (func $xorshl (type $mix) (param $x i64) (param $i i32) (result i64)
    local.get $x
    local.get $i
    i64.extend_i32_u
    i64.const 17
    i64.shl
    i64.xor)

  (func $shiftadd (type $mix) (param $x i64) (param $i i32) (result i64)
    local.get $x
    i64.const 1
    i64.shr_u
    local.get $x
    i64.const 3
    i64.shl
    i64.add
    local.get $i
    i64.extend_i32_u
    i64.xor)

  (func $golden (type $mix) (param $x i64) (param $i i32) (result i64)
    local.get $x
    i64.const 0x9e3779b97f4a7c15
    i64.xor)

  ;; Index 9: a different signature, never called.
  (func $avalanche (type $unary) (param $x i64) (result i64)
    local.get $x
    local.get $x
    i64.const 33
    i64.shr_u
    i64.xor)

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i64)
    i64.const 0x0123456789abcdef
    local.set $x
    local.get $n
    i32.const 1
    i32.lt_s
    if
      local.get $x
      return
    end
    loop $again
      local.get $x
      local.get $i
      local.get $x
      i64.const 32
      i64.shr_u
      i32.wrap_i64
      local.get $i
      i32.xor
      i32.const 7
      i32.and
      i32.const 1
      i32.add
      call_indirect (type $mix)
      local.set $x
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $again
    end
    local.get $x))
