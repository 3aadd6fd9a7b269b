;; Exception handling is valid WebAssembly (3.0) that interp does not execute:
;; rejected as an unsupported proposal, never as invalid, and never accepted.
(module
  (tag $e)
  (func (throw $e)))
