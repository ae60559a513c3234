"""The docs a reader meets: the generated parts as their descriptions say them, and every
relative link in the README and docs/ leading somewhere."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_generated_parts_of_docs_are_what_make_docs_writes() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "docs.py"), "--check"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_every_setting_property_and_error_code_is_in_the_generated_docs() -> None:
    from pulumi_cams_provider.cams.catalogue import known_codes
    from pulumi_cams_provider.config import SETTINGS
    from pulumi_cams_provider.resource import FUNCTION_OUTPUTS, PROPERTIES

    text = "".join(p.read_text() for p in (REPO / "docs").glob("**/*.md"))
    missing = [f"cams:{s.key}" for s in SETTINGS if f"`cams:{s.key}`" not in text]
    missing += [p.wire for p in (*PROPERTIES, *FUNCTION_OUTPUTS) if f"`{p.wire}`" not in text]
    missing += [code for code, _, _ in known_codes() if f"`{code}`" not in text]
    assert missing == []


def test_every_relative_link_in_the_readme_and_docs_resolves() -> None:
    pages = [
        REPO / "README.md",
        REPO / "CONTRIBUTING.md",
        *(REPO / "docs").glob("**/*.md"),
        *(REPO / "examples").glob("**/*.md"),
        *(REPO / "bench").glob("*.md"),
    ]
    broken = []
    for page in pages:
        for target in _LINK.findall(page.read_text()):
            if re.match(r"[a-z]+:", target):  # a URL: not ours to check offline
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if not resolved.exists():
                broken.append(f"{page.relative_to(REPO)}: {target}")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
                broken.append(f"{page.relative_to(REPO)}: {target} (no such heading)")
    assert broken == []


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown page."""
    found = set()
    for line in page.read_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
            found.add(slug)
    return found
