"""engine_log: how both adapters tell the user a controller Note, and where it goes when the
engine cannot be told (stderr, in one form for both routes)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest
from pulumi.runtime.proto import engine_pb2
from pulumi_cams_provider.controller.outcomes import Note
from pulumi_cams_provider.engine_log import EngineLog, tell

from tests.support.plugin_harness import FakeEngine, LoggedMessage

ADOPTED = Note("warning", "phone number 8613800005678 was already registered; adopted it")
LEFT = Note("info", "cams-demo-space/8613800005678 left registered in CAMS")
URN = "urn:pulumi:dev::demo::cams:index:PhoneNumberRegistration::support"


@pytest.fixture
def engine() -> Iterator[FakeEngine]:
    served = FakeEngine()
    yield served
    served.stop()


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run ``coroutine`` on a loop of its own. Not asyncio.run, which leaves the thread with no
    event loop set, and the tests after this one (Pulumi's mocks) need the default one."""
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(coroutine)
    finally:
        loop.close()


def closed_port_address() -> str:
    """A loopback address nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def test_tell_sends_each_note_to_the_engine_with_its_severity(
    engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    tell(engine.address, (ADOPTED, LEFT))

    assert engine.messages == [
        LoggedMessage(engine_pb2.WARNING, ADOPTED.text, ""),
        LoggedMessage(engine_pb2.INFO, LEFT.text, ""),
    ]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("address", ["", "closed"])
def test_tell_falls_back_to_stderr_when_the_engine_cannot_be_told(
    address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tell(closed_port_address() if address == "closed" else address, (ADOPTED, LEFT))

    assert capsys.readouterr().err == (
        f"pulumi-cams: warning: {ADOPTED.text}\npulumi-cams: info: {LEFT.text}\n"
    )


def test_the_plugin_tells_the_engine_about_the_resource(
    engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    run(EngineLog(engine.address).tell(ADOPTED, URN))

    assert engine.messages == [LoggedMessage(engine_pb2.WARNING, ADOPTED.text, URN)]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("address", [None, "closed"])
def test_the_plugin_falls_back_to_stderr_in_the_same_form(
    address: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    log = EngineLog(closed_port_address() if address == "closed" else address)

    run(log.tell(LEFT, URN))

    assert capsys.readouterr().err == f"pulumi-cams: info: {LEFT.text}\n"
