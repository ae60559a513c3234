"""Write the plugin archive that `pulumi plugin install resource cams <version> --file <it>`
accepts: `python scripts/plugin_archive.py <dir with the wheel>` (run by `make dist`).

The CLI unpacks the archive into its plugin directory and, because it holds a
`PulumiPlugin.yaml` with `runtime: python`, has the Python language host create a virtualenv
there and install `requirements.txt` into it; it then runs `python <that dir> <engine
address>`. So the archive holds this repository's `PulumiPlugin.yaml` and `__main__.py`, the
wheel, and a `requirements.txt` that names the wheel (its dependencies come from the package
index, as for any Python plugin). Prints the archive's path.
"""

from __future__ import annotations

import io
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY_FILES = ("PulumiPlugin.yaml", "__main__.py")


def build(directory: Path) -> Path:
    wheels = sorted(directory.glob("pulumi_cams-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise SystemExit(
            f"error: expected one pulumi_cams wheel in {directory}, found {len(wheels)}: "
            "build it first (make dist)"
        )
    wheel = wheels[0]
    version = wheel.name.split("-")[1]
    archive = directory / f"pulumi-resource-cams-v{version}.tar.gz"
    requirements = f"# The plugin itself; pip brings its dependencies.\n./{wheel.name}\n"
    with tarfile.open(archive, "w:gz") as tar:
        for name in ENTRY_FILES:
            tar.add(ROOT / name, arcname=name)
        data = requirements.encode()
        info = tarfile.TarInfo("requirements.txt")
        info.size, info.mode = len(data), 0o644
        tar.addfile(info, io.BytesIO(data))
        tar.add(wheel, arcname=wheel.name)
    return archive


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python scripts/plugin_archive.py <directory with the wheel>")
    print(build(Path(sys.argv[1])))
