;; The wasmi 2.0.0 `select` miscompilation of wasmi2-select-after-local-set.wat
;; in a module with two memories, one of them 64-bit: wasmi 0.31 cannot run it,
;; so the tie-breaker is wasmi 2 on the select-free rewrite of the module
;; (engine/tie_breaker.rs), which must side with interp and classify the
;; difference as a reference bug. Found by the differential seeds once they
;; generated several and 64-bit memories (seeds 29, 513, 1005, 1545 at the time).
(module
  (memory 1)
  (memory i64 1)
  (global (mut i32) i32.const 0)
  (func (export "f") (result i32)
    (local i32 i32 i32 i32)
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
    local.get 2)
  ;; And memory 1 sees it: stored at a 64-bit address.
  (func (export "g")
    (i64.store8 1 (i64.const 65535) (i64.extend_i32_u (call 0)))))
