"""The ``pulumi-cams`` command line: the steps around ``pulumi up``.

``request-code`` asks CAMS to send a number its one-time code, ``status`` shows a number's live
registration state, ``emulator`` runs the bundled CAMS emulator. The commands are a thin adapter
over :class:`~pulumi_cams_provider.client.CamsClient`: they read the same settings as the provider
(flags, then the environment, then the standard Alibaba credential chain) and turn every failure
into one line on stderr. Exit codes: 0 success, 1 a CAMS error, 2 bad input (usage or settings).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from .client import CamsClient
from .errors import AUDIENCE, CamsError, SettingsError, one_line
from .import_document import import_json, python_declarations, registered_numbers
from .phone_number_list import PhoneNumber
from .phone_numbers import PhoneNumberFinder
from .registration import lookup_document
from .resource import PROPERTIES
from .settings import ProviderSettings
from .validation import normalize_phone_number, validate_cust_space_id

__all__ = ["main"]

EXIT_CAMS_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _OneLineErrors(click.Group):
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
        except SettingsError as err:
            # A bad flag or environment variable: the user's input, not a CAMS failure.
            _fail(str(err), EXIT_USAGE)
        except CamsError as err:
            _fail(str(err), EXIT_CAMS_ERROR)
        except Exception as err:  # noqa: BLE001 - the promise is "never a traceback"
            _fail(f"unexpected {type(err).__name__}: {one_line(str(err))}", EXIT_CAMS_ERROR)
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, exit_code: int) -> NoReturn:
    click.echo(f"Error: {one_line(message)}", err=True)
    sys.exit(exit_code)


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


class _PhoneNumberType(click.ParamType[str]):
    """A phone number normalised exactly as the provider stores it (digits with country code)."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return normalize_phone_number(value)
        except ValueError as err:
            self.fail(one_line(str(err)), param, ctx)


class _SpaceIdType(click.ParamType[str]):
    """A CAMS space ID (``CustSpaceId``), stripped, under the provider's rules."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not text:
            self.fail("the space ID (CustSpaceId) must not be empty", param, ctx)
        try:
            return validate_cust_space_id(text)
        except ValueError as err:
            self.fail(f"the space ID (CustSpaceId) {one_line(str(err))}", param, ctx)


_space_option = click.option(
    "--space",
    "cust_space_id",
    required=True,
    type=_SpaceIdType(),
    help="CAMS space ID (CustSpaceId) the number belongs to.",
)
_phone_option = click.option(
    "--phone",
    "phone_number",
    required=True,
    type=_PhoneNumberType(),
    help="Phone number with country code, e.g. +86 138-0000-1234.",
)


def _connection_options(func: Any) -> Any:
    """The settings flags shared by the commands that call CAMS; they win over the environment."""
    func = click.option(
        "--profile",
        default=None,
        help="Alibaba Cloud credentials profile (else ALIBABA_CLOUD_PROFILE / ALICLOUD_PROFILE).",
    )(func)
    func = click.option(
        "--region",
        default=None,
        help="Region (else ALIBABA_CLOUD_REGION / ALICLOUD_REGION, default ap-southeast-1).",
    )(func)
    func = click.option(
        "--endpoint",
        default=None,
        help="CAMS endpoint, e.g. http://127.0.0.1:8080 for the emulator (else CAMS_ENDPOINT).",
    )(func)
    return func


def _client(endpoint: str | None, region: str | None, profile: str | None) -> CamsClient:
    flags = {"cams:endpoint": endpoint, "cams:region": region, "cams:profile": profile}
    config = {key: value for key, value in flags.items() if value is not None}
    try:
        settings = ProviderSettings.from_config(config, os.environ)
    except SettingsError as err:
        if err.key not in config:
            raise
        # The settings' own advice names stack config; on the command line the flag is at fault.
        flag = "--" + err.key.removeprefix("cams:")
        raise click.BadParameter(
            f"{err.message} (got {config[err.key]!r})", param_hint=f"'{flag}'"
        ) from None
    return CamsClient(settings)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pulumi-cams", prog_name="pulumi-cams")
def main() -> None:
    """Request verification codes, inspect registrations and run the CAMS emulator.

    Settings come from the flags, then the environment (CAMS_ENDPOINT, ALIBABA_CLOUD_REGION,
    ALIBABA_CLOUD_ACCESS_KEY_ID, ...), then the standard Alibaba Cloud credential chain,
    exactly as for the Pulumi provider.
    """


@main.command("request-code")
@_space_option
@_phone_option
@click.option(
    "--method",
    type=click.Choice(["sms", "voice"], case_sensitive=False),
    default="sms",
    show_default=True,
    help="How Meta delivers the code.",
)
@click.option(
    "--locale",
    default="en_US",
    show_default=True,
    # The values GetChatappVerifyCode documents for Locale (its API reference's enum).
    type=click.Choice(["en_US", "zh_CN"]),
    help="Language of the message or call.",
)
@_connection_options
def request_code(
    cust_space_id: str,
    phone_number: str,
    method: str,
    locale: str,
    endpoint: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Ask CAMS to send a number its one-time verification code (GetChatappVerifyCode)."""
    method = method.lower()
    request_id = _client(endpoint, region, profile).get_chatapp_verify_code(
        cust_space_id, phone_number, method=method, locale=locale
    )
    click.echo(
        f"Requested a verification code for {phone_number} in space {cust_space_id} "
        f"by {method} ({locale}); RequestId {request_id}."
    )
    click.echo(
        "When it arrives, store it as a secret in the stack config, e.g. "
        "`pulumi config set --secret verifyCode <code>`, and run `pulumi up`."
    )


