"""The shape of the code, read from its syntax trees: the layers as folders with imports one way,
small named pieces, and each fact written once (CONTRIBUTING.md, "Where things live")."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cams_emulator.actions import ACTIONS as EMULATED_ACTIONS
from pulumi_cams_provider.cams import actions as cams_actions
from pulumi_cams_provider.config import SETTINGS
from pulumi_cams_provider.resource import REPORTED

REPO = Path(__file__).resolve().parents[1]
PACKAGES = {
    "pulumi_cams_provider": REPO / "provider" / "pulumi_cams_provider",
    "pulumi_cams": REPO / "provider" / "pulumi_cams",
    "cams_emulator": REPO / "emulator" / "cams_emulator",
}
# Written by `make schema`, checked in test_sdk.
GENERATED = {"pulumi_cams._outputs", "pulumi_cams._configuration"}

MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60

# The provider's layers, lowest first: a module imports only from its own layer or lower ones.
LAYERS = {
    "resource": 0,  # the one description: the resource, the settings, the schema from them
    "description": 0,
    "phone_number_profile": 0,
    "phone_number_webhook": 0,
    "resources": 0,
    "config": 0,
    "package_schema": 0,
    "cams": 1,  # the CAMS client
    "controller": 2,  # the lifecycle, free of Pulumi
    "dynamic": 3,  # front doors
    "native": 3,
    "cli": 3,
    "engine_log": 3,  # how both Pulumi front doors tell the engine a note
    "dynamic_host": 3,  # the dynamic host's internals, behind one module
}
SHARED_FRONT = {"engine_log", "dynamic_host"}


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def folder(self) -> str:
        """The first name under the package: its layer's key."""
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else ""


