"""An interrupted `pulumi up`: the CLI is killed while a register call is in flight.

The delayed register lands anyway (CAMS carried it out), the stack is left locked with a
pending create. The README's recovery (`pulumi cancel`, `pulumi refresh
--clear-pending-creates`, `pulumi up`) must end with the number registered, in state once,
and one effective registration in CAMS: create reads the number first and adopts it.
"""

from __future__ import annotations

import time
from pathlib import Path

from cams_emulator import EmulatorServer

from tests.support import emulator_control as ctl
from tests.support.demo_seed import PENDING, SPACE
from tests.support.pulumi_cli import PulumiCli, quickstart_stack, resources_of

TYPE = "pulumi-python:dynamic/cams:PhoneNumberRegistration"
REGISTER_DELAY_S = 4.0


def number(emulator: EmulatorServer) -> dict:
    numbers = ctl.state(emulator.url)["phoneNumbers"]
    (found,) = [n for n in numbers if n["custSpaceId"] == SPACE and n["phoneNumber"] == PENDING]
    return dict(found)


def test_an_up_killed_during_a_register_recovers_with_one_registration(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = quickstart_stack(cli, python_venv)
    ctl.faults(emulator.url, "ChatappVerifyAndRegister", "delay", seconds=REGISTER_DELAY_S)
    up = cli.start("up", "--yes", cwd=project, log=cli.workspace / "up.log")
    deadline = time.monotonic() + 60
    while ctl.control(emulator.url, "GET", "faults"):  # the register call has arrived
        assert up.poll() is None and time.monotonic() < deadline, (
            cli.workspace / "up.log"
        ).read_text()
        time.sleep(0.05)
    cli.kill(up)
    # CAMS carries the register out after the client is gone.
    deadline = time.monotonic() + REGISTER_DELAY_S + 10
    while number(emulator)["status"] != "CONNECTED":
        assert time.monotonic() < deadline
        time.sleep(0.1)

    # What the CLI asks for, in the order the README gives it.
    locked = cli("up", "--yes", cwd=project, check=False)
    assert locked.code != 0 and "the stack is currently locked" in locked.output, locked
    cli("cancel", "--yes", cwd=project)
    cleared = cli("refresh", "--clear-pending-creates", "--yes", cwd=project)
    assert "Traceback" not in cleared.output
    recovered = cli("up", "--yes", cwd=project)
    assert f"+  {TYPE} support-line created" in recovered.stdout, recovered
    assert "was already registered in space cams-demo-space; adopted it" in recovered.output

    exported = cli.export(project)
    assert exported["deployment"].get("pending_operations") in (None, [])
    (registration,) = resources_of(exported, TYPE)
    assert registration["outputs"]["status"] == "CONNECTED"
    # One register call reached CAMS and counted against the cap: the interrupted one.
    registers = [e for e in ctl.requests(emulator.url) if e["action"] == "ChatappVerifyAndRegister"]
    assert len(registers) == 1
    assert number(emulator)["registerCallsInWindow"] == 1
    cli("preview", "--expect-no-changes", cwd=project)
