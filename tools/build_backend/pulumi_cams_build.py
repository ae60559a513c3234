"""setuptools' build backend, behind a check of the Python that is building.

pip resolves a local project's dependencies before it compares the project's ``Requires-Python``
with the interpreter, so ``pip install .`` (or an example's ``requirements.txt``) on Python 3.9
ends in pages of "require a different python version" and "No matching distribution found for
pulumi", which names the wrong package. pip asks the build backend for the project's build
requirements first (PEP 517, ``get_requires_for_build_wheel``), so checking here says the right
thing before any resolution starts. The check runs before setuptools is imported: an old
interpreter's setuptools may be too old to import the rest.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# requires-python is written once, in pyproject.toml; this reads it rather than repeat it. The
# backend runs with the project directory as its working directory (PEP 517).
_PYPROJECT = Path("pyproject.toml")
_REQUIRES_PYTHON = re.compile(r'^requires-python\s*=\s*">=(\d+)\.(\d+)"', re.MULTILINE)


def minimum_python(pyproject_text: str) -> tuple[int, int]:
    """The lowest Python that pyproject.toml's ``requires-python = ">=X.Y"`` admits."""
    found = _REQUIRES_PYTHON.search(pyproject_text)
    if found is None:
        raise ValueError('pyproject.toml has no requires-python = ">=X.Y" line')
    return int(found.group(1)), int(found.group(2))


def refusal(running: tuple[int, int, int], minimum: tuple[int, int]) -> str | None:
    """What to tell a user whose Python is older than ``minimum``; None when it is recent enough."""
    if running[:2] >= minimum:
        return None
    return (
        f"pulumi-cams needs Python {minimum[0]}.{minimum[1]} or newer, and this is Python "
        f"{running[0]}.{running[1]}.{running[2]} ({sys.executable}). Create the virtual "
        f"environment with a newer interpreter, for example python{minimum[0]}.{minimum[1]} "
        "-m venv venv, and run pip from it."
    )


_MESSAGE = refusal(
    (sys.version_info.major, sys.version_info.minor, sys.version_info.micro),
    minimum_python(_PYPROJECT.read_text(encoding="utf-8")),
)
if _MESSAGE is not None:
    # One line on stderr and a non-zero exit is what pip shows back to the user, under "Getting
    # requirements to build wheel did not run successfully".
    sys.exit(_MESSAGE)

from setuptools.build_meta import *  # noqa: E402,F403  (the backend's hooks, unchanged)
