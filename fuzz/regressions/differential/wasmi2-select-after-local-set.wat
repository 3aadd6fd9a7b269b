;; A wasmi 2.0.0 miscompilation, not an interp bug: the differential seeds
;; found it (seeds 32, 600, 1029 and 1778 at the time) through wasm-smith's
;; guard against division by zero, `select(1, x, x == 0)`. wasmi 2.0.0 returns
;; 0 from "f" (and so divides by zero in the original modules); interp and
;; wasmi 0.31 return 1. The oracle's tie-breaker must classify it as a
;; reference bug, so this file passes as long as that works.
(module
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
    local.get 2))
