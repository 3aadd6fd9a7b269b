;; SIMD is valid WebAssembly that interp does not execute: rejected as an
;; unsupported proposal, never as invalid, and never accepted.
(module
  (func (result i32)
    (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))
