"""What a reader is told to type, run as written under the real CLI: the docs' own-project
walkthrough (docs/emulator.md, the block after its `<!-- e2e: own-project -->` mark) and the
README's quickstart (its blocks marked `<!-- e2e: quickstart -->`), each in bash."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from cams_emulator import EmulatorServer

from tests.support import emulator_control as ctl
from tests.support.demo_seed import DEMO_KEY, PENDING, SPACE
from tests.support.pulumi_cli import REPO_ROOT, PulumiCli, checkout_copy, run_bash

PAGE = REPO_ROOT / "docs" / "emulator.md"


def block(mark: str) -> str:
    found = re.search(rf"<!-- e2e: {mark} -->\n```bash\n(.*?)```", PAGE.read_text(), re.S)
    assert found, f"docs/emulator.md has no block marked {mark}"
    return found.group(1)


def test_the_own_project_walkthrough_runs_as_written(cli: PulumiCli, tmp_path: Path) -> None:
    env = {k: v for k, v in cli.env.items() if k not in ("CAMS_ENDPOINT", "PULUMI_BACKEND_URL")}
    env.pop("PULUMI_CONFIG_PASSPHRASE")
    done = run_bash(block("own-project"), tmp_path, env, timeout=600)
    assert done.code == 0, done.output
    assert "\nCONNECTED\n" in done.output, done.output
    assert "Resources:\n    - 2 deleted" in done.output, done.output


# What the README's quickstart leaves for the reader to fill in, filled in as the emulator's demo
# seed does (its space, its access key, a passphrase, the code from its inbox), and the answer a
# person types at a prompt.
_FILLED = {
    "<your-space-id>": SPACE,
    "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI...": f"ALIBABA_CLOUD_ACCESS_KEY_ID={DEMO_KEY[0]}",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET=...": f"ALIBABA_CLOUD_ACCESS_KEY_SECRET={DEMO_KEY[1]}",
    "<passphrase>": "local-only",
    # The confirmation a person gives at `pulumi up`'s prompt (no terminal here).
    "pulumi up\n": "pulumi up --yes\n",
    "<code>": (
        '"$(curl -s "$CAMS_ENDPOINT/_emulator/codes" | python3 -c '
        '\'import json, sys; print(json.load(sys.stdin)[-1]["code"])\')"'
    ),
}


def test_the_readme_quickstart_runs_against_the_emulator(
    cli: PulumiCli, emulator: EmulatorServer, tmp_path: Path
) -> None:
    """The README's quickstart blocks (marked `<!-- e2e: quickstart -->`), in order, in a
    checkout's parent directory, with its placeholders filled in as above and CAMS_ENDPOINT
    pointing at the emulator: the number ends CONNECTED."""
    readme = (REPO_ROOT / "README.md").read_text()
    blocks = re.findall(r"<!-- e2e: quickstart -->\n\s*```bash\n(.*?)```", readme, re.S)
    assert len(blocks) == 3, "the README's quickstart has three marked steps"
    script = "\n".join(textwrap.dedent(b) for b in blocks)
    for placeholder, value in _FILLED.items():
        script = script.replace(placeholder, value)
    assert "<" not in script.replace("<<", ""), script
    checkout_copy(tmp_path / "pulumi-cams")
    home = tmp_path / "user-home"
    home.mkdir()
    unset = ("PULUMI_BACKEND", "PULUMI_CONFIG")  # the quickstart sets them
    env = {k: v for k, v in cli.env.items() if not k.startswith(unset)}
    env.pop("ALIBABA_CLOUD_ACCESS_KEY_ID")
    env.pop("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
    env.update(HOME=str(home), CAMS_ENDPOINT=emulator.url)
    done = run_bash(script, tmp_path, env)
    assert done.code == 0, done.output
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "CONNECTED", done.output
