"""``python -m cams_emulator`` as a user starts it: the URL first on stdout, then serving."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cams_emulator import DEMO_SEED_PATH


@contextmanager
def _started(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The emulator as a subprocess and the URL it printed first; killed if still running."""
    with subprocess.Popen(
        [sys.executable, "-m", "cams_emulator", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            yield process, process.stdout.readline().strip()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_prints_its_url_first_then_serves_until_sigterm() -> None:
    args = ("--host", "127.0.0.1", "--port", "0", "--seed", DEMO_SEED_PATH, "--qps", "5")
    with _started(*args) as (process, url):
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url), url
        with urllib.request.urlopen(f"{url}/_emulator/state", timeout=10) as response:
            state = json.load(response)
        assert state["qps"] == 5
        assert {s["custSpaceId"] for s in state["spaces"]} == {
            "cams-demo-space",
            "cams-second-space",
            "cams-other-tenant",
        }
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_starts_empty_without_a_seed() -> None:
    with _started("--port", "0") as (process, url):
        with urllib.request.urlopen(f"{url}/_emulator/state", timeout=10) as response:
            assert json.load(response)["accounts"] == []
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_a_port_in_use_is_one_line_and_exit_2() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for argv, prog in (
            ([sys.executable, "-m", "cams_emulator"], "python -m cams_emulator"),
            (
                [str(Path(sys.executable).with_name("pulumi-cams")), "emulator"],
                "pulumi-cams emulator",
            ),
        ):
            result = subprocess.run(
                [*argv, "--port", str(port)], capture_output=True, text=True, timeout=30
            )
            assert result.returncode == 2
            assert result.stderr == (
                f"{prog}: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
            )


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            b'{"spaces": [{"custSpaceId": "x", "accountId": "1"}]}',
            "spaces[0].accountId: no account '1' in accounts",
        ),
        (b"\xff\xfe{", "seed {seed} is not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "seed {seed} is nested too deeply to be a seed"),
    ],
)
def test_a_bad_seed_is_a_one_line_usage_error(tmp_path: Path, content: bytes, error: str) -> None:
    seed = tmp_path / "seed.json"
    seed.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "cams_emulator", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"python -m cams_emulator: error: {error.format(seed=seed)}\n"


def test_only_loopback_addresses_pass_without_a_warning() -> None:
    # (Tests never bind anything but loopback, so the warning's condition is tested directly.)
    from cams_emulator.__main__ import _is_loopback

    assert all(_is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    assert not any(_is_loopback(h) for h in ("0.0.0.0", "192.0.2.10", "::", "example.test"))
