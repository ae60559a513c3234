"""A session-wide watch for secrets: no test may leave a verify code or a secret in its output.

conftest imports the hooks below, so for every test of every layer, whatever the test printed
(stdout, stderr), the log records pytest captured, and the stderr of every provider process the
test started (the dynamic host, the native plugin) are scanned for the distinctive secrets the
suite uses: access key secrets, a security token, verification codes. A test whose output holds
one fails, naming where. tests/test_secret_hygiene.py adds targeted scans of outputs, pickles
and exception strings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .demo_seed import CODE, KEYS, SECOND_SPACE_CODE

# Secrets of the demo seed and of the hygiene tests. Codes are only ones a test submits as
# valid; wrong codes some tests send on purpose ("111111") are not secret.
SECRETS: tuple[str, ...] = (
    *(secret for _, secret in KEYS.values()),
    CODE,
    SECOND_SPACE_CODE,
    "hygiene-secret-Wq7Rt5Yu",
    "hygiene-sts-token-Xc4Vb6Nm",
    "975318",
)

_found: list[str] = []


def leaks(text: str) -> list[str]:
    """The secrets ``text`` contains."""
    return [secret for secret in SECRETS if secret in text]


def _watch(cls: type[Any], method: str, label: str) -> Callable[[], None]:
    """Wrap ``cls.<method>`` (how the process is stopped) to scan its stderr; return an undo."""
    original = getattr(cls, method)

    @functools.wraps(original)
    def stop(self: Any, *args: Any, **kwargs: Any) -> Any:
        before = _read_stderr(self)
        try:
            return original(self, *args, **kwargs)
        finally:
            text = max(before, _read_stderr(self), key=len)
            for secret in leaks(text):
                _found.append(f"{label} stderr contains {secret!r}")

    setattr(cls, method, stop)

    def undo() -> None:
        setattr(cls, method, original)

    return undo


def _read_stderr(process: Any) -> str:
    try:
        value = process.stderr
        return str(value() if callable(value) else value)
    except Exception:  # the file may already be closed
        return ""


@pytest.fixture(scope="session", autouse=True)
def watch_provider_processes() -> Iterator[None]:
    """Scan the stderr of every provider process the suite starts."""
    undo: list[Callable[[], None]] = []
    try:
        from .engine import DynamicProvider

        undo.append(_watch(DynamicProvider, "close", "python -m pulumi.dynamic"))
    except ImportError:
        pass
    try:
        from .plugin_harness import PluginProcess

        undo.append(_watch(PluginProcess, "stop", "native plugin"))
    except ImportError:
        pass
    yield
    for step in undo:
        step()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Fail a test phase whose captured output, or whose provider processes, leaked a secret."""
    outcome = yield
    report = outcome.get_result()
    found = [f"{name} contains {s!r}" for name, text in report.sections for s in leaks(text)]
    found += _found
    _found.clear()
    if found and not report.failed:
        report.outcome = "failed"
        report.longrepr = "secret hygiene: " + "; ".join(found)
