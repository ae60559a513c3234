"""examples/fleet and a change to its data file, the CI workflow's script, and `make demo`,
each run as a user (or a CI runner) runs them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cams_emulator import EmulatorServer

from tests.e2e.test_quickstart import pulumi_cams
from tests.support import emulator_control as ctl
from tests.support.pulumi_cli import REPO_ROOT, PulumiCli, checkout_copy, resources_of

TYPE = "pulumi-python:dynamic/cams:PhoneNumberRegistration"
PROFILE = "pulumi-python:dynamic/cams:PhoneNumberProfile"
WEBHOOK = "pulumi-python:dynamic/cams:PhoneNumberWebhook"
HOOK = "https://hooks.example.com/cams/status?token=t0k3n"
ADDED_ENTRY = """  - space: cams-demo-space
    phone: "+65 9123 4567"
    name: shop-sg
"""


def test_fleet_then_a_change_to_its_data_file(cli: PulumiCli, emulator: EmulatorServer) -> None:
    project = cli.project("fleet")
    cli.install(project)
    cli.stack_init(project)
    cli(
        "config", "set", "--secret", "--path", 'verifyCodes["8613800001234"]', "135791", cwd=project
    )
    cli.config(project, "statusCallbackUrl", HOOK, secret=True)
    up = cli("up", "--yes", cwd=project)
    assert f"+  {TYPE} shop-cn-sales created" in up.stdout, up
    assert f"+  {TYPE} shop-cn-support created" in up.stdout, up
    # The entry's profile, and the fleet's webhook for each number (its URL secret).
    assert f"+  {PROFILE} shop-cn-sales-profile created" in up.stdout, up
    assert f"+  {WEBHOOK} shop-cn-support-webhook created" in up.stdout, up
    assert "t0k3n" not in up.output and "t0k3n" not in str(cli.export(project))
    assert ctl.number_status(emulator.url, "cams-second-space", "8613800001234") == "CONNECTED"
    registrations = cli.outputs(project)["registrations"]
    assert {r["id"]: r["adopted"] for r in registrations.values()} == {
        "cams-second-space/8613800001234": False,
        "cams-demo-space/8613800005678": True,
    }

    # The pull request: one number added (its code in the config), one removed.
    numbers = project / "numbers.yaml"
    text = numbers.read_text()
    support = text.index('  - space: cams-demo-space\n    phone: "+86 138-0000-5678"')
    numbers.write_text(text[:support] + ADDED_ENTRY)
    pulumi_cams(cli, "request-code", "--space", "cams-demo-space", "--phone", "+65 9123 4567")
    code = ctl.latest_code(emulator.url, "cams-demo-space", "6591234567")
    cli("config", "set", "--secret", "--path", 'verifyCodes["+65 9123 4567"]', code, cwd=project)
    preview = cli("preview", cwd=project)
    assert f"+  {TYPE} shop-sg create" in preview.stdout, preview
    assert f"-  {TYPE} shop-cn-support delete" in preview.stdout, preview
    assert f"+  {WEBHOOK} shop-sg-webhook create" in preview.stdout, preview
    # Each number's registration and webhook: one number in, one out.
    assert "+ 2 to create" in preview.stdout and "- 2 to delete" in preview.stdout, preview
    assert f"{TYPE} shop-cn-sales" not in preview.stdout, preview
    up = cli("up", "--yes", cwd=project)
    assert ctl.number_status(emulator.url, "cams-demo-space", "6591234567") == "CONNECTED"
    # Removed from the file, left registered in CAMS (deregisterOnDelete is false).
    assert ctl.number_status(emulator.url, "cams-demo-space", "8613800005678") == "CONNECTED"
    names = sorted(r["urn"].rsplit("::", 1)[1] for r in resources_of(cli.export(project), TYPE))
    assert names == ["shop-cn-sales", "shop-sg"]
    cli("preview", "--expect-no-changes", cwd=project)

    # One profile field changed in the file: one modify call, nothing registered.
    ctl.clear_requests(emulator.url)
    numbers.write_text(numbers.read_text().replace("Sales, 9:00-17:00", "Sales, 24/7"))
    cli("up", "--yes", cwd=project)
    actions = ctl.actions(emulator.url)
    assert actions.count("ModifyPhoneBusinessProfile") == 1, actions
    assert "ChatappVerifyAndRegister" not in actions and "UpdatePhoneWebhook" not in actions
    cli("refresh", "--yes", "--expect-no-changes", cwd=project)


def test_the_ci_workflow_script_runs_as_written(cli: PulumiCli, tmp_path: Path) -> None:
    """examples/ci/fleet-against-emulator.sh, which github-actions.yml runs, with the job's
    environment: from a checkout (the files git tracks), with a backend directory that does
    not exist yet; `pulumi install` in examples/fleet installs pulumi-cams from it."""
    checkout = checkout_copy(tmp_path / "checkout")
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    state = tmp_path / "not-yet" / ".pulumi-state"
    env = {
        **cli.env,
        "PULUMI_BACKEND_URL": f"file://{state}",
        "PULUMI_CONFIG_PASSPHRASE": "ci-only-passphrase",
        "RUNNER_TEMP": str(runner_temp),
    }
    env.pop("CAMS_ENDPOINT")  # the script starts its own emulator
    workflow = (REPO_ROOT / "examples/ci/github-actions.yml").read_text()
    assert "run: examples/ci/fleet-against-emulator.sh" in workflow
    done = subprocess.run(
        ["bash", str(REPO_ROOT / "examples/ci/fleet-against-emulator.sh")],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"+  {TYPE} shop-cn-sales created" in done.stdout
    assert '"status": "CONNECTED"' in done.stdout  # pulumi stack output --json
    assert f"-  {TYPE} shop-cn-sales deleted" in done.stdout
    assert state.is_dir()
    assert (checkout / "examples" / "fleet" / "venv" / "bin" / "python").exists()


def test_make_demo_runs_to_the_end(cli: PulumiCli) -> None:
    env = {k: v for k, v in cli.env.items() if k != "CAMS_ENDPOINT"}
    # `make demo` finds the CLI itself (scripts/pulumi-cli.sh) and uses its own backend.
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != str(cli.bin_dir))
    env["PULUMI_CAMS_CACHE"] = str(cli.bin_dir.parents[1])
    done = subprocess.run(
        ["make", "-s", "demo"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "==> pulumi up: ChatappVerifyAndRegister with the code" in done.stdout
    assert 'status                : "CONNECTED"' in done.stdout or "CONNECTED" in done.stdout
    assert done.stdout.rstrip().endswith(
        "Done. The emulator stops now; .pulumi-demo/ keeps its log."
    )
