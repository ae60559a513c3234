"""The build backend's check of the building Python (tools/build_backend/pulumi_cams_build.py).

pip resolves a local project's dependencies before it compares ``Requires-Python``, so an old
Python would otherwise end in resolver noise about ``pulumi``; these prove the one-line refusal.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
BACKEND = REPO / "tools" / "build_backend" / "pulumi_cams_build.py"


def load_backend(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # PEP 517 runs the backend in the project directory; so does this.
    monkeypatch.chdir(REPO)
    spec = importlib.util.spec_from_file_location("pulumi_cams_build", BACKEND)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_minimum_is_read_from_requires_python(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = load_backend(monkeypatch)
    assert backend.minimum_python('requires-python = ">=3.10"\n') == (3, 10)
    assert backend.minimum_python((REPO / "pyproject.toml").read_text()) == (3, 10)
    with pytest.raises(ValueError, match=r'no requires-python = ">=X.Y" line'):
        backend.minimum_python('requires-python = "~=3.10"\n')


def test_an_older_python_is_refused_in_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = load_backend(monkeypatch)
    assert backend.refusal((3, 9, 18), (3, 10)) == (
        "pulumi-cams needs Python 3.10 or newer, and this is Python 3.9.18 "
        f"({sys.executable}). Create the virtual environment with a newer interpreter, for "
        "example python3.10 -m venv venv, and run pip from it."
    )
    assert backend.refusal((3, 10, 0), (3, 10)) is None
    assert backend.refusal((4, 0, 0), (3, 10)) is None


def test_the_backend_still_offers_every_setuptools_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    import setuptools.build_meta

    backend = load_backend(monkeypatch)
    for hook in setuptools.build_meta.__all__:
        assert getattr(backend, hook) is getattr(setuptools.build_meta, hook), hook


def an_older_python() -> str | None:
    """A Python 3.8 or 3.9 on this machine that runs (a pyenv shim of one not selected does not)."""
    candidates = [shutil.which(name) for name in ("python3.9", "python3.8")]
    pyenv_root = os.environ.get("PYENV_ROOT")
    if pyenv_root:
        versions = Path(pyenv_root).glob("versions/3.[89].*/bin/python3")
        candidates += sorted(str(path) for path in versions)
    for path in candidates:
        if path and subprocess.run([path, "-c", ""], capture_output=True).returncode == 0:
            return path
    return None


def test_pip_on_an_older_python_shows_the_refusal_not_resolver_output(tmp_path: Path) -> None:
    python = an_older_python()
    if python is None:
        pytest.skip("no Python older than 3.10 on this machine")
    # pip download prepares the metadata, which asks the backend first, and installs nothing;
    # without build isolation it needs no index.
    answer = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--dest",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert answer.returncode != 0
    output = answer.stdout + answer.stderr
    assert "pulumi-cams needs Python 3.10 or newer, and this is Python 3." in output
    assert "No matching distribution" not in output
    assert "require a different python version" not in output
