;; Recursive Fibonacci: the call-heavy benchmark.
;;
;; `run(n)` returns fib(n) as an i64. Two calls per activation, almost no work
;; between them, so the cost is call and return overhead: frame setup,
;; argument passing and the result move. Written as a C compiler emits
;; `uint64_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }`.
(module
  (func $fib (param $n i32) (result i64)
    local.get $n
    i32.const 2
    i32.lt_u
    if (result i64)
      local.get $n
      i64.extend_i32_u
    else
      local.get $n
      i32.const -1
      i32.add
      call $fib
      local.get $n
      i32.const -2
      i32.add
      call $fib
      i64.add
    end)

  (func (export "run") (param $n i32) (result i64)
    local.get $n
    call $fib))
