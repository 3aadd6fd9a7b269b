;; The wasmi 2.0.0 select miscompilation of wasmi2-select-after-local-set.wat
;; in a module that also uses SIMD, which wasmi 0.31 cannot run: the
;; tie-breaker is wasmi 2 on the module with its selects rewritten into
;; if/else, which agrees with interp (1), so the oracle classifies it as a
;; reference bug. The differential seeds met this in modules with SIMD
;; (seeds 27, 580, 1012 and 1606 when SIMD was first generated).
(module
  (global (mut i32) i32.const 0)
  (global (export "v") (mut v128) (v128.const i64x2 0 0))
  (func (export "f") (result i32)
    (local i32 i32 i32 i32)
    (global.set 1 (i32x4.splat (global.get 0)))
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
    local.set 2
    local.set 3
    block
      block
      end
    end
    local.get 2))
