"""How every ``pulumi-cams`` command ends: one line on stderr and an exit code, never a traceback.

Exit codes: 0 success, 1 a CAMS error, 2 bad input (usage or settings), 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from ..cams.catalogue import AUDIENCE
from ..cams.errors import CamsError, ProviderError, one_line

__all__ = ["EXIT_CAMS_ERROR", "EXIT_INTERRUPTED", "EXIT_USAGE", "OneLineErrors"]

EXIT_CAMS_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class OneLineErrors(click.Group):
    """A group whose every failure is one line on stderr and an exit code, never a traceback.

    Click's own usage errors print the usage block and a hint over several lines; scripts and
    CI logs read better with one line, so the group runs click in non-standalone mode and
    reports everything itself.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        # Remediations name flags and variables, not stack config, until the command ends.
        audience = AUDIENCE.set("cli")
        try:
            self._run(args, prog_name, complete_var, **extra)
        finally:
            AUDIENCE.reset(audience)

    def _run(
        self,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        **extra: Any,
    ) -> NoReturn:
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as err:
            click.echo(err.ctx.get_help() if err.ctx is not None else err.format_message())
            sys.exit(EXIT_USAGE)
        except click.UsageError as err:
            message = _sentence(err.format_message())
            if err.ctx is not None:
                message += f" See '{err.ctx.command_path} --help'."
            _fail(message, EXIT_USAGE)
        except click.ClickException as err:
            _fail(err.format_message(), err.exit_code)
        except (click.Abort, KeyboardInterrupt):
            # Ctrl-C: the shell's convention for "interrupted" (128 + SIGINT), and no noise.
            sys.exit(EXIT_INTERRUPTED)
        except CamsError as err:
            _fail(str(err), EXIT_CAMS_ERROR)
        except ProviderError as err:
            # A bad flag or environment variable: the user's input, not a CAMS failure.
            _fail(str(err), EXIT_USAGE)
        except Exception as err:  # noqa: BLE001 - the promise is "never a traceback"
            _fail(f"unexpected {type(err).__name__}: {one_line(str(err))}", EXIT_CAMS_ERROR)
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, exit_code: int) -> NoReturn:
    click.echo(f"Error: {one_line(message)}", err=True)
    sys.exit(exit_code)


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."
