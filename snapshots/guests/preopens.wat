;; Two preopens: /sandbox (fd 3) and /other (fd 4). Each is listed by
;; fd_prestat_get and fd_prestat_dir_name; files move between them with
;; path_rename and path_link (same file system); a symlink in /sandbox that
;; leads into /other is still an escape from fd 3 (each path resolves beneath
;; its own directory only); and a file renumbered over fd 4 replaces the
;; preopen, which is then gone from the prestat list, while a preopen
;; renumbered over stdin is listed at fd 0.
(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x130) "\n")

  ;; Writes len bytes at ptr to stdout (the iovec lives at 0x0).
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $nl (call $print (i32.const 0x130) (i32.const 1)))
  ;; Prints the name of preopen fd (its length from fd_prestat_get at 0x40).
  (func $prestat (param $fd i32)
    (if (i32.eqz (call $fd_prestat_get (local.get $fd) (i32.const 0x40)))
      (then
        (drop (call $fd_prestat_dir_name (local.get $fd) (i32.const 0x300) (i32.load (i32.const 0x44))))
        (call $print (i32.const 0x300) (i32.load (i32.const 0x44)))
        (call $nl))))
  ;; Opens path in dir (following symlinks) with oflags and rights; the fd
  ;; lands at 0x10.
  (func $open (param $dir i32) (param $p i32) (param $l i32) (param $oflags i32) (param $rights i64) (result i32)
    (call $path_open (local.get $dir) (i32.const 1) (local.get $p) (local.get $l)
      (local.get $oflags) (local.get $rights) (i64.const 0) (i32.const 0) (i32.const 0x10)))
  ;; Sets the iovec at 0x200 to (ptr, len).
  (func $iov (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0x200) (local.get $ptr))
    (i32.store (i32.const 0x204) (local.get $len)))

  (data (i32.const 0x400) "a.txt")
  (data (i32.const 0x410) "moved.txt")
  (data (i32.const 0x420) "linked.txt")
  (data (i32.const 0x430) "to_other")
  (data (i32.const 0x440) "../other/moved.txt")
  (data (i32.const 0x460) "made_here.txt")
  (data (i32.const 0x470) "written through /other\n")
  (func (export "_start")
    ;; the preopens, then past the last one
    (call $prestat (i32.const 3))
    (call $prestat (i32.const 4))
    (drop (call $fd_prestat_get (i32.const 5) (i32.const 0x40)))
    ;; a file made through /other
    (drop (call $open (i32.const 4) (i32.const 0x460) (i32.const 13) (i32.const 1) (i64.const 0x40)))
    (call $iov (i32.const 0x470) (i32.const 23))
    (drop (call $fd_write (i32.load (i32.const 0x10)) (i32.const 0x200) (i32.const 1) (i32.const 0x20)))
    (drop (call $fd_close (i32.load (i32.const 0x10))))
    ;; move a file from /sandbox to /other, then hard-link it back
    (drop (call $path_rename (i32.const 3) (i32.const 0x400) (i32.const 5) (i32.const 4) (i32.const 0x410) (i32.const 9)))
    (drop (call $path_filestat_get (i32.const 3) (i32.const 0) (i32.const 0x400) (i32.const 5) (i32.const 0x80)))
    (drop (call $path_link (i32.const 4) (i32.const 0) (i32.const 0x410) (i32.const 9) (i32.const 3) (i32.const 0x420) (i32.const 10)))
    (drop (call $path_link (i32.const 4) (i32.const 0) (i32.const 0x410) (i32.const 9) (i32.const 3) (i32.const 0x420) (i32.const 10)))
    ;; a symlink from /sandbox into /other: made, but never followed from fd 3
    (drop (call $path_symlink (i32.const 0x440) (i32.const 18) (i32.const 3) (i32.const 0x430) (i32.const 8)))
    (drop (call $open (i32.const 3) (i32.const 0x430) (i32.const 8) (i32.const 0) (i64.const 0x2)))
    (drop (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 0x430) (i32.const 8) (i32.const 0x80)))
    (drop (call $path_rename (i32.const 3) (i32.const 0x440) (i32.const 18) (i32.const 4) (i32.const 0x410) (i32.const 9)))
    ;; renumber a file over the /other preopen: fd 4 is now that file
    (drop (call $open (i32.const 3) (i32.const 0x420) (i32.const 10) (i32.const 0) (i64.const 0x2)))
    (drop (call $fd_renumber (i32.load (i32.const 0x10)) (i32.const 4)))
    (drop (call $fd_prestat_get (i32.const 4) (i32.const 0x40)))
    (drop (call $fd_prestat_dir_name (i32.const 4) (i32.const 0x300) (i32.const 6)))
    (drop (call $open (i32.const 4) (i32.const 0x410) (i32.const 9) (i32.const 0) (i64.const 0x2)))
    (call $iov (i32.const 0x500) (i32.const 64))
    (drop (call $fd_read (i32.const 4) (i32.const 0x200) (i32.const 1) (i32.const 0x20)))
    (call $print (i32.const 0x500) (i32.load (i32.const 0x20)))
    (drop (call $fd_close (i32.load (i32.const 0x10))))
    ;; and a preopen renumbered over stdin is a preopen at fd 0
    (drop (call $fd_renumber (i32.const 3) (i32.const 0)))
    (call $prestat (i32.const 0))
    (drop (call $fd_prestat_get (i32.const 3) (i32.const 0x40)))))
