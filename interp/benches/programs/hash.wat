;; SHA-256 over a 16 KiB buffer in linear memory: the integer-hash benchmark.
;;
;; `run(reps)` fills the message with bytes from a linear congruential
;; generator, then `reps` times stores the repetition number in the message's
;; first four bytes, computes the real SHA-256 of the 16384-byte message (256
;; blocks plus one padding block) and folds the eight digest words into an
;; FNV-1a-style checksum. The compression function is written as a size-
;; optimising C compiler emits it: the message schedule and round constants in
;; memory, the eight working variables in locals, one loop over the rounds.
;;
;; Memory: K[64] at 0, W[64] at 256, H[8] at 512, IV[8] at 544,
;; message at 1024 (16384 bytes plus room for padding).
(module
  (memory 1)
  (data (i32.const 0)
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76"
    "\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92"
    "\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68"
    "\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6")
  (data (i32.const 544)
    "\67\e6\09\6a\85\ae\67\bb\72\f3\6e\3c\3a\f5\4f\a5\7f\52\0e\51\8c\68\05\9b\ab\d9\83\1f\19\cd\e0\5b")

  (func $bswap32 (param $x i32) (result i32)
    local.get $x
    i32.const 8
    i32.rotl
    i32.const 0x00ff00ff
    i32.and
    local.get $x
    i32.const 8
    i32.rotr
    i32.const 0xff00ff00
    i32.and
    i32.or)

  ;; Compresses the 64-byte block at `p` into H.
  (func $compress (param $p i32)
    (local $t i32) (local $x i32) (local $t1 i32) (local $t2 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    ;; W[0..16] = big-endian words of the block
    loop $load
      local.get $t
      local.get $p
      local.get $t
      i32.add
      i32.load
      call $bswap32
      i32.store offset=256
      local.get $t
      i32.const 4
      i32.add
      local.tee $t
      i32.const 64
      i32.ne
      br_if $load
    end
    ;; W[i] = s1(W[i-2]) + W[i-7] + s0(W[i-15]) + W[i-16]   (t = 4i)
    loop $schedule
      local.get $t
      local.get $t
      i32.load offset=248
      local.tee $x
      i32.const 17
      i32.rotr
      local.get $x
      i32.const 19
      i32.rotr
      i32.xor
      local.get $x
      i32.const 10
      i32.shr_u
      i32.xor
      local.get $t
      i32.load offset=228
      i32.add
      local.get $t
      i32.load offset=196
      local.tee $x
      i32.const 7
      i32.rotr
      local.get $x
      i32.const 18
      i32.rotr
      i32.xor
      local.get $x
      i32.const 3
      i32.shr_u
      i32.xor
      i32.add
      local.get $t
      i32.load offset=192
      i32.add
      i32.store offset=256
      local.get $t
      i32.const 4
      i32.add
      local.tee $t
      i32.const 256
      i32.ne
      br_if $schedule
    end
    i32.const 0
    i32.load offset=512
    local.set $a
    i32.const 0
    i32.load offset=516
    local.set $b
    i32.const 0
    i32.load offset=520
    local.set $c
    i32.const 0
    i32.load offset=524
    local.set $d
    i32.const 0
    i32.load offset=528
    local.set $e
    i32.const 0
    i32.load offset=532
    local.set $f
    i32.const 0
    i32.load offset=536
    local.set $g
    i32.const 0
    i32.load offset=540
    local.set $h
    i32.const 0
    local.set $t
    loop $round
      ;; t1 = h + S1(e) + ch(e, f, g) + K[i] + W[i]
      local.get $h
      local.get $e
      i32.const 6
      i32.rotr
      local.get $e
      i32.const 11
      i32.rotr
      i32.xor
      local.get $e
      i32.const 25
      i32.rotr
      i32.xor
      i32.add
      local.get $g
      local.get $f
      local.get $g
      i32.xor
      local.get $e
      i32.and
      i32.xor
      i32.add
      local.get $t
      i32.load
      i32.add
      local.get $t
      i32.load offset=256
      i32.add
      local.set $t1
      ;; t2 = S0(a) + maj(a, b, c)
      local.get $a
      i32.const 2
      i32.rotr
      local.get $a
      i32.const 13
      i32.rotr
      i32.xor
      local.get $a
      i32.const 22
      i32.rotr
      i32.xor
      local.get $a
      local.get $b
      i32.and
      local.get $c
      local.get $a
      local.get $b
      i32.or
      i32.and
      i32.or
      i32.add
      local.set $t2
      local.get $g
      local.set $h
      local.get $f
      local.set $g
      local.get $e
      local.set $f
      local.get $d
      local.get $t1
      i32.add
      local.set $e
      local.get $c
      local.set $d
      local.get $b
      local.set $c
      local.get $a
      local.set $b
      local.get $t1
      local.get $t2
      i32.add
      local.set $a
      local.get $t
      i32.const 4
      i32.add
      local.tee $t
      i32.const 256
      i32.ne
      br_if $round
    end
    i32.const 0
    i32.const 0
    i32.load offset=512
    local.get $a
    i32.add
    i32.store offset=512
    i32.const 0
    i32.const 0
    i32.load offset=516
    local.get $b
    i32.add
    i32.store offset=516
    i32.const 0
    i32.const 0
    i32.load offset=520
    local.get $c
    i32.add
    i32.store offset=520
    i32.const 0
    i32.const 0
    i32.load offset=524
    local.get $d
    i32.add
    i32.store offset=524
    i32.const 0
    i32.const 0
    i32.load offset=528
    local.get $e
    i32.add
    i32.store offset=528
    i32.const 0
    i32.const 0
    i32.load offset=532
    local.get $f
    i32.add
    i32.store offset=532
    i32.const 0
    i32.const 0
    i32.load offset=536
    local.get $g
    i32.add
    i32.store offset=536
    i32.const 0
    i32.const 0
    i32.load offset=540
    local.get $h
    i32.add
    i32.store offset=540)

  ;; SHA-256 of the `len` bytes at 1024, padded in place; the digest is left in H.
  (func $sha256 (param $len i32)
    (local $p i32) (local $end i32)
    ;; H = IV
    i32.const 0
    i32.const 0
    i64.load offset=544
    i64.store offset=512
    i32.const 0
    i32.const 0
    i64.load offset=552
    i64.store offset=520
    i32.const 0
    i32.const 0
    i64.load offset=560
    i64.store offset=528
    i32.const 0
    i32.const 0
    i64.load offset=568
    i64.store offset=536
    ;; message[len] = 0x80, zeros up to the last 8 bytes of the final block,
    ;; then the length in bits, big-endian.
    local.get $len
    i32.const 1024
    i32.add
    local.tee $p
    i32.const 0x80
    i32.store8
    local.get $p
    i32.const 1
    i32.add
    i32.const 0
    local.get $len
    i32.const 72
    i32.add
    i32.const -64
    i32.and
    i32.const 1024
    i32.add
    local.tee $end
    local.get $p
    i32.sub
    i32.const 9
    i32.sub
    memory.fill
    local.get $end
    i32.const 8
    i32.sub
    local.get $len
    i32.const 29
    i32.shr_u
    call $bswap32
    i32.store
    local.get $end
    i32.const 4
    i32.sub
    local.get $len
    i32.const 3
    i32.shl
    call $bswap32
    i32.store
    i32.const 1024
    local.set $p
    loop $blocks
      local.get $p
      call $compress
      local.get $p
      i32.const 64
      i32.add
      local.tee $p
      local.get $end
      i32.lt_u
      br_if $blocks
    end)

  (func (export "run") (param $reps i32) (result i64)
    (local $i i32) (local $seed i32) (local $rep i32) (local $w i32) (local $acc i64)
    ;; message bytes from an LCG
    loop $fill
      local.get $i
      local.get $seed
      i32.const 1103515245
      i32.mul
      i32.const 12345
      i32.add
      local.tee $seed
      i32.const 16
      i32.shr_u
      i32.store8 offset=1024
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      i32.const 16384
      i32.ne
      br_if $fill
    end
    i64.const 0xcbf29ce484222325
    local.set $acc
    local.get $reps
    i32.const 1
    i32.lt_s
    if
      local.get $acc
      return
    end
    loop $again
      i32.const 1024
      local.get $rep
      i32.store
      i32.const 16384
      call $sha256
      ;; fold the digest words
      i32.const 0
      local.set $w
      loop $fold
        local.get $acc
        local.get $w
        i64.load32_u offset=512
        i64.xor
        i64.const 0x100000001b3
        i64.mul
        local.set $acc
        local.get $w
        i32.const 4
        i32.add
        local.tee $w
        i32.const 32
        i32.ne
        br_if $fold
      end
      local.get $rep
      i32.const 1
      i32.add
      local.tee $rep
      local.get $reps
      i32.ne
      br_if $again
    end
    local.get $acc))
