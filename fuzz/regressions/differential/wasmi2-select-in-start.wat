;; wasmi 2.0.0's `select` miscompile (see wasmi2-select-after-local-set.wat)
;; in a start function: the exported global differs right after
;; instantiation (interp and wasmi 0.31 store 1, wasmi 2.0.0 stores 0). The
;; tie-breaker sides with interp at instantiation, the oracle counts a
;; reference bug and the run goes on against wasmi 0.31: "get" is still
;; called and compared.
(module
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $start
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
    (global.set $g (local.get 2)))
  (start $start)
  (func (export "get") (result i32) (global.get $g))
)
