"""Two pipelines on one account and one number, sharing a rate limit store (cams:rateLimitStore):
two `pulumi up` of two stacks started together under the real CLI, against a real Redis."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams import actions

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CODE, PENDING, SPACE
from tests.support.pulumi_cli import REPO_ROOT, PulumiCli
from tests.support.redis_server import RedisServer

PROGRAM = Path(__file__).parent / "programs" / "registrations"
REGISTER = actions.VERIFY_AND_REGISTER
THROTTLED = "System.LimitControl"


@pytest.fixture(scope="module")
def store_venv(pulumi_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A program's venv as `pulumi install` makes it from a requirements.txt that asks for the
    store extra, as a team sharing a store writes it (`pulumi-cams[store]`)."""
    cli = PulumiCli(pulumi_bin, tmp_path_factory.mktemp("store-venv"), "http://127.0.0.1:9")
    project = cli.project(PROGRAM)
    (project / "requirements.txt").write_text(f"{REPO_ROOT}[store]\n")
    cli.install(project)
    return project / "venv"


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


def pipeline(cli: PulumiCli, venv: Path, stack: str) -> Path:
    project = cli.project(PROGRAM, name=stack, venv=venv)
    cli.stack_init(project, stack)
    cli.config(project, "registrations", json.dumps([{"name": "support", "phone": PENDING}]))
    cli.config(project, "verifyCode", CODE, secret=True)
    # CAMS's limit and the provider's rate at 2 per second: two processes pacing themselves
    # alone would send 4.
    cli.config(project, "cams:requestsPerSecond", "2")
    return project


def test_two_stacks_sharing_a_store_register_their_number_once_and_are_not_throttled(
    cli: PulumiCli, emulator: EmulatorServer, store_venv: Path, redis: RedisServer
) -> None:
    ctl.set_qps(emulator.url, 2)
    # CAMS takes a second to answer a register: without a store both pipelines send one.
    ctl.faults(emulator.url, REGISTER, "delay", count=2, seconds=1.0)
    cli.env["CAMS_RATE_LIMIT_STORE"] = redis.url
    projects = [pipeline(cli, store_venv, stack) for stack in ("pipeline-a", "pipeline-b")]

    ups = [cli.start("up", "--yes", cwd=project, log=project / "up.log") for project in projects]
    codes = [up.wait(timeout=300) for up in ups]

    logs = [(project / "up.log").read_text() for project in projects]
    assert codes == [0, 0], logs
    log = ctl.requests(emulator.url)
    registers = [e for e in log if e["action"] == REGISTER]
    assert [(e["params"]["PhoneNumber"], e["code"]) for e in registers] == [(PENDING, "OK")]
    assert [e["action"] for e in log if e["code"] == THROTTLED] == []
    adopted = sorted(cli.outputs(project)["support"] for project in projects)
    assert adopted == [False, True], logs
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "CONNECTED"
    assert redis.url not in "\n".join(logs)
