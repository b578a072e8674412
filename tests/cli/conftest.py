"""Helpers for the CLI tests: run `clinic-desktop` in-process through `main()` with a given
stdin, or as a real subprocess (`python -m clinic_desktop`) sharing the tests' file keyring."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from support.file_keyring import FileKeyring

from clinic_desktop.cli import main
from clinic_desktop.config import AppPaths

TESTS_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = TESTS_DIR.parent


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


CliRunner = Callable[..., CliResult]


@pytest.fixture(autouse=True)
def _file_keyring() -> None:
    # The CLI detects the OS keyring; in this process that must be the tests' file keyring
    # even if another test installed a different backend earlier.
    keyring.set_keyring(FileKeyring())


@pytest.fixture
def cli(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> CliRunner:
    """Runs `clinic-desktop --lang en --data-dir <paths> ARGS` in this process."""

    def run(*args: str, stdin: str = "") -> CliResult:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(["--lang", "en", "--data-dir", str(paths.data_dir), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli_subprocess(paths: AppPaths) -> CliRunner:
    """Runs `python -m clinic_desktop --lang en --data-dir <paths> ARGS` as a new process."""

    def run(*args: str, stdin: str = "") -> CliResult:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(TESTS_DIR), str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
        proc = subprocess.run(
            [sys.executable, "-m", "clinic_desktop", "--lang", "en", *_data_dir(paths), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run


def _data_dir(paths: AppPaths) -> list[str]:
    return ["--data-dir", str(paths.data_dir)]
