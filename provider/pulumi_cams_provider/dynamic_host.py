"""The Pulumi dynamic provider host (``python -m pulumi.dynamic``) as the dynamic front door
needs it, in one place: what Pulumi offers no public way to do.

- errors: the host reports every exception with ``traceback.format_exc()``
  (``_abort_with_traceback`` in ``pulumi/dynamic/__main__.py``), which puts a 20-line Python
  traceback in front of the provider's one-line message; `install_one_line_errors` gives the
  host's module a ``traceback`` whose ``format_exc`` returns the message alone for the errors a
  user acts on, and the real traceback for anything else (a bug);
- the engine's address, which the host was started with (`engine_address`).

`tests/test_dynamic_provider.py` and `tests/test_both_routes.py` fail on the Pulumi release
that changes either.
"""

from __future__ import annotations

import sys
import traceback
import types
from typing import Any

__all__ = ["engine_address", "host_shape_known", "install_one_line_errors"]


class _OneLineTraceback(types.ModuleType):
    """The ``traceback`` module as the dynamic host sees it once :func:`install_one_line_errors`
    ran: ``format_exc`` gives the one-line message of an error the user acts on, and otherwise
    (a bug) the real traceback; every other name is the real module's."""

    def __init__(self) -> None:
        super().__init__("traceback")

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    @staticmethod
    def format_exc(limit: int | None = None, chain: bool = True) -> str:
        from .cams.errors import user_message

        return user_message(sys.exc_info()[1]) or traceback.format_exc(limit, chain)


def install_one_line_errors() -> None:
    """Make the dynamic host report our errors as their one-line message (see the module doc).

    Pulumi offers no public way to shape the dynamic host's errors, so this is a shim on its
    internals, kept to one function: it needs the host run as ``python -m pulumi.dynamic``,
    with the ``_abort_with_traceback`` wrapper and the ``traceback`` module as a global. Should a
    Pulumi release change that, the host keeps its own behaviour (tracebacks included), this
    process says so once on stderr (the engine's log), and `tests/test_dynamic_provider.py`
    fails on that release, reading the installed host.
    """
    host = sys.modules.get("__main__")
    if getattr(getattr(host, "__spec__", None), "name", None) != "pulumi.dynamic.__main__":
        return
    if isinstance(getattr(host, "traceback", None), _OneLineTraceback):
        return  # installed by an earlier configure
    if host is None or not host_shape_known(host):
        print(
            "pulumi-cams: this Pulumi's dynamic provider host is not the one its errors were "
            "shaped for: they show with a Python traceback (please report it)",
            file=sys.stderr,
            flush=True,
        )
        return
    host.traceback = _OneLineTraceback()  # type: ignore[attr-defined]


def host_shape_known(host: types.ModuleType) -> bool:
    """Whether the dynamic host module is shaped as `install_one_line_errors` expects."""
    return callable(getattr(host, "_abort_with_traceback", None)) and (
        getattr(host, "traceback", None) is traceback
    )


def engine_address() -> str:
    """The engine's address, which the dynamic host was started with as its first argument
    (Pulumi offers it no other way); "" when there is none. The notes tests of
    tests/test_both_routes.py fail if that changes."""
    return next((a for a in sys.argv[1:] if not a.startswith("-")), "")
