//! Snapshot tests of WASI Preview 1 behaviour.
//!
//! Each test runs a guest from `guests/` (see `snapshots::run`) and
//! snapshots the syscall trace (call, arguments, errno, results), stdout,
//! stderr and the resulting sandbox tree. Between them the guests call every
//! one of the 46 functions with at least one success and one error, except
//! `sched_yield`, which has no error to return. Review changes with
//! `cargo insta review`.

use snapshots::{Setup, run, run_each};

#[test]
fn args_env() {
    insta::assert_snapshot!(run(
        "args_env.wat",
        Setup {
            args: vec!["héllo wörld".into(), "日本語".into(), "".into(), "--flag=✓".into()],
            env: vec![("NAME".into(), "Zoë ☃".into()), ("EMPTY".into(), "".into())],
            ..Setup::default()
        }
    ));
}

#[test]
fn clocks_random() {
    insta::assert_snapshot!(run("clocks_random.wat", Setup::default()));
}

#[test]
fn proc() {
    insta::assert_snapshot!(run_each(
        "proc.wat",
        Setup::default,
        &["exit_0", "exit_7", "exit_126", "raise_term", "raise_ignored"]
    ));
}

#[test]
fn fd_io() {
    insta::assert_snapshot!(run(
        "fd_io.wat",
        Setup { stdin: b"input from stdin\n".to_vec(), ..Setup::default() }
    ));
}

#[test]
fn fd_meta() {
    insta::assert_snapshot!(run("fd_meta.wat", Setup::default()));
}

#[test]
fn paths() {
    insta::assert_snapshot!(run("paths.wat", Setup::default()));
}

/// The cases the official wasi-testsuite found (see the guest's header).
#[test]
fn rights_open() {
    insta::assert_snapshot!(run(
        "rights_open.wat",
        Setup { files: vec![("append.txt", b"old contents")], ..Setup::default() }
    ));
}

#[test]
fn sandbox_escapes() {
    insta::assert_snapshot!(run(
        "sandbox.wat",
        Setup {
            dirs: vec!["sub", "deep/er"],
            files: vec![("sub/file.txt", b"inside\n")],
            symlinks: vec![
                ("escape_rel", "../outside/secret.txt"),
                ("escape_abs", "$OUTSIDE/secret.txt"),
                ("escape_dir", "../outside"),
                ("deep/er/up", "../../../outside"),
                ("loop_a", "loop_b"),
                ("loop_b", "loop_a"),
                ("inner", "sub/file.txt"),
                ("sub/dotdot", ".."),
                ("dangling", "../outside/created.txt"),
                ("dangling_abs", "$OUTSIDE/created.txt"),
            ],
            ..Setup::default()
        }
    ));
}

#[test]
fn readdir() {
    insta::assert_snapshot!(run(
        "readdir.wat",
        Setup {
            files: vec![("a", b"1"), ("bb", b"22"), ("a_long_file_name.txt", b"333")],
            dirs: vec!["dir"],
            symlinks: vec![("link", "a")],
            ..Setup::default()
        }
    ));
}

#[test]
fn poll() {
    insta::assert_snapshot!(run(
        "poll.wat",
        Setup {
            stdin: b"ready\n".to_vec(),
            files: vec![("f.txt", b"0123456789")],
            ..Setup::default()
        }
    ));
}

#[test]
fn preopens() {
    insta::assert_snapshot!(run(
        "preopens.wat",
        Setup {
            files: vec![("a.txt", b"from the sandbox\n")],
            preopens: vec!["other"],
            ..Setup::default()
        }
    ));
}

#[test]
fn sock() {
    insta::assert_snapshot!(run("sock.wat", Setup { listen: true, ..Setup::default() }));
}

#[test]
fn bad_pointers() {
    insta::assert_snapshot!(run_each(
        "bad_pointers.wat",
        || Setup {
            args: vec!["arg".into()],
            env: vec![("K".into(), "V".into())],
            ..Setup::default()
        },
        &[
            "args_get_oob",
            "args_sizes_misaligned",
            "environ_get_oob",
            "environ_sizes_oob",
            "fd_write_iovs_oob",
            "fd_write_buf_oob",
            "fd_read_len_overflow",
            "random_get_oob",
            "result_oob",
            "result_misaligned",
            "poll_oob",
            "path_not_utf8",
        ]
    ));
}
