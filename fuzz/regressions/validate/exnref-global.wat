;; Seed 0..1000 of `validate_seeds` found this when exception handling joined
;; interp but not the oracle's reference feature set: interp accepted, the
;; reference validator (without exceptions) rejected "exception refs not
;; supported". Both now validate with exception handling.
(module
  (global (;0;) (mut exnref) ref.null exn)
  (global (;1;) (mut f32) f32.const -0x1.b46cb4p-19)
  (export "" (global 1)))
