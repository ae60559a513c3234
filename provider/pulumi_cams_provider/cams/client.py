"""CamsClient: one method per CAMS action, on top of the official Alibaba OpenAPI client (those
on a number's configuration are in `configuration_actions`).

Requests are built the way the generated CAMS SDK builds them (``call_api`` with an RPC
``Params``, business parameters in the query) and signed by the SDK. Around each call sit the
process-wide rate limiter and the retry helper; the SDK's own retries are off. A HTTP 200 whose
``Code`` is not ``OK`` is an error like any other.

The Alibaba SDK is imported on the first API call, not when this module is imported, so that
preview (check, diff) stays fast and offline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .actions import (
    ALLOWED_RATES,
    DEREGISTER,
    GET_VERIFY_CODE,
    QUERY_PHONE_NUMBERS,
    VERIFY_AND_REGISTER,
)
from .alibaba_sdk import (
    build_sdk_client,
    credential_client,
    credential_source,
    resolved_access_key_id,
)
from .attempt import Attempt, Pacing, Sending
from .configuration_actions import ConfigurationActions
from .errors import Call
from .pacing.adaptive import AdaptiveRates, shared_rates
from .pacing.ratelimit import RateLimiter, shared_limiter
from .pacing.shared_quota import SharedQuota, shared_quota
from .pacing.store import store_key
from .phone_number_list import PhoneNumberList, phone_number_list
from .responses import request_id_of
from .retry import Deadline, RetryPolicy, call_with_retry
from .sdk_errors import Transport
from .settings import ProviderSettings

__all__ = ["CamsClient"]


T = TypeVar("T")


class CamsClient(ConfigurationActions):
    """Calls CAMS with the given settings; safe to share between threads.

    ``retry_policy``, ``limiter`` and ``rates`` exist for tests; by default calls retry within
    the settings' ``retry_timeout`` and share the process-wide limiter and adaptive rates
    (``requestsPerSecond`` is the ceiling; throttled answers lower the rate, see adaptive).
    """

    def __init__(
        self,
        settings: ProviderSettings,
        *,
        retry_policy: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        rates: AdaptiveRates | None = None,
    ) -> None:
        self._settings = settings
        self._rates = rates
        self._retry_policy = retry_policy or RetryPolicy(deadline=settings.retry_timeout)
        self._limiter = limiter
        self._sdk: Any = None
        self._credentials: Any = None
        self._identity: str | None = None
        self._sdk_lock = threading.Lock()

    @property
    def settings(self) -> ProviderSettings:
        """The settings this client was built with."""
        return self._settings

    @property
    def limiter(self) -> RateLimiter:
        """The rate limiter its requests take permits from (by default the process's)."""
        return self._limiter or shared_limiter()

    @property
    def rates(self) -> AdaptiveRates:
        """The adaptive rates it follows (by default the process's)."""
        return self._rates or shared_rates()

    @property
    def quota(self) -> SharedQuota | None:
        """The account's quota in the rate limit store, when one is set (the process's)."""
        settings = self._settings
        if settings.rate_limit_store is None:
            return None
        namespace = store_key(settings.rate_limit_key, settings.host, self._store_identity())
        return shared_quota(settings.rate_limit_store.get_secret_value(), namespace)

    def _store_identity(self) -> str:
        """Whom the store's namespace names: the access key ID in use. A profile or the default
        chain is resolved first (at the first request, never at preview), so that processes of
        two accounts never meet in one bucket under the same profile name."""
        settings = self._settings
        if settings.access_key_id or settings.rate_limit_key:
            return settings.credential_identity
        self.sdk_client()
        with self._sdk_lock:
            if self._identity is None:
                key = resolved_access_key_id(self._credentials)
                self._identity = f"ak:{key}" if key else settings.credential_identity
            return self._identity

    def ceiling(self, action: str) -> float:
        """The most requests of ``action`` per second this process asks: ``requestsPerSecond``,
        never more than CAMS allows the action (`ALLOWED_RATES`)."""
        return min(self._settings.requests_per_second, ALLOWED_RATES.get(action, 10))

    def allowed_rate(self, action: str) -> float:
        """Requests of ``action`` per second this process may send now: ``requestsPerSecond``,
        or less while adaptive rate control has found others sharing the account."""
        settings = self._settings
        return self.rates.current((settings.credential_identity, action), self.ceiling(action))

    # Reads: retried on throttling, 5xx, transport failures and malformed answers.

    def query_chatapp_phone_numbers(
        self,
        cust_space_id: str,
        *,
        deadline: Deadline | None = None,
        on_send: Callable[[], None] | None = None,
    ) -> PhoneNumberList:
        """List the numbers of a space (QueryChatappPhoneNumbers).

        ``on_send`` is called once the rate limiter lets the first attempt go, just before it is
        sent: whatever the listing returns was observed after that moment.
        """
        action = QUERY_PHONE_NUMBERS
        return self._call(
            action,
            {"CustSpaceId": cust_space_id},
            lambda body: phone_number_list(Call(action, cust_space_id), body),
            space=cust_space_id,
            deadline=deadline,
            on_send=on_send,
        )

    # Writes: retried only when refused by flow control; an unknown outcome raises CamsAmbiguous.
    # Register and deregister wait `register_timeout` for their answer (see settings).

    def get_chatapp_verify_code(
        self, cust_space_id: str, phone_number: str, method: str = "sms", locale: str = "en_US"
    ) -> str:
        """Ask CAMS to send a verification code by SMS or voice; return the RequestId."""
        return self._call(
            GET_VERIFY_CODE,
            {
                "CustSpaceId": cust_space_id,
                "PhoneNumber": phone_number,
                "Method": method,
                "Locale": locale,
            },
            _request_id,
            space=cust_space_id,
            phone=phone_number,
        )

    def chatapp_verify_and_register(
        self,
        cust_space_id: str,
        phone_number: str,
        verify_code: str,
        *,
        deadline: Deadline | None = None,
    ) -> str:
        """Submit the verification code and register the number; return the RequestId."""
        return self._call(
            VERIFY_AND_REGISTER,
            {"CustSpaceId": cust_space_id, "PhoneNumber": phone_number, "VerifyCode": verify_code},
            _request_id,
            space=cust_space_id,
            phone=phone_number,
            secrets=(verify_code,),
            deadline=deadline,
            read_timeout_s=self._settings.register_timeout,
        )

    def chatapp_phone_number_deregister(
        self, cust_space_id: str, phone_number: str, *, deadline: Deadline | None = None
    ) -> str:
        """Deregister the number from the WABA; return the RequestId."""
        return self._call(
            DEREGISTER,
            {"CustSpaceId": cust_space_id, "PhoneNumber": phone_number},
            _request_id,
            space=cust_space_id,
            phone=phone_number,
            deadline=deadline,
            read_timeout_s=self._settings.register_timeout,
        )

    # The machinery under every action.

    def _call(
        self,
        action: str,
        query: dict[str, str],
        parse: Callable[[Mapping[str, Any]], T],
        *,
        space: str | None = None,
        phone: str | None = None,
        secrets: tuple[str, ...] = (),
        deadline: Deadline | None = None,
        read_timeout_s: float | None = None,
        on_send: Callable[[], None] | None = None,
    ) -> T:
        """One action: rate-limited, retried within ``deadline`` (by default the settings'
        ``retry_timeout`` from now), each request's timeouts cut to what the deadline leaves."""
        settings = self._settings
        call = Call(
            action,
            space,
            phone,
            secrets + settings.secret_values(),
            settings.credentials_from,
        )
        attempt = Attempt(
            call,
            query,
            parse,
            pacing=Pacing(
                self.limiter,
                self.rates,
                lambda: self.quota,
                (settings.credential_identity, action),
                self.ceiling(action),
            ),
            sending=Sending(self.sdk_client, settings.connect_timeout_ms / 1000, self.transport),
            deadline=deadline or Deadline(self._retry_policy.deadline),
            read_timeout=settings.read_timeout_ms / 1000
            if read_timeout_s is None
            else read_timeout_s,
            on_send=on_send,
        )
        return call_with_retry(attempt.run, self._retry_policy, deadline=attempt.deadline)

    def transport(self, timeouts: tuple[float, float] | None = None) -> Transport:
        """What an error may name of how this client calls: timeouts, host, credentials."""
        settings = self._settings
        connect, read = timeouts or (
            settings.connect_timeout_ms / 1000,
            settings.read_timeout_ms / 1000,
        )
        return Transport(
            connect, read, settings.host, credential_source(settings), settings.protocol
        )

    def sdk_client(self) -> Any:
        """The Alibaba SDK client, built (and the SDK imported) on first use."""
        with self._sdk_lock:
            if self._sdk is None:
                self._credentials = credential_client(self._settings)
                self._sdk = build_sdk_client(self._settings, self._credentials)
            return self._sdk


def _request_id(body: Mapping[str, Any]) -> str:
    """What a write returns: its answer's RequestId, or "" when it has none."""
    return request_id_of(body) or ""
