;; The provider: the first module of a linked world (see `link/mod.rs`).
;; Generated modules import its memory, table, globals and functions, so the
;; two instances share a memory and a table and call each other: the
;; generated module calls the functions below directly or through the table,
;; and they call back into whatever the table holds (the generated module's
;; functions, which its element segments put there, or host functions).
;;
;; Table slots 0-7 start with the table-only host functions t0-t7 (one per
;; signature $s0-$s7), slots 8-15 with f0-f7: a `call_indirect` of type $sK
;; at slot K or 8+K matches, at any other slot it mismatches (unless the
;; types happen to agree).
(module $provider
  (type $s0 (func))
  (type $s1 (func (param i32) (result i32)))
  (type $s2 (func (param i64 i64) (result i64)))
  (type $s3 (func (param f32) (result f32)))
  (type $s4 (func (param f64 f64) (result f64)))
  (type $s5 (func (param i32 i64 f32 f64) (result i32 f64)))
  (type $s6 (func (param externref) (result externref)))
  (type $s7 (func (param funcref i32) (result i32)))

  (import "host" "t0" (func $t0 (type $s0)))
  (import "host" "t1" (func $t1 (type $s1)))
  (import "host" "t2" (func $t2 (type $s2)))
  (import "host" "t3" (func $t3 (type $s3)))
  (import "host" "t4" (func $t4 (type $s4)))
  (import "host" "t5" (func $t5 (type $s5)))
  (import "host" "t6" (func $t6 (type $s6)))
  (import "host" "t7" (func $t7 (type $s7)))

  (memory $memory (export "memory") 1 8)
  (table $table (export "table") 16 64 funcref)
  (elem (table $table) (i32.const 0) func $t0 $t1 $t2 $t3 $t4 $t5 $t6 $t7 $f0 $f1 $f2 $f3 $f4 $f5 $f6 $f7)

  ;; Calls of the functions below (but the probes) and successful grows of
  ;; the shared memory by $grow: the oracle counts the calls of the generated
  ;; module's exports that make them go up.
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (global $grows (export "grows") (mut i32) (i32.const 0))
  (global (export "g_i32") (mut i32) (i32.const -2147483648))
  (global (export "g_i64") (mut i64) (i64.const -1))
  (global (export "g_f32") (mut f32) (f32.const nan:0x200000))
  (global (export "g_f64") f64 (f64.const -0))
  (global $ext (export "g_ext") (mut externref) (ref.null extern))

  (func $count
    (global.set $calls (i32.add (global.get $calls) (i32.const 1))))

  ;; Grows the shared memory by $pages; returns the old size in pages, or -1.
  (func $grow (export "grow") (type $s1)
    (local $old i32)
    (call $count)
    (local.set $old (memory.grow (local.get 0)))
    (if (i32.ne (local.get $old) (i32.const -1))
      (then (global.set $grows (i32.add (global.get $grows) (i32.const 1)))))
    (local.get $old))

  ;; The address `$back` bytes before the end of the memory.
  (func $end (param $back i32) (result i32)
    (i32.sub (i32.mul (memory.size) (i32.const 65536)) (local.get $back)))

  ;; Grows the shared memory by a page and marks its new last byte.
  (func $f0 (export "f0") (type $s0)
    (call $count)
    (drop (call $grow (i32.const 1)))
    (i32.store8 (call $end (i32.const 1)) (i32.const 0xa5)))

  ;; Grows the shared memory by ($x & 1) pages.
  (func $f1 (export "f1") (type $s1)
    (call $count)
    (call $grow (i32.and (local.get 0) (i32.const 1))))

  ;; Calls back through the shared table, at slot ($a & 31), arguments swapped.
  (func $f2 (export "f2") (type $s2)
    (call $count)
    (call_indirect $table (type $s2)
      (local.get 1) (local.get 0) (i32.and (i32.wrap_i64 (local.get 0)) (i32.const 31))))

  ;; Operations that keep NaN payloads, with the memory's last 4 bytes.
  (func $f3 (export "f3") (type $s3)
    (call $count)
    (f32.copysign (f32.neg (local.get 0)) (f32.load (call $end (i32.const 4)))))

  ;; Stores at the memory's end, returns a sign-copying mix.
  (func $f4 (export "f4") (type $s4)
    (call $count)
    (f64.store (call $end (i32.const 8)) (local.get 1))
    (f64.copysign (f64.abs (local.get 0)) (local.get 1)))

  ;; Calls slot 5 of the shared table (host function t5 unless overwritten).
  (func $f5 (export "f5") (type $s5)
    (call $count)
    (call_indirect $table (type $s5)
      (local.get 0) (local.get 1) (local.get 2) (local.get 3) (i32.const 5)))

  ;; Swaps its argument with the global g_ext.
  (func $f6 (export "f6") (type $s6)
    (call $count)
    (global.get $ext)
    (global.set $ext (local.get 0)))

  ;; Grows the shared table by ($n & 3) elements holding $f.
  (func $f7 (export "f7") (type $s7)
    (call $count)
    (table.grow $table (local.get 0) (i32.and (local.get 1) (i32.const 3))))

  ;; Probes: one call_indirect of each signature through the shared table,
  ;; at the slot given last. The oracle calls them with slots of host
  ;; functions of matching and mismatching types.
  (func (export "probe0") (param i32)
    (call_indirect $table (type $s0) (local.get 0)))
  (func (export "probe1") (param i32 i32) (result i32)
    (call_indirect $table (type $s1) (local.get 0) (local.get 1)))
  (func (export "probe2") (param i64 i64 i32) (result i64)
    (call_indirect $table (type $s2) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "probe3") (param f32 i32) (result f32)
    (call_indirect $table (type $s3) (local.get 0) (local.get 1)))
  (func (export "probe4") (param f64 f64 i32) (result f64)
    (call_indirect $table (type $s4) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "probe5") (param i32 i64 f32 f64 i32) (result i32 f64)
    (call_indirect $table (type $s5)
      (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
  (func (export "probe6") (param externref i32) (result externref)
    (call_indirect $table (type $s6) (local.get 0) (local.get 1)))
  (func (export "probe7") (param funcref i32 i32) (result i32)
    (call_indirect $table (type $s7) (local.get 0) (local.get 1) (local.get 2)))
)
