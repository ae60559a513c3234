"""A Pulumi project nested in this checkout, run with uv (`toolchain: uv`), never syncs this
repository's own project: uv walks up to the nearest pyproject.toml, and this one says it is
not uv's to manage (`[tool.uv] managed = false`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_uv_in_a_nested_project_without_its_own_pyproject_refuses_to_sync_the_repository(
    tmp_path: Path,
) -> None:
    uv = Path(sys.executable).with_name("uv")
    assert uv.exists(), "uv is a dev dependency"
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    nested = tmp_path / "examples" / "quickstart"
    shutil.copytree(REPO / "examples" / "quickstart", nested, ignore=shutil.ignore_patterns("venv"))
    done = subprocess.run(
        [str(uv), "sync", "--dry-run", "--offline"],
        cwd=nested, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert " ".join(done.stderr.split()) == f"error: The project is marked as unmanaged: {tmp_path}"
    assert not (tmp_path / ".venv").exists() and not (tmp_path / "uv.lock").exists()