def modules() -> list[Module]:
    found = []
    for package, root in PACKAGES.items():
        for path in sorted(root.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join([package, *parts])
            found.append(Module(name, path, ast.parse(path.read_text(), str(path))))
    return found


MODULES = modules()
BY_NAME = {m.name: m for m in MODULES}


def imports(module: Module) -> set[str]:
    """The modules of ours that ``module`` imports, anywhere in it (lazy imports too), except
    under ``if TYPE_CHECKING:``."""
    typing_only = {
        id(child)
        for node in ast.walk(module.tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for child in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(module.tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.name.split(".")
                if not module.is_package:
                    here.pop()
                here = here[: len(here) - node.level + 1]
                base = ".".join([*here, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in BY_NAME else base)
    return {name for name in found if name in BY_NAME and name != module.name}


def graph() -> dict[str, set[str]]:
    return {m.name: imports(m) for m in MODULES}


def test_there_is_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(edges[name]):
            if state.get(target) == "open":
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_every_provider_module_sits_in_a_layer() -> None:
    unplaced = [
        m.name
        for m in MODULES
        if m.name.startswith("pulumi_cams_provider.") and m.folder not in LAYERS
    ]
    assert unplaced == [], "add the module's folder to LAYERS (and to CONTRIBUTING.md)"


def test_imports_run_down_the_layers_and_front_doors_do_not_use_each_other() -> None:
    wrong = []
    for name, targets in graph().items():
        module = BY_NAME[name]
        if not name.startswith("pulumi_cams_provider.") or module.folder not in LAYERS:
            continue
        for target in targets:
            other = BY_NAME[target]
            if not target.startswith("pulumi_cams_provider.") or other.folder == module.folder:
                continue
            upward = LAYERS[other.folder] > LAYERS[module.folder]
            sideways = (
                LAYERS[other.folder] == LAYERS[module.folder] == 3
                and other.folder not in SHARED_FRONT
            )
            if upward or sideways:
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def third_party(module: Module) -> set[str]:
    names = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - set(PACKAGES)


def test_the_client_and_the_controller_know_nothing_of_pulumi() -> None:
    pulumi_users = [
        m.name for m in MODULES if m.folder in ("cams", "controller") and "pulumi" in third_party(m)
    ]
    assert pulumi_users == []


def test_the_description_is_standard_library_only() -> None:
    import sys

    heavy = {
        m.name: sorted(third_party(m) - set(sys.stdlib_module_names))
        for m in MODULES
        if m.name.startswith("pulumi_cams_provider.") and LAYERS.get(m.folder) == 0
    }
    assert {name: deps for name, deps in heavy.items() if deps} == {}


def test_the_emulator_and_the_provider_never_import_each_other() -> None:
    crossing = [
        f"{name} -> {target}"
        for name, targets in graph().items()
        for target in targets
        if name.split(".")[0] != target.split(".")[0]
        and "cams_emulator" in (name.split(".")[0], target.split(".")[0])
    ]
    assert crossing == []


def test_the_python_sdk_uses_only_the_dynamic_front_door_and_the_description() -> None:
    allowed = {
        "pulumi_cams_provider.dynamic",
        "pulumi_cams_provider.resource",
        "pulumi_cams_provider.description",
        "pulumi_cams_provider.phone_number_profile",
        "pulumi_cams_provider.phone_number_webhook",
    }
    used = {
        target
        for name, targets in graph().items()
        if name.startswith("pulumi_cams") and not name.startswith("pulumi_cams_provider")
        for target in targets
        if target.startswith("pulumi_cams_provider")
    }
    assert used <= allowed


# --- small, named pieces ---------------------------------------------------------------------


def hand_written() -> Iterator[Module]:
    return (m for m in MODULES if m.name not in GENERATED)


def test_no_module_is_longer_than_300_lines() -> None:
    long = {m.name: n for m in hand_written() if (n := len(m.path.read_text().splitlines())) > 300}
    assert long == {}


def test_no_function_is_longer_than_60_lines() -> None:
    long = {
        f"{m.name}.{node.name}": node.end_lineno - node.lineno + 1
        for m in hand_written()
        for node in ast.walk(m.tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    }
    assert long == {}


def test_only_a_package_front_just_re_exports() -> None:
    def body_is_imports(tree: ast.Module) -> bool:
        def relays(node: ast.stmt) -> bool:
            if isinstance(node, ast.Import | ast.ImportFrom | ast.Expr):
                return True
            return isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__"

        return all(relays(node) for node in tree.body) and any(
            isinstance(node, ast.ImportFrom) and node.module != "__future__" for node in tree.body
        )

    relays = [m.name for m in hand_written() if not m.is_package and body_is_imports(m.tree)]
    assert relays == []


def test_no_function_takes_a_context_as_keyword_arguments() -> None:
    # A dict of fields travelling as **context through many signatures hides what a function
    # needs; pass a named object (cams.errors.Call, cams.sdk_errors.Transport) instead.
    threaded = [
        f"{m.name}:{node.lineno}"
        for m in MODULES
        if m.name.startswith("pulumi_cams_provider")
        for node in ast.walk(m.tree)
        if isinstance(node, ast.Call)
        and any(k.arg is None and ast.unparse(k.value) == "context" for k in node.keywords)
    ]
    assert threaded == []


# --- each fact once --------------------------------------------------------------------------


def strings(module: Module) -> Iterator[tuple[int, str]]:
    """Every string constant of the module's code, docstrings aside."""
    docstrings = {
        id(node.value)
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def spelled(home: set[str], facts: set[str], *, whole: bool, where: str) -> list[str]:
    """Where a fact is spelled outside its home: as a whole string, or inside one."""
    found = []
    for m in MODULES:
        if m.name in home or m.name in GENERATED or not m.name.startswith(where):
            continue
        for line, text in strings(m):
            for fact in facts:
                hit = text == fact if whole else re.search(rf"\b{re.escape(fact)}\b", text)
                if hit:
                    found.append(f"{m.name}:{line} {fact}")
    return found


def test_setting_variables_and_defaults_are_written_only_in_config() -> None:
    variables = {v for s in SETTINGS for v in s.environment}
    defaults = {s.default for s in SETTINGS if isinstance(s.default, str)}
    copies = spelled(
        {"pulumi_cams_provider.config"},
        variables | defaults | {"CAMS_ADAPTIVE_RATE", "CAMS_SHARE_LISTINGS"},
        whole=False,
        where="pulumi_cams",
    )
    assert copies == []


def test_action_names_are_written_once_in_the_client_and_once_in_the_emulator() -> None:
    names = {v for k, v in vars(cams_actions).items() if k.isupper() and isinstance(v, str)}
    names -= {cams_actions.API_VERSION}
    # The client calls only what the emulator serves (which serves more, for other clients).
    assert names <= set(EMULATED_ACTIONS)
    in_provider = spelled(
        {"pulumi_cams_provider.cams.actions"}, names, whole=True, where="pulumi_cams"
    )
    in_emulator = spelled({"cams_emulator.actions"}, names, whole=True, where="cams_emulator")
    assert (in_provider, in_emulator) == ([], [])


def test_what_cams_reports_is_named_only_in_the_description() -> None:
    # (A listing's field names, `Property.listed_as`, are left out: other actions answer with
    # fields of the same names, which are theirs.)
    names = {p.wire for p in REPORTED} | {p.python for p in REPORTED}
    names -= {"status"}  # a word too common to police: resource.STATUS names the property
    copies = spelled({"pulumi_cams_provider.resource"}, names, whole=True, where="pulumi_cams")
    fields = [
        f"{m.name}:{node.lineno} {node.target.id}"
        for m in hand_written()
        if m.name.startswith("pulumi_cams")
        for node in ast.walk(m.tree)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id in {p.python for p in REPORTED}
    ]
    assert (copies, fields) == ([], [])


def test_the_error_tree_drawn_in_its_docstring_is_every_error_class() -> None:
    errors = BY_NAME["pulumi_cams_provider.cams.errors"]
    drawn = set(re.findall(r"[─└├]── (\w+)", ast.get_docstring(errors.tree) or ""))
    drawn.add("ProviderError")
    defined = {
        node.name
        for m in MODULES
        if m.name.startswith("pulumi_cams_provider")
        for node in ast.walk(m.tree)
        if isinstance(node, ast.ClassDef)
        and any(
            re.search(r"(Error|Exception|^Cams\w+|Invalid\w+)$", ast.unparse(base))
            for base in node.bases
        )
    }
    assert defined == drawn
