;; How path_open sets up a descriptor, in the three cases the official
;; wasi-testsuite found wrong (its fd_fdstat_set_rights, pwrite-with-append
;; and path_link tests); each section prints its verdict on stdout.
;;
;; 1. Setting a directory's rights to the values fd_fdstat_get reported
;;    takes nothing away: a file created through it afterwards with
;;    FD_READ|FD_WRITE|FD_SEEK|FD_TELL can be written, sought and read. Its
;;    read and write rights can then be dropped, and not granted again.
;; 2. CREAT|TRUNC with the APPEND fdflag (C's O_CREAT|O_TRUNC|O_APPEND)
;;    opens and truncates the file, and every write appends; pwrite too, as
;;    on Linux.
;; 3. A file created without asking for FD_WRITE, and the same file opened
;;    through a hard link, report the same rights: FD_WRITE in neither, so
;;    writing the created file is EBADF.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $path_create_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_link" (func $path_link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)

  ;; Writes len bytes at ptr to stdout (the iovec lives at 0x0).
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; Sets the iovec at 0x200 to (ptr, len).
  (func $iov (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0x200) (local.get $ptr))
    (i32.store (i32.const 0x204) (local.get $len)))
  ;; Prints the line at $yes if $ok, else the line at $no: each is the text
  ;; up to its newline.
  (func $verdict (param $ok i32) (param $yes i32) (param $no i32)
    (local $p i32) (local $end i32)
    (local.set $p (select (local.get $yes) (local.get $no) (local.get $ok)))
    (local.set $end (local.get $p))
    (loop $scan
      (local.set $end (i32.add (local.get $end) (i32.const 1)))
      (br_if $scan (i32.ne (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 10))))
    (call $print (local.get $p) (i32.sub (local.get $end) (local.get $p))))
  ;; path_open through $dir; the new descriptor is stored at 0x10.
  (func $open (param $dir i32) (param $p i32) (param $l i32) (param $oflags i32)
      (param $base i64) (param $inheriting i64) (param $fdflags i32)
    (drop (call $path_open (local.get $dir) (i32.const 0) (local.get $p) (local.get $l)
      (local.get $oflags) (local.get $base) (local.get $inheriting) (local.get $fdflags)
      (i32.const 0x10))))
  ;; fd_fdstat_get into $at: rights_base at $at+8, rights_inheriting at $at+16.
  (func $fdstat (param $fd i32) (param $at i32)
    (drop (call $fd_fdstat_get (local.get $fd) (local.get $at))))

  (data (i32.const 0x400) "rights_dir")
  (data (i32.const 0x410) "file")
  (data (i32.const 0x420) "abcd")
  (data (i32.const 0x430) "append.txt")
  (data (i32.const 0x440) "xyz")
  (data (i32.const 0x450) "created.txt")
  (data (i32.const 0x460) "link.txt")
  (data (i32.const 0x500) "1: read back what was written\n")
  (data (i32.const 0x520) "1: read back something else\n")
  (data (i32.const 0x540) "2: appended, offset kept\n")
  (data (i32.const 0x560) "2: did not append\n")
  (data (i32.const 0x580) "3: same rights through the link\n")
  (data (i32.const 0x5a0) "3: the link has other rights\n")

  (func (export "_start")
    (local $dir i32) (local $file i32) (local $link i32)
    ;; 1. a directory opened through the preopen, handing on file rights
    (drop (call $path_create_directory (i32.const 3) (i32.const 0x400) (i32.const 10)))
    (call $open (i32.const 3) (i32.const 0x400) (i32.const 10) (i32.const 2)
      (i64.const 0x4006400) (i64.const 0x66) (i32.const 0))
    (local.set $dir (i32.load (i32.const 0x10)))
    (call $fdstat (local.get $dir) (i32.const 0x20))
    (drop (call $fd_fdstat_set_rights (local.get $dir)
      (i64.load (i32.const 0x28)) (i64.load (i32.const 0x30))))
    (call $open (local.get $dir) (i32.const 0x410) (i32.const 4) (i32.const 1)
      (i64.const 0x66) (i64.const 0) (i32.const 0))
    (local.set $file (i32.load (i32.const 0x10)))
    (call $iov (i32.const 0x420) (i32.const 4))
    (drop (call $fd_write (local.get $file) (i32.const 0x200) (i32.const 1) (i32.const 0x14)))
    (drop (call $fd_seek (local.get $file) (i64.const 0) (i32.const 0) (i32.const 0x18)))
    (call $iov (i32.const 0x600) (i32.const 4))
    (drop (call $fd_read (local.get $file) (i32.const 0x200) (i32.const 1) (i32.const 0x14)))
    (call $verdict (i32.eq (i32.load (i32.const 0x600)) (i32.load (i32.const 0x420)))
      (i32.const 0x500) (i32.const 0x520))
    ;; drop FD_READ and FD_WRITE: both are then ENOTCAPABLE, and so is
    ;; asking for them back
    (call $fdstat (local.get $file) (i32.const 0x20))
    (drop (call $fd_fdstat_set_rights (local.get $file)
      (i64.and (i64.load (i32.const 0x28)) (i64.const -67)) (i64.const 0)))
    (call $fdstat (local.get $file) (i32.const 0x20))
    (drop (call $fd_read (local.get $file) (i32.const 0x200) (i32.const 1) (i32.const 0x14)))
    (drop (call $fd_write (local.get $file) (i32.const 0x200) (i32.const 1) (i32.const 0x14)))
    (drop (call $fd_fdstat_set_rights (local.get $file)
      (i64.or (i64.load (i32.const 0x28)) (i64.const 0x66)) (i64.const 0)))
    (drop (call $fd_close (local.get $file)))
    (drop (call $path_unlink_file (local.get $dir) (i32.const 0x410) (i32.const 4)))
    (drop (call $fd_close (local.get $dir)))
    (drop (call $path_remove_directory (i32.const 3) (i32.const 0x400) (i32.const 10)))

    ;; 2. append.txt holds "old contents"; open it as wasi-libc does for
    ;; open(O_CREAT | O_TRUNC | O_WRONLY | O_APPEND)
    (call $open (i32.const 3) (i32.const 0x430) (i32.const 10) (i32.const 9)
      (i64.const 0xff7bffd) (i64.const 0xff7ffff) (i32.const 1))
    (local.set $file (i32.load (i32.const 0x10)))
    (call $fdstat (local.get $file) (i32.const 0x20))
    (call $iov (i32.const 0x420) (i32.const 2))
    (drop (call $fd_write (local.get $file) (i32.const 0x200) (i32.const 1) (i32.const 0x14)))
    (drop (call $fd_seek (local.get $file) (i64.const 0) (i32.const 0) (i32.const 0x18)))
    (call $iov (i32.const 0x422) (i32.const 2))
    (drop (call $fd_write (local.get $file) (i32.const 0x200) (i32.const 1) (i32.const 0x14)))
    (call $iov (i32.const 0x440) (i32.const 3))
    (drop (call $fd_pwrite (local.get $file) (i32.const 0x200) (i32.const 1) (i64.const 0) (i32.const 0x14)))
    (drop (call $fd_tell (local.get $file) (i32.const 0x18)))
    (call $verdict (i64.eq (i64.load (i32.const 0x18)) (i64.const 4))
      (i32.const 0x540) (i32.const 0x560))
    (drop (call $fd_close (local.get $file)))

    ;; 3. create a file for reading only, link it, open the link alike
    (call $open (i32.const 3) (i32.const 0x450) (i32.const 11) (i32.const 1)
      (i64.const 0x4203802) (i64.const 0x4203802) (i32.const 0))
    (local.set $file (i32.load (i32.const 0x10)))
    (drop (call $path_link (i32.const 3) (i32.const 0) (i32.const 0x450) (i32.const 11)
      (i32.const 3) (i32.const 0x460) (i32.const 8)))
    (call $open (i32.const 3) (i32.const 0x460) (i32.const 8) (i32.const 0)
      (i64.const 0x4203802) (i64.const 0x4203802) (i32.const 0))
    (local.set $link (i32.load (i32.const 0x10)))
    (call $fdstat (local.get $file) (i32.const 0x20))
    (call $fdstat (local.get $link) (i32.const 0x40))
    (call $verdict
      (i32.and
        (i64.eq (i64.load (i32.const 0x28)) (i64.load (i32.const 0x48)))
        (i64.eq (i64.load (i32.const 0x30)) (i64.load (i32.const 0x50))))
      (i32.const 0x580) (i32.const 0x5a0))
    (call $iov (i32.const 0x420) (i32.const 4))
    (drop (call $fd_write (local.get $file) (i32.const 0x200) (i32.const 1) (i32.const 0x14)))
    (drop (call $fd_close (local.get $link)))
    (drop (call $fd_close (local.get $file)))
    (drop (call $path_unlink_file (i32.const 3) (i32.const 0x460) (i32.const 8)))))
