"""The registration contract at full scale under the real CLI, with the default settings: a CAMS
that carries the register call out 60 s after it was sent, and never answers it, costs exactly
one register call, and `pulumi up` still succeeds (30 s register timeout + 45 s settle window)."""

from __future__ import annotations

import time
from pathlib import Path

from cams_emulator import EmulatorServer

from tests.support import emulator_control as ctl
from tests.support.demo_seed import PENDING, SPACE
from tests.support.pulumi_cli import PulumiCli, quickstart_stack

LATE_S = 60


def test_a_register_carried_out_a_minute_late_costs_one_call(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = quickstart_stack(cli, python_venv)
    ctl.faults(emulator.url, "ChatappVerifyAndRegister", "commit_late", seconds=LATE_S)
    started = time.monotonic()
    up = cli("up", "--yes", cwd=project)
    spent = time.monotonic() - started
    assert "support-line created" in up.stdout, up
    assert cli.outputs(project)["status"] == "CONNECTED"
    assert LATE_S <= spent < 30 + 45 + 30, spent  # waited for it, within the windows
    registers = [
        e
        for e in ctl.requests(emulator.url)
        if e["action"] == "ChatappVerifyAndRegister" and e["params"]["PhoneNumber"] == PENDING
    ]
    assert [(e["fault"], e["code"]) for e in registers] == [("commit_late", "OK")]
    numbers = ctl.state(emulator.url)["phoneNumbers"]
    (number,) = [n for n in numbers if n["custSpaceId"] == SPACE and n["phoneNumber"] == PENDING]
    assert number["registerCallsInWindow"] == 1
    assert "again (call 2)" not in up.output
