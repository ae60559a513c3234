"""The Pulumi dynamic-provider adapter: translation between `pulumi.dynamic` and the controller.

`pulumi_cams.PhoneNumberRegistration` pickles a `PhoneNumberRegistrationProvider` (and the
profile and webhook their own subclass of `DynamicResourceProvider`) into each resource's
``__provider`` input, and ``python -m pulumi.dynamic`` unpickles it to serve the
engine. Because this class lives in an importable module, dill stores a reference to it (a few
dozen bytes) rather than its code: state never pins code or a Python version, fixes reach
refresh and destroy, and nothing secret is captured. So the object carries no attribute until
`configure` runs in the provider process, where settings come from the stack config (the engine
passes the whole stack config to dynamic providers) and then the environment.

Nothing here decides anything about a resource: that is its controller (`lifecycles`).

What the user sees on this route:

- errors: the provider's one-line message, without the host's Python traceback
  (`dynamic_host.install_one_line_errors`);
- notes (an adopted number, a number left registered, an extra register call): warnings sent to
  the engine's Log service, whose address the host was started with. The dynamic provider API
  gives no URN, so they appear in the update's diagnostics naming the resource ID rather than
  under the resource.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Final

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown
from pulumi.runtime import rpc

from .config import SETTINGS, SHARE_LISTINGS_ENV, switched_off
from .description import PACKAGE
from .dynamic_host import engine_address, install_one_line_errors

if TYPE_CHECKING:
    from .controller.lifecycles import Kind, Lifecycle
    from .controller.outcomes import Note
    from .controller.session import CamsSession

__all__ = [
    "DynamicResourceProvider",
    "PhoneNumberProfileProvider",
    "PhoneNumberRegistrationProvider",
    "PhoneNumberWebhookProvider",
    "look_up",
    "refuse_settings_in_clear",
    "stack_config",
]

PROVIDER_KEY: Final = "__provider"

# The stack config keys the settings read; the engine hands dynamic providers the whole stack
# config, so anything outside them is someone else's.
_CONFIG_NAMES: Final = tuple(setting.key for setting in SETTINGS)

# Module level rather than on the instance: the instance is pickled, a lock cannot be.
_LOCK = threading.Lock()


class DynamicResourceProvider(ResourceProvider):
    """Serves one resource of the package inside ``python -m pulumi.dynamic``. Each resource's
    provider is a subclass (below) named ``<resource name>Provider``, so that state names the
    resource by a class that stays where it is; the resource is found by that name (the
    descriptions are imported only when the first request needs them, for a fast start)."""

    @property
    def token(self) -> str:
        return f"{PACKAGE}:index:{type(self).__name__.removesuffix('Provider')}"

    _config: dict[str, Any] | None
    _controller: Lifecycle | None

    def configure(self, req: ConfigureRequest) -> None:
        """Keep the stack config's ``cams:`` keys; settings are built on the first operation
        that needs them (create, read, update, delete), which is also where a bad setting is
        reported. check and diff need no settings, and building them imports pydantic, which
        would slow the first Check of a fresh process (``make bench``, start-up)."""
        config: dict[str, Any] = {}
        for name in _CONFIG_NAMES:
            value = req.config.get(f"cams:{name}")
            if value is not None:
                config[f"cams:{name}"] = value
        with _LOCK:
            self._config = config
            self._controller = None
        install_one_line_errors()

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Normalise and validate the inputs (offline, no settings needed; runs at preview)."""
        outcome = _kind(self.token).check(_from_engine(news), _from_engine(olds))
        failures = [CheckFailure(f.property, f.reason) for f in outcome.failures]
        return CheckResult(_to_engine(outcome.inputs), failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Replace on a new space or number; update on any other input that changed."""
        outcome = _kind(self.token).diff(_from_engine(olds), _from_engine(news))
        return DiffResult(
            changes=outcome.changes,
            replaces=outcome.replaces,
            delete_before_replace=outcome.delete_before_replace,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        outcome = self._get_controller().create(_from_engine(props))
        _tell(outcome.notes)
        return CreateResult(outcome.resource_id, outcome.outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh; an empty ID tells the engine the resource is gone."""
        outcome = self._get_controller().read(id_, _from_engine(props))
        if outcome.resource_id is None:
            # ReadResult() (id None) crashes the host; "" is how it reports "gone".
            return ReadResult(id_="", outs={})
        return ReadResult(id_=outcome.resource_id, outs=outcome.outputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Returns every output (None outs would wipe them)."""
        outs = self._get_controller().update(_from_engine(olds), _from_engine(news))
        return UpdateResult(outs=outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        outcome = self._get_controller().delete(id_, _from_engine(props))
        _tell(outcome.notes)

    def _get_controller(self) -> Lifecycle:
        with _LOCK:
            controller = getattr(self, "_controller", None)
            if controller is None:
                session = _session(getattr(self, "_config", None) or {})
                controller = self._controller = _kind(self.token).controller(session)
            return controller

    def __getstate__(self) -> dict[str, Any]:
        # Whatever configure() set up belongs to one process and may hold secrets.
        return {}


class PhoneNumberRegistrationProvider(DynamicResourceProvider):
    """Serves `pulumi_cams.PhoneNumberRegistration` (this import path is in users' state)."""


class PhoneNumberProfileProvider(DynamicResourceProvider):
    """Serves `pulumi_cams.PhoneNumberProfile`."""


class PhoneNumberWebhookProvider(DynamicResourceProvider):
    """Serves `pulumi_cams.PhoneNumberWebhook`."""


def _kind(token: str) -> Kind:
    from .controller.lifecycles import kind_of

    return kind_of(token)


_SESSIONS: dict[str, CamsSession] = {}


def _session(config: dict[str, Any]) -> CamsSession:
    """The process's session for ``config``: one for every resource this host serves, so that
    a registration's and a webhook's reads of one space share a listing. Call under _LOCK."""
    from .controller.session import CamsSession

    key = repr(sorted(config.items()))
    session = _SESSIONS.get(key)
    if session is None:
        session = _SESSIONS[key] = CamsSession.from_config(config, share_listings=_share_listings())
    return session


def look_up(cust_space_id: object, phone_number: object) -> dict[str, Any]:
    """getPhoneNumber for a Python program: a number's registration state, read in the
    program's own process with the stack's `cams:` config and then the environment, as the
    provider would read them. A failure is a `pulumi.RunError`: Pulumi prints its one line."""
    import pulumi

    from .cams.errors import user_message
    from .controller.registration import RegistrationController

    config = {
        f"cams:{name}": value
        for name in _CONFIG_NAMES
        if (value := pulumi.runtime.get_config(f"cams:{name}")) is not None
    }
    try:
        return RegistrationController.from_config(config).look_up(cust_space_id, phone_number)
    except Exception as err:
        message = user_message(err)
        if message is None:
            raise
        raise pulumi.RunError(f"getPhoneNumber: {message}") from None


def refuse_settings_in_clear() -> None:
    """Refuse, in one line and before any registration is declared, a secret provider setting
    set in the stack config without `--secret`.

    The engine hands a dynamic provider the whole stack config and stores it in the state as
    the provider's inputs (`pulumi:providers:pulumi-python`), unencrypted where the config is:
    nothing on this route can encrypt it there (the native plugin's CheckConfig marks these
    settings secret). A store URL without a password is no secret and passes. The value is
    never named."""
    import pulumi

    from .cams.pacing.store import shown_store

    for setting in SETTINGS:
        key = f"cams:{setting.key}"
        value = pulumi.runtime.get_config(key)
        if not setting.secret or value is None or pulumi.runtime.is_config_secret(key):
            continue
        if "://" in str(value) and shown_store(str(value)) == str(value):
            continue  # a store's URL without a password
        raise pulumi.RunError(
            f"stack config {key} is set in clear, and on the Python route Pulumi stores the "
            "whole stack config in the state with the dynamic provider: set it again with "
            f"`pulumi config set --secret {key} <value>` (or use its environment variable, "
            f"{setting.environment[0]}); nothing was registered"
        )


def stack_config() -> dict[str, Any]:
    """Every key of the running program's stack config, with its value (secrets included).

    Pulumi offers keys one at a time (`pulumi.runtime.get_config`) but no public list of them,
    which the check for a verify code set in clear needs; the list lives in the context
    variable ``pulumi.runtime.config.CONFIG``, read here alone. `tests/test_sdk.py` fails on
    the Pulumi release that moves it."""
    import pulumi.runtime.config

    return {**pulumi.runtime.get_config_env(), **pulumi.runtime.config.CONFIG.get()}


def _tell(notes: tuple[Note, ...]) -> None:
    """Send the controller's notes to the engine's Log service (the host's first argument is
    the engine's address)."""
    if not notes:
        return
    from .engine_log import tell

    tell(engine_address(), notes)


def _share_listings() -> bool:
    return not switched_off(SHARE_LISTINGS_ENV)


def _from_engine(props: dict[str, Any]) -> dict[str, Any]:
    """Drop ``__provider`` and turn the host's unknown markers into `models.UNKNOWN`."""
    from .controller.validation import UNKNOWN

    return {
        name: UNKNOWN if isinstance(value, Unknown) or value == rpc.UNKNOWN else value
        for name, value in props.items()
        if name != PROVIDER_KEY
    }


def _to_engine(props: dict[str, Any]) -> dict[str, Any]:
    """Turn `models.UNKNOWN` back into the marker the host serialises as unknown."""
    from .controller.validation import is_unknown

    return {name: rpc.UNKNOWN if is_unknown(value) else value for name, value in props.items()}
