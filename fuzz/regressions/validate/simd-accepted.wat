;; SIMD is part of WebAssembly 2.0, which interp executes: accepted.
(module
  (func (result i32)
    (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))
