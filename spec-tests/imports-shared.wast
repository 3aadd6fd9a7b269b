;; Imported memories, tables and globals are the exporter's objects, not
;; copies: writes and growth through one instance are seen through the other.

(module $exporter
  (memory (export "mem") 1 4)
  (table (export "tab") 2 10 funcref)
  (global (export "g") (mut i32) (i32.const 7))
  (func $seven (result i32) (i32.const 7))
  (elem (i32.const 0) $seven)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "tsize") (result i32) (table.size))
  (func (export "get_g") (result i32) (global.get 0))
  (func (export "call") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
)
(register "exporter" $exporter)

(module $importer
  (import "exporter" "mem" (memory 1))
  (import "exporter" "tab" (table 1 funcref))
  (import "exporter" "g" (global $g (mut i32)))
  (func $eight (result i32) (i32.const 8))
  (elem declare func $eight)
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "tgrow") (param i32) (result i32) (table.grow (ref.func $eight) (local.get 0)))
  (func (export "set_g") (param i32) (global.set $g (local.get 0)))
  (func (export "install") (param i32) (table.set (local.get 0) (ref.func $eight)))
)

;; Memory writes are shared.
(invoke $importer "store" (i32.const 16) (i32.const 0x12345678))
(assert_return (invoke $exporter "load" (i32.const 16)) (i32.const 0x12345678))

;; Growth through the importer is seen by the exporter.
(assert_return (invoke $importer "grow" (i32.const 2)) (i32.const 1))
(assert_return (invoke $exporter "size") (i32.const 3))
(invoke $importer "store" (i32.const 0x20000) (i32.const 99))
(assert_return (invoke $exporter "load" (i32.const 0x20000)) (i32.const 99))
;; The exporter's maximum (4) still applies to the importer.
(assert_return (invoke $importer "grow" (i32.const 2)) (i32.const -1))
(assert_return (invoke $importer "grow" (i32.const 1)) (i32.const 3))

;; Globals are shared.
(invoke $importer "set_g" (i32.const 42))
(assert_return (invoke $exporter "get_g") (i32.const 42))
(assert_return (get $exporter "g") (i32.const 42))

;; Tables are shared, including growth and entries from other instances.
(assert_return (invoke $exporter "call" (i32.const 0)) (i32.const 7))
(invoke $importer "install" (i32.const 1))
(assert_return (invoke $exporter "call" (i32.const 1)) (i32.const 8))
(assert_return (invoke $importer "tgrow" (i32.const 3)) (i32.const 2))
(assert_return (invoke $exporter "tsize") (i32.const 5))
(assert_return (invoke $exporter "call" (i32.const 4)) (i32.const 8))

;; Import subtyping: the provider may offer larger limits than asked for.
;; spectest's memory is (1 2) and its table (10 20).
(module (import "spectest" "memory" (memory 1)))
(module (import "spectest" "memory" (memory 0)))
(module (import "spectest" "memory" (memory 0 2)))
(module (import "spectest" "memory" (memory 1 3)))
(module (import "spectest" "memory" (memory 1 65536)))
(module (import "spectest" "table" (table 5 funcref)))
(module (import "spectest" "table" (table 10 20 funcref)))
(module (import "spectest" "table" (table 0 30 funcref)))
;; ...but not smaller ones.
(assert_unlinkable
  (module (import "spectest" "memory" (memory 2)))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "memory" (memory 1 1)))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "table" (table 11 funcref)))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "table" (table 10 19 funcref)))
  "incompatible import type")
;; A memory with a maximum cannot stand in for one without.
(module $unbounded (memory (export "m") 1))
(register "unbounded" $unbounded)
(module (import "unbounded" "m" (memory 1)))
(assert_unlinkable
  (module (import "unbounded" "m" (memory 1 100)))
  "incompatible import type")
;; Globals must match exactly, mutability included.
(assert_unlinkable
  (module (import "exporter" "g" (global i32)))
  "incompatible import type")
(assert_unlinkable
  (module (import "exporter" "g" (global (mut i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "exporter" "nope" (global i32)))
  "unknown import")
