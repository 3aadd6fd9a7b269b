;; GC types are valid WebAssembly (3.0) that interp does not execute: rejected
;; as an unsupported proposal, never as invalid, and never accepted. (Until
;; exception handling landed, this case was a module with a tag.)
(module
  (type $point (struct (field i32) (field i32)))
  (func (result (ref null $point)) (ref.null $point)))
