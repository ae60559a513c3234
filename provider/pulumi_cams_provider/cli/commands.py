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

from ..cams.phone_number_list import PhoneNumber
from ..controller.import_document import import_json, python_declarations, registered_numbers
from ..controller.models import lookup_document
from ..controller.phone_numbers import PhoneNumberFinder
from ..resource import DISTRIBUTION, REPORTED
from .group import OneLineErrors
from .options import SpaceIdType, client, connection_options, phone_option, space_option

__all__ = ["main"]


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="pulumi-cams")
def main() -> None:
    """Request verification codes, inspect registrations and run the CAMS emulator.

    Settings come from the flags, then the environment variables the provider reads (each
    flag's help names its own), then the standard Alibaba Cloud credential chain, exactly as
    for the Pulumi provider.
    """


@main.command("request-code")
@space_option
@phone_option
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
@connection_options
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
    request_id = client(endpoint, region, profile).get_chatapp_verify_code(
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
@space_option
@phone_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@connection_options
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
    finder = PhoneNumberFinder(client(endpoint, region, profile), share=False)
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
# name them (resource.REPORTED), so that `status` and `pulumi stack output` agree.


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
        ("Phone number", number.phone_number),
        *((p.python.replace("_", " ").capitalize(), number.reported.get(p.wire)) for p in REPORTED),
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
@connection_options
def import_file(
    spaces: tuple[str, ...],
    output: Path | None,
    form: str,
    endpoint: str | None,
    region: str | None,
    profile: str | None,
) -> None:
    """Write the registered numbers of spaces as a `pulumi import --file` document."""
    finder = PhoneNumberFinder(client(endpoint, region, profile), share=False)
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
