"""The scheduled drift check (examples/ci/drift-check.sh, what drift.yml runs) on a fleet of
three numbers under the real CLI: each cause named, an account-wide error said once, a number
Meta flags noted without failing the job."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cams_emulator import EmulatorServer
from pulumi_cams_provider.resource import DYNAMIC_RESOURCE_TYPE

from tests.support import emulator_control as ctl
from tests.support.demo_seed import SECOND_SPACE, SPACE, with_new_numbers
from tests.support.fleet import python_fleet
from tests.support.pulumi_cli import REPO_ROOT, PulumiCli, resources_of

SCRIPT = str(REPO_ROOT / "examples/ci/drift-check.sh")


@pytest.fixture
def fleet(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> tuple[Path, dict[str, Any], list[str]]:
    """examples/fleet with three new numbers registered: (project, the seed, the numbers)."""
    seed, codes = with_new_numbers(3)
    ctl.seed(emulator.url, seed)
    phones = sorted(codes)
    project = python_fleet(cli, python_venv, phones, codes)
    cli("up", "--yes", cwd=project)
    live = copy.deepcopy(seed)
    for number in live["phoneNumbers"]:
        if number["phoneNumber"] in phones:
            number.update(status="CONNECTED", codeVerificationStatus="VERIFIED")
    return project, live, phones


def drift(cli: PulumiCli, project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, str(project), "dev"],
        env={**cli.env, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def number(seed: dict[str, Any], phone: str) -> dict[str, Any]:
    (found,) = [n for n in seed["phoneNumbers"] if n["phoneNumber"] == phone]
    return found


def test_every_cause_is_named_with_its_remedy_and_nothing_is_written(
    cli: PulumiCli, emulator: EmulatorServer, fleet: tuple[Path, dict[str, Any], list[str]]
) -> None:
    project, live, (moved, deregistered, flagged) = fleet
    held = drift(cli, project)
    assert held.returncode == 0, held.stdout + held.stderr
    assert held.stdout.splitlines()[-1] == "drift: every registration holds"

    number(live, moved)["custSpaceId"] = SECOND_SPACE
    number(live, deregistered).update(status="DISCONNECTED")
    number(live, flagged).update(status="FLAGGED", qualityRating="RED")
    ctl.seed(emulator.url, live)
    ctl.clear_requests(emulator.url)

    found = drift(cli, project)

    assert found.returncode == 1, found.stdout + found.stderr
    lost = [line for line in found.stderr.splitlines() if line.startswith("lost: ")]
    assert lost == [
        f"lost: {moved} in space {SPACE} is lost: the space no longer lists the number (moved "
        "to another space, or removed from the space's WhatsApp Business Account), so a fresh "
        "code cannot register it here. Find the space that holds it (`pulumi-cams status "
        "--space <space>`) and declare it there; `pulumi refresh` drops this resource.",
        f"lost: {deregistered} in space {SPACE} is lost: CAMS shows it DISCONNECTED, "
        "deregistered outside Pulumi. `pulumi refresh` drops the resource; to register it "
        f"again, `pulumi-cams request-code --space {SPACE} --phone {deregistered}`, set the "
        "code as its verifyCode and run `pulumi up`.",
    ]
    assert (
        f"note: {flagged} in space {SPACE} holds (FLAGGED), but Meta flagged it for low "
        "quality: it still sends, but its messaging limit drops if quality does not improve "
        "within 7 days; its quality rating is RED"
    ) in found.stdout
    assert "drift: registrations changed outside Pulumi in: dev" in found.stderr
    # One listing of the space, nothing written, the state untouched.
    assert ctl.actions(emulator.url) == ["QueryChatappPhoneNumbers"]
    assert len(resources_of(cli.export(project), DYNAMIC_RESOURCE_TYPE)) == 3


def test_a_flagged_number_and_new_telemetry_are_a_note_not_a_failure(
    cli: PulumiCli, emulator: EmulatorServer, fleet: tuple[Path, dict[str, Any], list[str]]
) -> None:
    """The refresh step runs too (everything holds), and reads telemetry CAMS changed into the
    outputs without counting it as a change."""
    project, live, phones = fleet
    number(live, phones[0]).update(status="FLAGGED")
    number(live, phones[1]).update(messagingLimitTier="TIER_1K", qualityRating="YELLOW")
    ctl.seed(emulator.url, live)

    flagged = drift(cli, project)

    assert flagged.returncode == 0, flagged.stdout + flagged.stderr
    assert f"note: {phones[0]} in space {SPACE} holds (FLAGGED)" in flagged.stdout
    assert flagged.stdout.splitlines()[-1] == "drift: every registration holds"
    assert "pulumi:pulumi:Stack" in flagged.stdout  # the refresh ran


def test_a_revoked_key_is_one_line_for_the_stack(
    cli: PulumiCli, emulator: EmulatorServer, fleet: tuple[Path, dict[str, Any], list[str]]
) -> None:
    project, _, _ = fleet

    revoked = drift(cli, project, ALIBABA_CLOUD_ACCESS_KEY_SECRET="revoked-secret-0000")

    assert revoked.returncode == 1, revoked.stdout + revoked.stderr
    output = revoked.stdout + revoked.stderr
    assert output.count("SignatureDoesNotMatch") == 1, output
    assert "drift: could not check: dev" in revoked.stderr
    assert "registers the number again" not in output
    assert "revoked-secret-0000" not in output