@main.command("status")
@_space_option
@_phone_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@_connection_options
def status(
    cust_space_id: str,
    phone_number: str,
    as_json: bool,
    endpoint: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Show a number's live registration state (QueryChatappPhoneNumbers)."""
    # Looked up the way the provider looks it up, so that status and `pulumi up` agree.
    finder = PhoneNumberFinder(_client(endpoint, region, profile), share=False)
    numbers = finder.list_space(cust_space_id)
    found = numbers.get(phone_number)
    if found is None:
        raise click.ClickException(
            f"phone number {phone_number} is not in space {cust_space_id} "
            f"(QueryChatappPhoneNumbers listed {len(numbers)} numbers). Check the space ID, "
            "or add the number to the WhatsApp Business account bound to this space."
        )
    if as_json:
        click.echo(json.dumps(lookup_document(cust_space_id, found), sort_keys=False))
    else:
        click.echo(_status_table(cust_space_id, found))


# A number's columns are the resource's outputs that CAMS reports, named as the stack's outputs
# name them (resource.PROPERTIES), so that `status` and `pulumi stack output` agree.
_REPORTED = tuple(p for p in PROPERTIES if p.is_output and p.python in PhoneNumber.model_fields)


def _status_table(cust_space_id: str, number: PhoneNumber) -> str:
    if number.registered:
        next_step = "none: registered; pulumi up adopts it without a code"
    else:
        next_step = (
            "request a code: pulumi-cams request-code "
            f"--space {cust_space_id} --phone {number.phone_number}"
        )
    rows = [
        ("Space", cust_space_id),
        *((p.python.replace("_", " ").capitalize(), getattr(number, p.python)) for p in _REPORTED),
        ("Registered", "yes" if number.registered else "no"),
        ("Next step", next_step),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value or '-'}" for label, value in rows)


@main.command("import-file")
@click.option(
    "--space",
    "spaces",
    required=True,
    multiple=True,
    type=_SpaceIdType(),
    help="CAMS space ID (CustSpaceId) whose registered numbers to import; repeat for more.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the document to this file instead of stdout.",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["json", "python"]),
    default="json",
    show_default=True,
    help="json: for `pulumi import --file` (native plugin); python: declarations that "
    "`pulumi up` adopts (Python SDK).",
)
@_connection_options
def import_file(
    spaces: tuple[str, ...],
    output: Path | None,
    form: str,
    endpoint: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Write the registered numbers of spaces as a `pulumi import --file` document."""
    finder = PhoneNumberFinder(_client(endpoint, region, profile), share=False)
    listings = {space: list(finder.list_space(space).values()) for space in dict.fromkeys(spaces)}
    registered, left_out = registered_numbers(listings)
    text = import_json(registered) if form == "json" else python_declarations(registered)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
    click.echo(
        f"registered numbers: {len(registered)} in {len(listings)} space(s); not registered, "
        f"left out: {left_out}",
        err=True,
    )


@main.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks one."
)
@click.option(
    "--seed",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="JSON seed with accounts, access keys, spaces and numbers "
    "[default: the demo seed, cams_emulator/seeds/demo.json].",
)
@click.option(
    "--qps",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Requests per second per account and action before System.LimitControl.",
)
def emulator(host: str, port: int, seed: str | None, qps: int) -> None:
    """Run the CAMS emulator: prints its URL as the first line, stops on Ctrl-C or SIGTERM."""
    import cams_emulator
    from cams_emulator.__main__ import main as emulator_main

    seed = seed or str(cams_emulator.DEMO_SEED_PATH)
    try:
        # Checked here too so that a bad seed is a one-line usage error like any other.
        cams_emulator.load_seed(seed)
    except cams_emulator.SeedError as err:
        raise click.BadParameter(one_line(str(err)), param_hint="'--seed'") from None
    sys.exit(
        emulator_main(
            ["--host", host, "--port", str(port), "--seed", seed, "--qps", str(qps)],
            prog="pulumi-cams emulator",
        )
    )
