;; A small register-machine bytecode interpreter: the `br_table` benchmark.
;;
;; The guest is an interpreter as C compiles it: `for (;;) { decode; switch
;; (op) { ... } }`, with the switch lowered to one `br_table` over nested
;; blocks and every case ending in a branch back to the loop head. Its
;; registers (`uint64_t r[8]`) and a 256-byte lookup table live in linear
;; memory, as address-taken arrays do.
;;
;; Instructions are 4 bytes: op, a, b, c.
;;   0 HALT                      8 SHLI  r[a] = r[b] << c
;;   1 LI    r[a] = sext16(b|c<<8)  9 ADDI  r[a] = r[b] + sext8(c)
;;   2 ADD   r[a] = r[b] + r[c]  10 LDB   r[a] = table[r[b] & 255]
;;   3 SUB   r[a] = r[b] - r[c]  11 JNZ   if r[a] != 0: pc += sext16(b|c<<8) instrs
;;   4 MUL   r[a] = r[b] * r[c]  12 JMP   pc += sext16(b|c<<8) instrs
;;   5 XOR   r[a] = r[b] ^ r[c]  13 MOV   r[a] = r[b]
;;   6 AND   r[a] = r[b] & r[c]  14 ROTLI r[a] = rotl(r[b], c)
;;   7 SHRI  r[a] = r[b] >> c    other: trap
;; Jumps are relative to the next instruction.
;;
;; `run(n)` sets r1 = n and runs the bytecode program at 512, a hash loop of
;; about 12.5 guest instructions per iteration that runs n iterations; the
;; checksum is r0 xor the number of guest instructions executed.
;;
;; Memory: r[8] at 0, table[256] at 64, program at 512.
(module
  (memory 1)
  (data (i32.const 512)
    "\01\02\4b\7f"   ;;  0: LI    r2, 0x7f4b
    "\01\03\01\00"   ;;  1: LI    r3, 1
    "\01\00\00\00"   ;;  2: LI    r0, 0
    "\07\04\00\07"   ;;  3: SHRI  r4, r0, 7       <- loop
    "\05\00\00\04"   ;;  4: XOR   r0, r0, r4
    "\04\00\00\02"   ;;  5: MUL   r0, r0, r2
    "\02\00\00\01"   ;;  6: ADD   r0, r0, r1
    "\06\05\01\03"   ;;  7: AND   r5, r1, r3
    "\0b\05\02\00"   ;;  8: JNZ   r5, +2          (odd: to 11)
    "\09\00\00\03"   ;;  9: ADDI  r0, r0, 3
    "\0c\00\01\00"   ;; 10: JMP   +1              (to 12)
    "\03\00\00\03"   ;; 11: SUB   r0, r0, r3
    "\0a\06\00\00"   ;; 12: LDB   r6, r0
    "\0e\06\06\1d"   ;; 13: ROTLI r6, r6, 29
    "\05\00\00\06"   ;; 14: XOR   r0, r0, r6
    "\09\01\01\ff"   ;; 15: ADDI  r1, r1, -1
    "\0b\01\f2\ff"   ;; 16: JNZ   r1, -14         (to 3)
    "\00\00\00\00")  ;; 17: HALT

  ;; Runs the program at 512 until HALT; returns r0 xor the step count.
  (func $exec (result i64)
    (local $pc i32) (local $op i32) (local $a i32) (local $b i32) (local $c i32)
    (local $steps i64)
    i32.const 512
    local.set $pc
    block $halt
      loop $next
        local.get $pc
        i32.load8_u offset=1
        i32.const 3
        i32.shl
        local.set $a
        local.get $pc
        i32.load8_u offset=2
        local.set $b
        local.get $pc
        i32.load8_u offset=3
        local.set $c
        local.get $pc
        i32.load8_u
        local.set $op
        local.get $pc
        i32.const 4
        i32.add
        local.set $pc
        local.get $steps
        i64.const 1
        i64.add
        local.set $steps
        block $bad
        block $rotli
        block $mov
        block $jmp
        block $jnz
        block $ldb
        block $addi
        block $shli
        block $shri
        block $and
        block $xor
        block $mul
        block $sub
        block $add
        block $li
          local.get $op
          br_table $halt $li $add $sub $mul $xor $and $shri $shli $addi $ldb $jnz $jmp $mov $rotli $bad
        end ;; li
        local.get $a
        local.get $b
        local.get $c
        i32.const 8
        i32.shl
        i32.or
        i32.extend16_s
        i64.extend_i32_s
        i64.store
        br $next
        end ;; add
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i32.const 3
        i32.shl
        i64.load
        i64.add
        i64.store
        br $next
        end ;; sub
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i32.const 3
        i32.shl
        i64.load
        i64.sub
        i64.store
        br $next
        end ;; mul
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i32.const 3
        i32.shl
        i64.load
        i64.mul
        i64.store
        br $next
        end ;; xor
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i32.const 3
        i32.shl
        i64.load
        i64.xor
        i64.store
        br $next
        end ;; and
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i32.const 3
        i32.shl
        i64.load
        i64.and
        i64.store
        br $next
        end ;; shri
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i64.extend_i32_u
        i64.shr_u
        i64.store
        br $next
        end ;; shli
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i64.extend_i32_u
        i64.shl
        i64.store
        br $next
        end ;; addi
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i32.extend8_s
        i64.extend_i32_s
        i64.add
        i64.store
        br $next
        end ;; ldb
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i32.load
        i32.const 255
        i32.and
        i64.load8_u offset=64
        i64.store
        br $next
        end ;; jnz
        local.get $a
        i64.load
        i64.eqz
        br_if $next
        local.get $pc
        local.get $b
        local.get $c
        i32.const 8
        i32.shl
        i32.or
        i32.extend16_s
        i32.const 2
        i32.shl
        i32.add
        local.set $pc
        br $next
        end ;; jmp
        local.get $pc
        local.get $b
        local.get $c
        i32.const 8
        i32.shl
        i32.or
        i32.extend16_s
        i32.const 2
        i32.shl
        i32.add
        local.set $pc
        br $next
        end ;; mov
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        i64.store
        br $next
        end ;; rotli
        local.get $a
        local.get $b
        i32.const 3
        i32.shl
        i64.load
        local.get $c
        i64.extend_i32_u
        i64.rotl
        i64.store
        br $next
        end ;; bad
        unreachable
      end
    end
    i32.const 0
    i64.load
    local.get $steps
    i64.xor)

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $seed i32)
    ;; r[0..8] = 0; r1 = n
    i32.const 0
    i32.const 0
    i32.const 64
    memory.fill
    i32.const 8
    local.get $n
    i64.extend_i32_u
    i64.store
    ;; table[0..256] from an LCG
    loop $fill
      local.get $i
      local.get $seed
      i32.const 1664525
      i32.mul
      i32.const 1013904223
      i32.add
      local.tee $seed
      i32.const 24
      i32.shr_u
      i32.store8 offset=64
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      i32.const 256
      i32.ne
      br_if $fill
    end
    call $exec))
