"""The ``pulumi-cams`` commands: the steps around ``pulumi up``.

``request-code`` asks CAMS to send a number its one-time code, ``status`` shows a number's live
registration state, ``import-file`` writes a space's registrations for ``pulumi import``,
``emulator`` runs the bundled CAMS emulator (as a process of its own). The commands are a thin
adapter over `CamsClient` and the controller's finder: they read the same settings as the
provider (flags, then the environment, then the standard Alibaba credential chain).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..cams.errors import CamsInvalidRequest, CamsNotFound
from ..controller.import_document import Registered, import_json, python_declarations
from ..controller.number_config import configuration_of
from ..resource import DISTRIBUTION
from ..resources import CONFIGURATIONS
from .drift import drift
from .group import OneLineErrors
from .options import (
    PhoneNumberType,
    SpaceIdType,
    connection_options,
    controller,
    space_option,
)
from .views import config_line, space_table, status_table

__all__ = ["main"]


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="pulumi-cams")
def main() -> None:
    """Request verification codes, inspect registrations and run the CAMS emulator.

    Settings come from the flags, then the environment variables the provider reads (each
    flag's help names its own), then the standard Alibaba Cloud credential chain, exactly as
    for the Pulumi provider.
    """


main.add_command(drift)


@main.command("request-code")
@space_option
@click.option(
    "--phone",
    "phone_numbers",
    multiple=True,
    type=PhoneNumberType(),
    help="Phone number with country code, e.g. +86 138-0000-1234; repeat for more.",
)
@click.option(
    "--pending",
    is_flag=True,
    help="Every number of the space that is not registered yet (each needs a code).",
)
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
@click.option(
    "--config-key",
    default=None,
    help="The stack config key the program reads codes from, for the lines printed at the "
    "end [default: verifyCode for one number, verifyCodes (by number, as examples/fleet "
    "reads them) for several].",
)
@connection_options
def request_code(
    cust_space_id: str,
    phone_numbers: tuple[str, ...],
    pending: bool,
    method: str,
    locale: str,
    config_key: str | None,
    endpoint: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Ask CAMS to send numbers their one-time verification code (GetChatappVerifyCode), paced
    by the rate limit, then print the `pulumi config set --secret` line to fill in for each."""
    if not phone_numbers and not pending:
        raise click.UsageError("name a number with --phone (repeat for more), or use --pending")
    method = method.lower()
    cams = controller(endpoint, region, profile)
    wanted = list(dict.fromkeys(phone_numbers))
    if pending:
        listed = cams.numbers_of(cust_space_id)
        wanted += [
            n["phoneNumber"] for n in listed if n["codeNeeded"] and n["phoneNumber"] not in wanted
        ]
        if not wanted:
            click.echo(f"No number of space {cust_space_id} needs a code: all are registered.")
            return
    requested, failed = [], 0
    for phone in wanted:
        try:
            request_id = cams.request_code(cust_space_id, phone, method=method, locale=locale)
        except (CamsNotFound, CamsInvalidRequest) as err:
            if len(wanted) == 1:
                raise
            # About this number alone: the others are still asked for.
            click.echo(f"Error: {err}", err=True)
            failed += 1
            continue
        requested.append(phone)
        click.echo(
            f"Requested a verification code for {phone} in space {cust_space_id} "
            f"by {method} ({locale}); RequestId {request_id}."
        )
    several = len(wanted) > 1 or pending  # --pending is a fleet's: its lines are the fleet's
    if requested:
        click.echo(
            "When the codes arrive, store each as a secret and run `pulumi up`:"
            if several
            else "When it arrives, store it as a secret in the stack config and run `pulumi up`:"
        )
        for phone in requested:
            click.echo("  " + config_line(phone, config_key, several=several))
    if failed:
        raise click.ClickException(f"{failed} of {len(wanted)} requests failed (above)")


@main.command("status")
@space_option
@click.option(
    "--phone",
    "phone_number",
    default=None,
    type=PhoneNumberType(),
    help="Phone number with country code, e.g. +86 138-0000-1234 [default: every number "
    "of the space, as a table].",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@connection_options
def status(
    cust_space_id: str,
    phone_number: str | None,
    as_json: bool,
    endpoint: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Show a number's live registration state, whether it can send, its profile and webhook
    (URLs shown only as set), or every number's registration in the space."""
    cams = controller(endpoint, region, profile)
    if phone_number is None:
        numbers = cams.numbers_of(cust_space_id)
        click.echo(json.dumps(numbers) if as_json else space_table(numbers))
        return
    # Looked up as getPhoneNumber looks it up, so that status and `pulumi up` agree.
    found = cams.look_up(cust_space_id, phone_number)
    found.update(configuration_of(cams.session, found["custSpaceId"], found["phoneNumber"]))
    click.echo(json.dumps(found) if as_json else status_table(found))


@main.command("import-file")
@click.option(
    "--space",
    "spaces",
    required=True,
    multiple=True,
    type=SpaceIdType(),
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
@click.option(
    "--include",
    "include",
    multiple=True,
    type=click.Choice([r.short for r in CONFIGURATIONS]),
    help="Also each number's resource of that name (PhoneNumberProfile, ...); repeat for "
    "more. With --format python, only those without secrets, with the fields CAMS holds.",
)
@connection_options
def import_file(
    spaces: tuple[str, ...],
    output: Path | None,
    form: str,
    include: tuple[str, ...],
    endpoint: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Write the registered numbers of spaces as a `pulumi import --file` document."""
    included = tuple(r for r in CONFIGURATIONS if r.short in include)
    secret = [r for r in included if r.secret_inputs] if form == "python" else []
    if secret:
        raise click.UsageError(
            f"--include {secret[0].short} needs --format json: a Python declaration would hold "
            f"its {', '.join(sorted(secret[0].secret_inputs))} in clear; declare "
            f"{secret[0].name} with them from secret config"
        )
    cams = controller(endpoint, region, profile)
    registered: list[Registered] = []
    left_out = 0
    for space in dict.fromkeys(spaces):
        numbers, unregistered = cams.registered_numbers(space)
        registered += [Registered(space, phone) for phone in numbers]
        left_out += unregistered
    if form == "python" and included:
        registered = [
            Registered(r.space, r.phone, configuration_of(cams.session, r.space, r.phone, included))
            for r in registered
        ]
    also = [r.name for r in included]
    text = (
        import_json(registered, also) if form == "json" else python_declarations(registered, also)
    )
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
    click.echo(
        f"registered numbers: {len(registered)} in {len(set(spaces))} space(s); not registered, "
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
    args = ["--host", host, "--port", str(port), "--qps", str(qps)]
    if seed is not None:
        args += ["--seed", seed]
    # The emulator is a program of its own, never imported by the provider: this process
    # becomes it, so that signals, output and the exit code are the emulator's.
    os.execv(sys.executable, [sys.executable, "-c", _RUN_EMULATOR, *args])


_RUN_EMULATOR = (
    "import sys; from cams_emulator.__main__ import main; "
    "sys.exit(main(sys.argv[1:], prog='pulumi-cams emulator', seed='demo'))"
)
