#!/usr/bin/env python3
"""Run the official WASI Preview 1 test suite against interp.

Usage: scripts/wasi-testsuite.py SUITE [--interp PATH] [--timeout SECONDS] [--filter TEXT]

SUITE is a checkout of https://github.com/WebAssembly/wasi-testsuite at its
`prod/testsuite-base` branch (which holds the prebuilt test binaries), or one
of its test folders (a folder holding `*.wasm` files, such as
`tests/rust/testsuite/wasm32-wasip1`). From a checkout, every
`tests/*/testsuite/wasm32-wasip1` folder is run.

Each `NAME.wasm` is a test; `NAME.json` next to it, if present, is its
specification, read as the suite's own runner reads it: the legacy form
(`args`, `env`, `root`, `exit_code`, `stdout`, `stderr`) or the operation
form (`run`, `read`, `write`, `wait`; the network operations belong to
later WASI versions and fail the test here). A test runs as

    interp run --env K=V ... --dir ROOT::/ NAME.wasm ARGS...

(the flags the suite's wasmtime adapter passes), with its stdin a pipe the
`write` operations feed and then close. The test passes when the exit status
and every expected stream match. This script is stricter than the suite's
runner in two ways: where that compares only the first len(expected)
characters of stdout/stderr, this asks for the whole stream to be equal; and
an unknown key in a specification fails the test (that only warns), so no
expectation is silently ignored. `*.cleanup` files and folders
the tests create under ROOT are removed before and after each test, as the
suite's runner does.

Prints one line per test and a summary; exits with status 1 if any test
failed (2 for a usage error).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parent.parent
WASI_VERSION = "wasm32-wasip1"

# Keys of the two specification forms (doc/specification.md in the suite).
LEGACY_KEYS = {"args", "root", "env", "exit_code", "stderr", "stdout"}
OPERATION_KEYS = {"operations", "proposals", "world", "servers"}


class SpecError(Exception):
    """A test specification this script cannot run."""


@dataclass
class Run:
    args: List[str] = field(default_factory=list)
    env: Dict[str, str] = field(default_factory=dict)
    root: Optional[Path] = None


@dataclass
class Test:
    """One test: its module, what to run and what to expect."""

    wasm: Path
    run: Run
    stdin: str = ""
    # Expected whole streams, or None when the spec does not say.
    expected: Dict[str, Optional[str]] = field(
        default_factory=lambda: {"stdout": None, "stderr": None})
    exit_code: int = 0


def string_map(value, what: str) -> Dict[str, str]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise SpecError(f"`{what}` must map strings to strings")
    return value


def string_list(value, what: str) -> List[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"`{what}` must be a list of strings")
    return value


def read_run(spec_dir: Path, config: dict) -> Run:
    root = config.get("root")
    if root is not None and not isinstance(root, str):
        raise SpecError("`root` must be a string")
    return Run(
        args=string_list(config.get("args", []), "args"),
        env=string_map(config.get("env", {}), "env"),
        root=spec_dir / root if root else None,
    )


def read_test(wasm: Path) -> Test:
    """Reads the specification of `wasm` (the default one if it has none)."""
    spec_path = wasm.with_suffix(".json")
    if not spec_path.exists():
        return Test(wasm=wasm, run=Run())
    config = json.loads(spec_path.read_text(encoding="utf-8"))
    if not isinstance(config, dict):
        raise SpecError("the specification is not a JSON object")
    keys = set(config)
    if keys & OPERATION_KEYS:
        if keys & LEGACY_KEYS:
            raise SpecError("the specification mixes the legacy and operation forms")
        return read_operations(wasm, config)
    unknown = keys - LEGACY_KEYS
    if unknown:
        raise SpecError(f"unknown keys {sorted(unknown)}")
    test = Test(wasm=wasm, run=read_run(spec_path.parent, config))
    for stream in ("stdout", "stderr"):
        if config.get(stream) is not None:
            test.expected[stream] = config[stream]
    test.exit_code = config.get("exit_code", 0)
    return test


def read_operations(wasm: Path, config: dict) -> Test:
    """The operation form: one `run`, then `write`/`read` operations, then its `wait`."""
    if config.get("proposals") or config.get("servers"):
        raise SpecError("WASI proposals and servers are not part of Preview 1")
    if config.get("world", "wasi:cli/command") != "wasi:cli/command":
        raise SpecError(f"world `{config['world']}` is not part of Preview 1")
    operations = config.get("operations") or [{"type": "run"}, {"type": "wait"}]
    test: Optional[Test] = None
    waited = False
    for op in operations:
        kind = op.get("type")
        if kind == "run":
            if test is not None:
                raise SpecError("more than one `run` operation")
            test = Test(wasm=wasm, run=read_run(wasm.parent, op))
            continue
        if test is None or waited:
            raise SpecError(f"`{kind}` outside a `run` ... `wait` pair")
        if kind == "write":
            if op.get("id", "stdin") != "stdin":
                raise SpecError(f"`write` to `{op['id']}`")
            test.stdin += op.get("payload", "")
        elif kind == "read":
            stream = op.get("id", "stdout")
            if stream not in test.expected:
                raise SpecError(f"`read` from `{stream}`")
            test.expected[stream] = (test.expected[stream] or "") + op.get("payload", "")
        elif kind == "wait":
            test.exit_code = op.get("exit_code", 0)
            waited = True
        else:
            raise SpecError(f"operation `{kind}` is not supported for Preview 1")
    if test is None or not waited:
        raise SpecError("no `run` ... `wait` pair")
    return test


def clean(root: Path) -> None:
    """Removes the `*.cleanup` files and folders tests leave under `root`."""
    for path in root.glob("**/*.cleanup"):
        if path.is_symlink():
            # Dangling or not, a symlink is removed as itself, never followed.
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def argv_for(interp: Path, test: Test) -> List[str]:
    argv = [str(interp), "run"]
    for key, value in test.run.env.items():
        argv += ["--env", f"{key}={value}"]
    if test.run.root is not None:
        argv += ["--dir", f"{test.run.root}::/"]
    return argv + [str(test.wasm)] + test.run.args


def run_test(interp: Path, test: Test, timeout: float) -> List[str]:
    """Runs one test; returns what went wrong (empty when it passed)."""
    if test.run.root is not None:
        clean(test.run.root)
    try:
        proc = subprocess.run(
            argv_for(interp, test),
            input=test.stdin.encode(),
            capture_output=True,
            timeout=timeout,
            # interp gives the guest only the variables named by --env.
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [f"did not finish within {timeout:g} s"]
    finally:
        if test.run.root is not None:
            clean(test.run.root)
    problems = []
    if proc.returncode != test.exit_code:
        problems.append(f"exit status {proc.returncode}, expected {test.exit_code}")
    streams = {"stdout": proc.stdout, "stderr": proc.stderr}
    for stream, expected in test.expected.items():
        actual = streams[stream].decode(errors="replace")
        if expected is not None and actual != expected:
            problems.append(f"{stream} {actual!r}, expected {expected!r}")
    if problems:
        for stream, data in streams.items():
            if data:
                text = data.decode(errors="replace").rstrip("\n")
                problems.append(f"{stream}:\n    " + text.replace("\n", "\n    "))
    return problems


def test_folders(suite: Path) -> List[Path]:
    """The folders of tests under `suite` (itself, if it holds tests)."""
    if any(suite.glob("*.wasm")):
        return [suite]
    folders = sorted(suite.glob(f"tests/*/testsuite/{WASI_VERSION}"))
    if not folders:
        sys.exit(f"error: no `*.wasm` in {suite} nor in {suite}/tests/*/testsuite/{WASI_VERSION}"
                 " (is it a checkout of the `prod/testsuite-base` branch?)")
    return folders


def folder_name(folder: Path) -> str:
    # tests/rust/testsuite/wasm32-wasip1 is "rust".
    if folder.name == WASI_VERSION and folder.parent.name == "testsuite":
        return folder.parent.parent.name
    return folder.name


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Run the official WASI Preview 1 test suite against interp.")
    parser.add_argument("suite", type=Path,
                        help="a wasi-testsuite checkout (prod/testsuite-base) or a folder of tests")
    parser.add_argument("--interp", type=Path,
                        default=Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
                        / "release" / "interp",
                        help="the interp binary (default: $CARGO_TARGET_DIR or target/, release/interp)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a test may run (default 60)")
    parser.add_argument("--filter", default="",
                        help="run only tests whose `folder/name` contains this text")
    args = parser.parse_args()
    if not args.interp.is_file():
        parser.error(f"{args.interp} does not exist: run `cargo build --release -p interp` "
                     "or pass --interp")
    if not args.suite.is_dir():
        parser.error(f"{args.suite} is not a directory")

    results: Dict[str, List[bool]] = {}
    failed_names = []
    for folder in test_folders(args.suite.resolve()):
        group = folder_name(folder)
        for wasm in sorted(folder.glob("*.wasm")):
            name = f"{group}/{wasm.stem}"
            if args.filter not in name:
                continue
            try:
                problems = run_test(args.interp.resolve(), read_test(wasm), args.timeout)
            except (SpecError, json.JSONDecodeError) as e:
                problems = [f"bad specification {wasm.with_suffix('.json')}: {e}"]
            passed = not problems
            results.setdefault(group, []).append(passed)
            print(f"{'PASS' if passed else 'FAIL'} {name}", flush=True)
            for problem in problems:
                print(f"    {problem}")
            if not passed:
                failed_names.append(name)

    total = sum(len(r) for r in results.values())
    passed = sum(sum(r) for r in results.values())
    groups = ", ".join(f"{g} {sum(r)}/{len(r)}" for g, r in results.items())
    print(f"\n{passed}/{total} passed ({groups})")
    if failed_names:
        print("failed: " + " ".join(failed_names))
    if total == 0:
        print("error: no test ran")
        return 1
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.exit(main())
