;; wasmi 2.0.0 panics (an `unreachable!` in its translator) translating the
;; `i32.store16` below; the differential target found it. This is the module
;; the original raw fuzz input made (the raw input stopped reproducing it when
;; the generator's configuration changed). A panic in wasmi 2 is a reference
;; bug: the oracle must count it and compare against wasmi 0.31 instead.
(module
  (type (;0;) (func (result funcref f32 f32)))
  (memory (;0;) 13 13)
  (export "" (func 0))
  (export "'" (memory 0))
  (func (;0;) (type 0) (result funcref f32 f32)
    (local f64 i32)
    local.get 1
    f32.load offset=26720 align=1
    ref.null func
    memory.size
    local.tee 1
    local.get 1
    i32.store16 offset=589804
    memory.size
    local.tee 1
    i32.load16_u offset=419567
    f32.load offset=191702 align=2
    drop
    drop
    drop
    ref.null func
    f32.const 0x1.c8p+67 (;=262866100000000000000;)
    f32.const 0x1.b985dcp-127 (;=0.000000000000000000000000000000000000010136868;)
  )
)
