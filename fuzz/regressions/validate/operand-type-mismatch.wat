;; A body whose result has the wrong type: wasmparser rejects it, so must
;; interp, with the offset of the instruction.
(module
  (func (result i32)
    (i64.const 0)))
