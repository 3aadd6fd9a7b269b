;; A trap raised by a host function named the wrong instruction in interp's
;; backtrace: the next instruction after the call that may trap, which is not
;; the same in the metered translation (a fuel charge at the block's end) as
;; in the default one (the division). The execute oracle compares the two
;; translations' traps, site included. The host functions of the oracles'
;; worlds trap when their first argument is 0x7ffffffe.
(module
  (import "host" "f" (func $f (param i32) (result i32)))
  (func (export "call_then_block_end") (result i32)
    (block (result i32)
      (call $f (i32.const 0x7ffffffe)))
    (i32.const 1)
    (i32.div_s))
  (func (export "call_then_divide") (result i32)
    (i32.div_s (call $f (i32.const 0x7ffffffe)) (i32.const 3)))
  (func (export "loop_call") (result i32)
    (loop (result i32)
      (call $f (i32.const 0x7ffffffe))))
)
