"""The generated Node.js and Go SDKs (sdk/nodejs, sdk/go): committed as `make sdks` writes them
from schema.json, and they compile (TypeScript with tsc, Go with go build)."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from pulumi_cams_provider.resource import installed_version

from tests.support.pulumi_cli import REPO_ROOT, PulumiCli, run, typescript_project

VERSION = installed_version()
"""The package version: the plugin's, the SDK's and the archive's."""

SDK = REPO_ROOT / "sdk"

# With cold Go and npm caches (CI on a fresh machine) a build here compiles Pulumi's Go SDK and
# gRPC, or installs @pulumi/pulumi, which takes longer on 2 cores than the suite's 120 s default;
# each command still has its own bound (run's timeout).
pytestmark = pytest.mark.timeout(900)


def differences(left: Path, right: Path) -> list[str]:
    compared = filecmp.dircmp(left, right)
    found = [str(left / n) for n in compared.left_only + compared.right_only + compared.diff_files]
    for name in compared.common_dirs:
        found += differences(left / name, right / name)
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("go") is None:
        pytest.fail("Go is needed: the SDK generator (tools/gensdk) is built with it")
    out = tmp_path_factory.mktemp("sdks")
    tool = out / "gensdk"
    run(["go", "build", "-trimpath", "-o", str(tool), "."], REPO_ROOT / "tools" / "gensdk")
    schema = REPO_ROOT / "provider/pulumi_cams_provider/schema.json"
    run([str(tool), str(schema), VERSION, str(out)], REPO_ROOT)
    return out


@pytest.mark.parametrize("language", ["nodejs", "go"])
def test_the_committed_sdks_are_what_the_schema_generates(generated: Path, language: str) -> None:
    assert differences(SDK / language, generated / language) == [], "run `make sdks` and commit"


def test_the_typescript_sdk_compiles(nodejs_sdk: Path) -> None:
    """The session's build of sdk/nodejs (conftest.nodejs_sdk: npm install, tsc)."""
    assert (nodejs_sdk / "phoneNumberRegistration.js").exists()


def test_the_go_sdk_compiles() -> None:
    run(["go", "build", "./..."], SDK)


def test_the_typescript_example_compiles_against_the_sdk(
    cli: PulumiCli, typescript_modules: Path
) -> None:
    """examples/typescript's README steps (the SDK built, the example installed: conftest's
    session fixtures), then tsc."""
    project = typescript_project(cli, typescript_modules)
    run(["npx", "tsc", "--noEmit"], project)


def test_the_go_example_builds_against_the_sdk(tmp_path: Path) -> None:
    run(["go", "build", "-o", str(tmp_path / "example"), "."], REPO_ROOT / "examples" / "go")
