"""The README's recipe for bringing a console-managed space under management, as written, under
the real CLI: what `pulumi import` protects, how to rename an imported resource (aliases), and
what a rename without them costs (lines a user reads, calls CAMS sees)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from cams_emulator import EmulatorServer
from pulumi_cams_provider.resource import RESOURCE_TYPE

from tests.support import emulator_control as ctl
from tests.support.demo_seed import SPACE, with_new_numbers
from tests.support.pulumi_cli import PulumiCli, resources_of

COUNT = 3


def imported(cli: PulumiCli, emulator: EmulatorServer) -> tuple[Path, list[str]]:
    """A YAML project (plugin from PATH) that imported a space of COUNT registered numbers by
    the README's commands; the numbers."""
    seed, codes = with_new_numbers(COUNT)
    for number in seed["phoneNumbers"]:
        if number["phoneNumber"] in codes:
            number.update(status="CONNECTED", codeVerificationStatus="VERIFIED")
    ctl.seed(emulator.url, seed)
    project = cli.workspace / "space-import"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: space-import\nruntime: yaml\n")
    cli.stack_init(project)
    subprocess.run(
        ["pulumi-cams", "import-file", "--space", SPACE, "--output", "import.json"],
        cwd=project, env=cli.env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    cli("import", "--file", "import.json", "--out", "program.yaml", "--yes", cwd=project)
    with (project / "Pulumi.yaml").open("a") as program:
        program.write((project / "program.yaml").read_text())
    cli("preview", "--expect-no-changes", cwd=project)
    return project, sorted(codes)


def writes(emulator: EmulatorServer) -> list[str]:
    return [a for a in ctl.actions(emulator.url) if a != "QueryChatappPhoneNumbers"]


def test_imported_numbers_are_protected_and_renamed_with_aliases(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project, phones = imported(cli, emulator)
    program = (project / "Pulumi.yaml").read_text()
    assert program.count("protect: true") == COUNT + 1  # CONNECTED too: the seed's own number

    # A rename without aliases would delete the old resources: protection refuses it.
    old = f"{SPACE}-{phones[0]}"
    (project / "Pulumi.yaml").write_text(program.replace(f"  {old}:", "  support-line:"))
    refused = cli("preview", cwd=project, check=False)
    assert refused.code != 0
    assert "protected" in refused.output, refused

    # With an alias naming the old resource, the rename changes nothing in CAMS or the state.
    urn = f"urn:pulumi:dev::space-import::{RESOURCE_TYPE}::{old}"
    block = program[program.index(f"  {old}:") :]
    block = block[: block.index("      protect: true\n") + len("      protect: true\n")]
    aliased = block.replace(f"  {old}:", "  support-line:") + f"      aliases:\n        - {urn}\n"
    renamed = program.replace(block, aliased)
    assert renamed != program
    (project / "Pulumi.yaml").write_text(renamed)
    ctl.clear_requests(emulator.url)
    cli("preview", "--expect-no-changes", cwd=project)
    cli("up", "--yes", cwd=project)
    assert writes(emulator) == []
    names = sorted(
        r["urn"].rsplit("::", 1)[1] for r in resources_of(cli.export(project), RESOURCE_TYPE)
    )
    assert "support-line" in names and old not in names


def test_a_rename_without_aliases_once_unprotected_adopts_in_one_line_per_run(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project, phones = imported(cli, emulator)
    cli("state", "unprotect", "--all", "--yes", cwd=project)
    program = (project / "Pulumi.yaml").read_text().replace("protect: true", "protect: false")
    (project / "Pulumi.yaml").write_text(program.replace(f"  {SPACE}-", "  line-"))
    ctl.clear_requests(emulator.url)

    up = cli("up", "--yes", cwd=project)

    assert writes(emulator) == []
    for phone in phones:
        assert ctl.number_status(emulator.url, SPACE, phone) == "CONNECTED"
    # Four adoptions and four numbers left registered: one of each said aloud (the CLI repeats
    # it under the resource and in the diagnostics), the others at debug level.
    adopted = re.findall(r"phone number (\d+) was already registered in space", up.output)
    left = re.findall(r"/(\d+) left registered in CAMS", up.output)
    assert len(set(adopted)) == 1 and len(adopted) <= 3, up
    assert len(set(left)) == 1 and len(left) <= 3, up
    assert "warning: phone number" not in up.output
