"""The docs' own-project walkthrough (docs/emulator.md), run as written: the fenced block after
its `<!-- e2e: own-project -->` mark, in bash, in an empty directory, under the real CLI."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.support.pulumi_cli import MARK, REPO_ROOT, PulumiCli, _new_mark, end_command

PAGE = REPO_ROOT / "docs" / "emulator.md"


def block(mark: str) -> str:
    found = re.search(rf"<!-- e2e: {mark} -->\n```bash\n(.*?)```", PAGE.read_text(), re.S)
    assert found, f"docs/emulator.md has no block marked {mark}"
    return found.group(1)


def test_the_own_project_walkthrough_runs_as_written(cli: PulumiCli, tmp_path: Path) -> None:
    env = {k: v for k, v in cli.env.items() if k not in ("CAMS_ENDPOINT", "PULUMI_BACKEND_URL")}
    env.pop("PULUMI_CONFIG_PASSPHRASE")
    process = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", block("own-project")],
        cwd=tmp_path,
        env={**env, MARK: (mark := _new_mark())},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=600)
    finally:
        end_command(process, mark)
    assert process.returncode == 0, output
    assert "\nCONNECTED\n" in output, output
    assert "Resources:\n    - 2 deleted" in output, output
