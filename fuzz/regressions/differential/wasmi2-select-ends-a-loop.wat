;; wasmi 2.0.0's `select` miscompile (see wasmi2-select-after-local-set.wat)
;; turning an endless loop into a trap: the differential seeds met it (seed
;; 1071) in a module whose loop divides by `select(1, x, x == 0)`. interp
;; and wasmi 0.31 divide by 1 and loop for ever; wasmi 2.0.0 divides by 0 and
;; traps after a few thousand units of fuel. interp's metered translation
;; must run out of 100 times that fuel, wasmi 0.31 must run out too, and the
;; oracle counts a reference bug (its default translation never runs the
;; call, so the watchdog stays quiet) and goes on against wasmi 0.31.
(module
  (global (mut i32) i32.const 0)
  (func (export "spin") (result i32)
    (local i32 i32 i32 i32)
    (loop $again
      global.get 0
      i32.const -1595344569
      i32.ne
      i64.const -137438953472
      i32.const -268435457
      i32.const -853899659
      i32.sub
      i32.const -268435457
      i32.mul
      i64.extend_i32_s
      i64.gt_s
      local.set 2
      ;; local 2 is 0 here, so the select yields 1.
      i32.const 1
      local.get 2
      local.get 2
      i32.eqz
      select
      i32.div_u
      drop
      br $again)
    i32.const 7)
  (func (export "after") (result i32)
    (global.set 0 (i32.const 5))
    (global.get 0))
)
