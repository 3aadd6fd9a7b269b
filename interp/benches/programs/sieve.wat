;; Sieve of Eratosthenes over a byte array in linear memory.
;;
;; `run(reps)` sieves `reps` times, with a slightly different limit each time
;; (1_000_000 - 7 * rep), and folds the prime count and the sum of the primes of
;; every pass into the checksum. Loops are in the shape LLVM emits: a guard,
;; then a bottom-tested `loop` with an induction variable in a local.
;;
;; Memory: flags[0..limit) at address 0 (one byte per number, 1 = prime).
(module
  (memory 16)

  ;; Sieves [0, limit) and returns (count << 32) + (sum of primes mod 2^32).
  (func $sieve (param $limit i32) (result i64)
    (local $i i32) (local $j i32) (local $count i32) (local $sum i64)
    ;; memset(flags, 1, limit)
    i32.const 0
    i32.const 1
    local.get $limit
    memory.fill
    ;; for (i = 2; i * i < limit; i++) if (flags[i]) for (j = i*i; j < limit; j += i) flags[j] = 0;
    i32.const 2
    local.set $i
    loop $outer
      local.get $i
      i32.load8_u
      if
        local.get $i
        local.get $i
        i32.mul
        local.set $j
        loop $inner
          local.get $j
          i32.const 0
          i32.store8
          local.get $j
          local.get $i
          i32.add
          local.tee $j
          local.get $limit
          i32.lt_u
          br_if $inner
        end
      end
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $i
      i32.mul
      local.get $limit
      i32.lt_u
      br_if $outer
    end
    ;; for (i = 2; i < limit; i++) if (flags[i]) { count++; sum += i; }
    i32.const 2
    local.set $i
    loop $count_loop
      local.get $i
      i32.load8_u
      if
        local.get $count
        i32.const 1
        i32.add
        local.set $count
        local.get $sum
        local.get $i
        i64.extend_i32_u
        i64.add
        local.set $sum
      end
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $limit
      i32.lt_u
      br_if $count_loop
    end
    local.get $count
    i64.extend_i32_u
    i64.const 32
    i64.shl
    local.get $sum
    i64.const 0xffffffff
    i64.and
    i64.add)

  (func (export "run") (param $reps i32) (result i64)
    (local $rep i32) (local $acc i64)
    local.get $reps
    i32.const 1
    i32.lt_s
    if
      i64.const 0
      return
    end
    loop $again
      ;; acc = acc * 31 + sieve(1_000_000 - 7 * rep)
      local.get $acc
      i64.const 31
      i64.mul
      i32.const 1000000
      local.get $rep
      i32.const 7
      i32.mul
      i32.sub
      call $sieve
      i64.add
      local.set $acc
      local.get $rep
      i32.const 1
      i32.add
      local.tee $rep
      local.get $reps
      i32.ne
      br_if $again
    end
    local.get $acc))
