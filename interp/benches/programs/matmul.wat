;; Dense f64 matrix multiply, C = A * B, all n x n, row-major in linear memory.
;;
;; `run(n)` grows memory to fit the three matrices, fills A and B from the
;; indices, multiplies with the textbook i-j-k loop (the inner loop walks A
;; along a row and B down a column with pointer increments, as LLVM emits it
;; for `s += a[i*n+k] * b[k*n+j]`), and returns the bits of the sum of C plus
;; one element of each row, so a wrong product or a reordered sum shows.
;;
;; Memory: A at 0, B at 8n^2, C at 16n^2.
(module
  (memory 1)

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $k i32)
    (local $a i32) (local $b i32) (local $c i32)
    (local $row i32) (local $stride i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $s f64) (local $total f64)
    local.get $n
    i32.const 1
    i32.lt_s
    if
      i64.const 0
      return
    end
    ;; a = 0; b = 8n^2; c = 16n^2; grow memory to 24n^2 bytes.
    local.get $n
    local.get $n
    i32.mul
    i32.const 3
    i32.shl
    local.tee $b
    i32.const 1
    i32.shl
    local.set $c
    local.get $c
    local.get $b
    i32.add
    i32.const 65535
    i32.add
    i32.const 16
    i32.shr_u
    memory.size
    i32.sub
    local.tee $k
    i32.const 0
    i32.gt_s
    if
      local.get $k
      memory.grow
      i32.const -1
      i32.eq
      if
        unreachable
      end
    end
    local.get $n
    i32.const 3
    i32.shl
    local.set $stride
    ;; A[i][j] = ((3i + 7j) % 13) * 0.25 - 1.0;  B[i][j] = ((5i + 11j) % 17) * 0.125 + 0.5
    i32.const 0
    local.set $i
    local.get $a
    local.set $pa
    local.get $b
    local.set $pb
    loop $init_i
      i32.const 0
      local.set $j
      loop $init_j
        local.get $pa
        local.get $i
        i32.const 3
        i32.mul
        local.get $j
        i32.const 7
        i32.mul
        i32.add
        i32.const 13
        i32.rem_u
        f64.convert_i32_u
        f64.const 0.25
        f64.mul
        f64.const -1.0
        f64.add
        f64.store
        local.get $pb
        local.get $i
        i32.const 5
        i32.mul
        local.get $j
        i32.const 11
        i32.mul
        i32.add
        i32.const 17
        i32.rem_u
        f64.convert_i32_u
        f64.const 0.125
        f64.mul
        f64.const 0.5
        f64.add
        f64.store
        local.get $pa
        i32.const 8
        i32.add
        local.set $pa
        local.get $pb
        i32.const 8
        i32.add
        local.set $pb
        local.get $j
        i32.const 1
        i32.add
        local.tee $j
        local.get $n
        i32.ne
        br_if $init_j
      end
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $init_i
    end
    ;; for i: for j: { s = 0; for k: s += A[i][k] * B[k][j]; C[i][j] = s; }
    i32.const 0
    local.set $i
    local.get $a
    local.set $row
    local.get $c
    local.set $pc
    loop $mul_i
      i32.const 0
      local.set $j
      loop $mul_j
        f64.const 0
        local.set $s
        local.get $row
        local.set $pa
        local.get $b
        local.get $j
        i32.const 3
        i32.shl
        i32.add
        local.set $pb
        local.get $n
        local.set $k
        loop $mul_k
          local.get $s
          local.get $pa
          f64.load
          local.get $pb
          f64.load
          f64.mul
          f64.add
          local.set $s
          local.get $pa
          i32.const 8
          i32.add
          local.set $pa
          local.get $pb
          local.get $stride
          i32.add
          local.set $pb
          local.get $k
          i32.const -1
          i32.add
          local.tee $k
          br_if $mul_k
        end
        local.get $pc
        local.get $s
        f64.store
        local.get $pc
        i32.const 8
        i32.add
        local.set $pc
        local.get $j
        i32.const 1
        i32.add
        local.tee $j
        local.get $n
        i32.ne
        br_if $mul_j
      end
      local.get $row
      local.get $stride
      i32.add
      local.set $row
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $mul_i
    end
    ;; total = sum of C[i][j] + sum of C[i][i] * i
    f64.const 0
    local.set $total
    local.get $c
    local.set $pc
    local.get $n
    local.get $n
    i32.mul
    local.set $k
    loop $sum
      local.get $total
      local.get $pc
      f64.load
      f64.add
      local.set $total
      local.get $pc
      i32.const 8
      i32.add
      local.set $pc
      local.get $k
      i32.const -1
      i32.add
      local.tee $k
      br_if $sum
    end
    i32.const 0
    local.set $i
    loop $diag
      local.get $total
      local.get $c
      local.get $i
      local.get $n
      i32.const 1
      i32.add
      i32.mul
      i32.const 3
      i32.shl
      i32.add
      f64.load
      local.get $i
      f64.convert_i32_u
      f64.mul
      f64.add
      local.set $total
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $diag
    end
    local.get $total
    i64.reinterpret_f64))
