;; The memories of WebAssembly 3.0 and custom page sizes at the edges of how
;; interp represents them: memory.copy between two memories and data segments
;; in memory 1 (each with its own memory's bounds), a 64-bit memory used above
;; 4 GiB (64-bit offsets, segment offsets and bounds that never wrap), 1-byte
;; pages, 64-bit table indices (which interp narrows to 32 bits), and a memory
;; imported twice, grown through one index and read through the other.

;; ---- two memories -----------------------------------------------------------

(module
  (memory $a (export "a") 1)
  (memory $b (export "b") 1 3)
  (data (memory $b) (i32.const 16) "\01\02\03\04")
  (data (memory $a) (i32.const 0) "abcd")
  (func (export "load_a") (param i32) (result i32) (i32.load8_u $a (local.get 0)))
  (func (export "load_b") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
  (func (export "load32_b") (param i32) (result i32) (i32.load $b offset=1 (local.get 0)))
  (func (export "store_b") (param i32 i32) (i32.store16 $b (local.get 0) (local.get 1)))
  (func (export "copy_b_to_a") (param i32 i32 i32)
    (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_a_to_b") (param i32 i32 i32)
    (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_b_to_b") (param i32 i32 i32)
    (memory.copy $b $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill_b") (param i32 i32 i32)
    (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "size_a") (result i32) (memory.size $a))
  (func (export "size_b") (result i32) (memory.size $b))
  (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
)

;; Each data segment went to its own memory.
(assert_return (invoke "load_b" (i32.const 16)) (i32.const 1))
(assert_return (invoke "load_b" (i32.const 19)) (i32.const 4))
(assert_return (invoke "load_a" (i32.const 16)) (i32.const 0))
(assert_return (invoke "load_a" (i32.const 0)) (i32.const 0x61))
(assert_return (invoke "load_b" (i32.const 0)) (i32.const 0))
(assert_return (invoke "load32_b" (i32.const 15)) (i32.const 0x04030201))

;; memory.copy reads the source memory and writes the destination memory.
(assert_return (invoke "copy_b_to_a" (i32.const 100) (i32.const 16) (i32.const 4)))
(assert_return (invoke "load_a" (i32.const 100)) (i32.const 1))
(assert_return (invoke "load_a" (i32.const 103)) (i32.const 4))
(assert_return (invoke "load_b" (i32.const 100)) (i32.const 0))
(assert_return (invoke "copy_a_to_b" (i32.const 200) (i32.const 1) (i32.const 3)))
(assert_return (invoke "load_b" (i32.const 200)) (i32.const 0x62))
(assert_return (invoke "load_b" (i32.const 202)) (i32.const 0x64))
(assert_return (invoke "load_a" (i32.const 200)) (i32.const 0))
;; Overlapping copy within one memory.
(assert_return (invoke "copy_b_to_b" (i32.const 17) (i32.const 16) (i32.const 4)))
(assert_return (invoke "load32_b" (i32.const 15)) (i32.const 0x03020101))

;; Each side is checked against its own memory's size: after growing $b to
;; two pages, its second page is a valid source but not a valid destination
;; in $a, and nothing is written by a copy that traps.
(assert_return (invoke "grow_b" (i32.const 1)) (i32.const 1))
(assert_return (invoke "size_b") (i32.const 2))
(assert_return (invoke "size_a") (i32.const 1))
(assert_return (invoke "store_b" (i32.const 70000) (i32.const 0x0705)))
(assert_return (invoke "copy_b_to_a" (i32.const 300) (i32.const 70000) (i32.const 2)))
(assert_return (invoke "load_a" (i32.const 301)) (i32.const 7))
(assert_trap (invoke "copy_a_to_b" (i32.const 0) (i32.const 65535) (i32.const 2))
  "out of bounds memory access")
(assert_return (invoke "load_b" (i32.const 0)) (i32.const 0))
(assert_return (invoke "copy_a_to_b" (i32.const 131070) (i32.const 0) (i32.const 2)))
(assert_trap (invoke "copy_a_to_b" (i32.const 131071) (i32.const 0) (i32.const 2))
  "out of bounds memory access")
(assert_trap (invoke "copy_b_to_a" (i32.const 65535) (i32.const 70000) (i32.const 2))
  "out of bounds memory access")
(assert_return (invoke "load_a" (i32.const 65535)) (i32.const 0))
(assert_return (invoke "fill_b" (i32.const 131000) (i32.const 9) (i32.const 72)))
(assert_return (invoke "load_b" (i32.const 131071)) (i32.const 9))
(assert_trap (invoke "fill_b" (i32.const 131000) (i32.const 9) (i32.const 73))
  "out of bounds memory access")
(assert_return (invoke "grow_b" (i32.const 2)) (i32.const -1))

;; A data segment in memory 1 is checked against memory 1's size, not memory 0's.
(assert_trap
  (module
    (memory 2)
    (memory 1)
    (data (memory 1) (i32.const 65535) "xy"))
  "out of bounds memory access")
(module
  (memory 1)
  (memory 2)
  (data (memory 1) (i32.const 65536) "xy")
  (func (export "load1") (param i32) (result i32) (i32.load8_u 1 (local.get 0))))
(assert_return (invoke "load1" (i32.const 65537)) (i32.const 0x79))

;; ---- a 64-bit memory above 4 GiB ----------------------------------------------

;; 65537 pages: 4 GiB and one page, reserved up front, committed as touched.
(module
  (memory i64 65537 65538)
  (data (i64.const 0x1_0000_0010) "high")
  (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load_high") (param i64) (result i64)
    (i64.load offset=0x1_0000_0000 (local.get 0)))
  (func (export "load_max_offset") (param i64) (result i32)
    (i32.load8_u offset=0xffff_ffff_ffff_ffff (local.get 0)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
)
(assert_return (invoke "size") (i64.const 65537))
(assert_return (invoke "store" (i64.const 0x1_0000_1000) (i64.const 0x0123_4567_89ab_cdef)))
(assert_return (invoke "load" (i64.const 0x1_0000_1000)) (i64.const 0x0123_4567_89ab_cdef))
;; Not an alias of the address modulo 2^32.
(assert_return (invoke "load" (i64.const 0x1000)) (i64.const 0))
(assert_return (invoke "load_high" (i64.const 0x1000)) (i64.const 0x0123_4567_89ab_cdef))
;; The data segment's 64-bit offset.
(assert_return (invoke "load8" (i64.const 0x1_0000_0010)) (i32.const 0x68))
(assert_return (invoke "load8" (i64.const 0x10)) (i32.const 0))
;; The last byte and the last 8 bytes are in bounds; one byte further is not.
(assert_return (invoke "load8" (i64.const 0x1_0000_ffff)) (i32.const 0))
(assert_trap (invoke "load8" (i64.const 0x1_0001_0000)) "out of bounds memory access")
(assert_return (invoke "load" (i64.const 0x1_0000_fff8)) (i64.const 0))
(assert_trap (invoke "load" (i64.const 0x1_0000_fff9)) "out of bounds memory access")
(assert_return (invoke "load_high" (i64.const 0xfff8)) (i64.const 0))
(assert_trap (invoke "load_high" (i64.const 0xfff9)) "out of bounds memory access")
;; Address + offset + width past 2^64 is out of bounds, not wrapped to 0.
(assert_trap (invoke "load_high" (i64.const 0xffff_ffff_0000_0000)) "out of bounds memory access")
(assert_trap (invoke "load_high" (i64.const 0xffff_ffff_0000_1000)) "out of bounds memory access")
(assert_trap (invoke "load" (i64.const -8)) "out of bounds memory access")
(assert_trap (invoke "load" (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "load_max_offset" (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "load_max_offset" (i64.const 0)) "out of bounds memory access")
;; memory.grow takes and returns i64 pages.
(assert_return (invoke "grow" (i64.const 0x1_0000_0000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 1)) (i64.const 65537))
(assert_return (invoke "load8" (i64.const 0x1_0001_ffff)) (i32.const 0))
(assert_return (invoke "grow" (i64.const 1)) (i64.const -1))

;; A data segment whose 64-bit offset plus length would wrap traps.
(assert_trap
  (module (memory i64 1) (data (i64.const -1) "xy"))
  "out of bounds memory access")

;; ---- 1-byte pages -------------------------------------------------------------

(module
  (memory $m 10 20 (pagesize 1))
  (memory $w i64 3 (pagesize 1))
  (func (export "size") (result i32) (memory.size $m))
  (func (export "grow") (param i32) (result i32) (memory.grow $m (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u $m (local.get 0)))
  (func (export "load16") (param i32) (result i32) (i32.load16_u $m (local.get 0)))
  (func (export "size_w") (result i64) (memory.size $w))
  (func (export "grow_w") (param i64) (result i64) (memory.grow $w (local.get 0)))
  (func (export "load8_w") (param i64) (result i32) (i32.load8_u $w (local.get 0)))
)
(assert_return (invoke "size") (i32.const 10))
(assert_return (invoke "load8" (i32.const 9)) (i32.const 0))
(assert_trap (invoke "load8" (i32.const 10)) "out of bounds memory access")
(assert_trap (invoke "load16" (i32.const 9)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 5)) (i32.const 10))
(assert_return (invoke "size") (i32.const 15))
(assert_return (invoke "load8" (i32.const 14)) (i32.const 0))
(assert_trap (invoke "load8" (i32.const 15)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 6)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 5)) (i32.const 15))
(assert_return (invoke "size") (i32.const 20))
(assert_return (invoke "size_w") (i64.const 3))
(assert_return (invoke "grow_w" (i64.const 65536)) (i64.const 3))
(assert_return (invoke "size_w") (i64.const 65539))
(assert_return (invoke "load8_w" (i64.const 65538)) (i32.const 0))
(assert_trap (invoke "load8_w" (i64.const 65539)) "out of bounds memory access")

;; A 32-bit memory of 1-byte pages has at most 2^32 - 1 of them.
(module (memory 0xffff_ffff (pagesize 1)))
(assert_invalid (module (memory 0x1_0000_0000 (pagesize 1))) "memory size must be at most")

;; ---- a memory imported twice --------------------------------------------------

(module $exporter (memory (export "mem") 1 4))
(register "exporter" $exporter)
(module
  (import "exporter" "mem" (memory $m0 1))
  (import "exporter" "mem" (memory $m1 1))
  ;; Memory 0 through the executor's cache, grown through memory 1.
  (func (export "grow_then_load0") (result i32)
    (drop (memory.grow $m1 (i32.const 1)))
    (i32.store $m1 (i32.const 65536) (i32.const 42))
    (i32.load $m0 (i32.const 65536)))
  (func (export "size0") (result i32) (memory.size $m0))
  (func (export "copy_0_to_1") (param i32 i32 i32)
    (memory.copy $m1 $m0 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load0") (param i32) (result i32) (i32.load8_u $m0 (local.get 0)))
)
(assert_return (invoke "grow_then_load0") (i32.const 42))
(assert_return (invoke "size0") (i32.const 2))
;; A copy between the two indices is a copy within one memory (overlap allowed).
(assert_return (invoke "copy_0_to_1" (i32.const 65537) (i32.const 65536) (i32.const 4)))
(assert_return (invoke "load0" (i32.const 65537)) (i32.const 42))
(assert_return (invoke "load0" (i32.const 65536)) (i32.const 42))

;; ---- 64-bit table indices -----------------------------------------------------

(module
  (type $r (func (result i32)))
  (table $t i64 3 10 funcref)
  (func $seven (result i32) (i32.const 7))
  (elem (table $t) (i64.const 1) func $seven)
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
  (func (export "size") (result i64) (table.size $t))
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set") (param i64) (table.set $t (local.get 0) (ref.null func)))
  (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
)
(assert_return (invoke "call" (i64.const 1)) (i32.const 7))
;; An index that is 1 modulo 2^32 is out of bounds, not element 1.
(assert_trap (invoke "call" (i64.const 0x1_0000_0001)) "undefined element")
(assert_trap (invoke "is_null" (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "set" (i64.const 0x1_0000_0001)) "out of bounds table access")
(assert_trap (invoke "fill" (i64.const 1) (i64.const 0x1_0000_0000)) "out of bounds table access")
(assert_trap (invoke "fill" (i64.const 0x1_0000_0000) (i64.const 0)) "out of bounds table access")
(assert_return (invoke "is_null" (i64.const 1)) (i32.const 0))
;; A failed grow returns -1 as an i64.
(assert_return (invoke "grow" (i64.const 0x1_0000_0000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 8)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 2)) (i64.const 3))
(assert_return (invoke "size") (i64.const 5))
(assert_return (invoke "fill" (i64.const 0) (i64.const 5)))
(assert_return (invoke "is_null" (i64.const 1)) (i32.const 1))

;; An element segment's 64-bit offset that is 0 modulo 2^32 does not fit.
(assert_trap
  (module
    (table i64 1 funcref)
    (func $f)
    (elem (table 0) (i64.const 0x1_0000_0000) func $f))
  "out of bounds table access")
