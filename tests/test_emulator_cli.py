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


def test_a_bad_seed_is_a_usage_error(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text('{"spaces": [{"custSpaceId": "x", "accountId": "1"}]}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cams_emulator", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "spaces[0].accountId: no account '1' in accounts" in result.stderr
