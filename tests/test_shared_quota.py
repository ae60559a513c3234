"""The shared quota (cams:rateLimitStore) against a real Redis: one bucket per account and action
for every process, a lease per number, and the fallback when the store fails."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams import actions
from pulumi_cams_provider.cams.client import CamsClient
from pulumi_cams_provider.cams.errors import CamsError
from pulumi_cams_provider.cams.pacing.adaptive import AdaptiveRates
from pulumi_cams_provider.cams.pacing.shared_quota import RETRY_S, WINDOW_MARGIN_MS, SharedQuota
from pulumi_cams_provider.cams.pacing.store import store_key
from pulumi_cams_provider.cams.retry import Deadline, RetryPolicy
from pulumi_cams_provider.cams.settings import ProviderSettings
from pydantic import SecretStr
from redis import Redis

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CODE, DEMO_KEY, OTHER_TENANT_KEY, PENDING, SPACE
from tests.support.engine import DynamicProvider
from tests.support.redis_server import RedisServer

REGISTER = actions.VERIFY_AND_REGISTER


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def permits(quota: SharedQuota, count: int, rate: float) -> list[float]:
    """When each of ``count`` permits was given (monotonic seconds)."""
    given = []
    for _ in range(count):
        assert quota.take(REGISTER, rate, Deadline(10)) is not None
        given.append(time.monotonic())
    return given


def test_processes_of_one_account_share_one_bucket(redis: RedisServer) -> None:
    # Two quotas with their own connections, as two processes have, 8 permits each at 5 per
    # second: the first 5 at once (a burst, as CAMS allows), then never more than 5 in any
    # window of the bucket's (one second and the margin).
    first, second = (SharedQuota(redis.url, "pulumi-cams:acct") for _ in range(2))
    with ThreadPoolExecutor(max_workers=2) as pool:
        times = sorted(
            t for ts in pool.map(lambda q: permits(q, 8, 5), (first, second)) for t in ts
        )
    window = 1 + WINDOW_MARGIN_MS / 1000
    assert times[4] - times[0] < 0.1
    assert all(
        later - earlier >= window - 0.005 for earlier, later in zip(times, times[5:], strict=False)
    )
    assert times[-1] - times[0] < 3 * window + 0.5


def test_a_permit_asked_after_another_process_filled_the_window_is_refused(
    redis: RedisServer,
) -> None:
    # The script reads the server's clock when it runs: whatever time process A read before,
    # B's permits written meanwhile count, and A waits (a client's time went stale here, and
    # let 11 permits into one second: see cams/sliding_log.py).
    a, b = (SharedQuota(redis.url, "pulumi-cams:acct") for _ in range(2))
    log = a._log(REGISTER, 2)
    permits(b, 2, 2)
    wait = log.take("a-permit")
    assert 0.9 < wait <= 1 + WINDOW_MARGIN_MS / 1000
    assert Redis.from_url(redis.url).zcard(f"pulumi-cams:acct:{REGISTER}") == 2


def test_a_permit_stamped_at_its_finish_holds_its_slot_one_window_from_then(
    redis: RedisServer,
) -> None:
    # CAMS saw a request no later than its answer: a slow request's permit frees one window
    # after it finished, not after it was given.
    quota = SharedQuota(redis.url, "pulumi-cams:acct")
    permit = quota.take(REGISTER, 1, Deadline(5))
    assert permit is not None
    time.sleep(0.5)
    quota.finished(REGISTER, 1, permit)
    time.sleep(0.7)  # past the first stamp's window, within the second's
    started = time.monotonic()
    assert quota.take(REGISTER, 1, Deadline(5)) is not None
    assert time.monotonic() - started > 0.25


def test_the_log_keeps_only_the_permits_of_its_last_window(redis: RedisServer) -> None:
    # Each permit drops what lies before the window, so the account's key in the team's Redis
    # holds at most one window's permits however long the pipelines run.
    quota = SharedQuota(redis.url, "pulumi-cams:acct")
    permits(quota, 100, 1000)
    time.sleep(1 + 2 * WINDOW_MARGIN_MS / 1000)
    permits(quota, 100, 1000)
    assert Redis.from_url(redis.url).zcard(f"pulumi-cams:acct:{REGISTER}") == 100


def test_different_accounts_never_meet(redis: RedisServer) -> None:
    one, other = SharedQuota(redis.url, "pulumi-cams:a"), SharedQuota(redis.url, "pulumi-cams:b")
    assert one.take(REGISTER, 1, Deadline(5)) is not None
    started = time.monotonic()
    assert other.take(REGISTER, 1, Deadline(5)) is not None  # a's second is full; b's is not
    assert time.monotonic() - started < 0.5


def test_the_key_is_the_explicit_one_or_a_digest_that_hides_the_access_key() -> None:
    assert store_key("5012345678901234", "cams.x", "ak:LTAI") == "pulumi-cams:5012345678901234"
    one = store_key(None, "cams.ap-southeast-1.aliyuncs.com", "ak:LTAI5tExample")
    assert "LTAI5tExample" not in one
    assert one != store_key(None, "cams.ap-southeast-1.aliyuncs.com", "ak:LTAI5tOther")
    assert one == store_key(None, "cams.ap-southeast-1.aliyuncs.com", "ak:LTAI5tExample")


def test_settings_read_the_store_as_a_secret_and_refuse_what_is_not_a_redis_url() -> None:
    settings = ProviderSettings.from_config(
        {}, {"CAMS_RATE_LIMIT_STORE": "redis://:hunter2@h:6379/0", "CAMS_RATE_LIMIT_KEY": "acct-1"}
    )
    assert settings.rate_limit_key == "acct-1"
    assert "hunter2" not in repr(settings)
    with pytest.raises(Exception) as refused:
        ProviderSettings.from_config({"cams:rateLimitStore": "http://h:6379"}, {})
    assert str(refused.value) == (
        "Invalid provider setting cams:rateLimitStore: expected a Redis URL such as "
        '"redis://host:6379/0" or "unix:///run/redis.sock". Fix it with `pulumi config set '
        "--secret cams:rateLimitStore <value>`."
    )


def test_an_unreachable_store_is_left_with_one_warning_that_masks_the_password(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    url = f"unix://{tmp_path / 'absent.sock'}?password=hunter2"
    quota = SharedQuota(url, "pulumi-cams:acct", clock=clock)
    started = time.monotonic()
    assert quota.take(REGISTER, 10, Deadline(5)) is None
    assert time.monotonic() - started < 1.0
    warning = quota.warning()
    assert warning == (
        f"rate limit store unix://{tmp_path / 'absent.sock'}?password=*** cannot be reached: "
        "this process paces its CAMS requests by itself (adaptive "
        f"control) until the store answers again (tried every {RETRY_S:g} s), and creates of "
        "one number in two pipelines are not kept apart meanwhile"
    )
    assert quota.warning() is None  # once
    assert not quota.available
    assert "hunter2" not in repr(quota)


def test_a_store_lost_mid_run_is_left_and_taken_back_when_it_answers_again(
    redis: RedisServer,
) -> None:
    clock = FakeClock()
    quota = SharedQuota(redis.url, "pulumi-cams:acct", clock=clock)
    assert quota.take(REGISTER, 10, Deadline(5)) is not None
    redis.stop()
    assert quota.take(REGISTER, 10, Deadline(5)) is None
    assert quota.warning() is not None
    redis.start()
    assert quota.take(REGISTER, 10, Deadline(5)) is None  # not tried again before RETRY_S
    clock.now += RETRY_S
    assert quota.take(REGISTER, 10, Deadline(5)) is not None
    assert quota.available and quota.warning() is None


def test_a_store_that_stops_answering_is_left_within_its_timeout(redis: RedisServer) -> None:
    quota = SharedQuota(redis.url, "pulumi-cams:acct")
    assert quota.take(REGISTER, 10, Deadline(5)) is not None
    redis.pause()
    try:
        started = time.monotonic()
        assert quota.take(REGISTER, 10, Deadline(5)) is None
        assert time.monotonic() - started < 0.5
    finally:
        redis.resume()
    assert quota.warning() is not None


def test_a_store_answering_nonsense_is_left(tmp_path: Path) -> None:
    path = tmp_path / "nonsense.sock"
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    listener.listen()
    stop = threading.Event()

    def answer() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    while conn.recv(4096):
                        conn.sendall(b":42\r\n")  # an integer, whatever was asked
                except OSError:
                    pass

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        quota = SharedQuota(f"unix://{path}", "pulumi-cams:acct")
        assert quota.take(REGISTER, 10, Deadline(5)) is None
        assert quota.warning() is not None
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=5)


def test_a_tls_url_to_a_store_without_tls_says_the_handshake_failed() -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never speaks TLS
    try:
        port = listener.getsockname()[1]
        quota = SharedQuota(f"rediss://127.0.0.1:{port}/0", "pulumi-cams:acct")
        assert quota.take(REGISTER, 10, Deadline(5)) is None
        assert quota.warning() == (
            f"rate limit store rediss://127.0.0.1:{port}/0 did not complete the TLS handshake "
            "(within 50 ms; a Redis without TLS takes redis://, not rediss://): this process "
            "paces its CAMS requests by itself (adaptive control) until the store answers again "
            f"(tried every {RETRY_S:g} s), and creates of one number in two pipelines are not "
            "kept apart meanwhile"
        )
    finally:
        listener.close()


def test_a_refused_connection_is_named() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    quota = SharedQuota(f"redis://127.0.0.1:{port}/0", "pulumi-cams:acct")
    assert quota.take(REGISTER, 10, Deadline(5)) is None
    warning = quota.warning()
    assert warning is not None
    assert "refused the connection: nothing listens at that address" in warning


def test_a_lease_held_elsewhere_for_the_whole_budget_fails_the_operation(
    redis: RedisServer,
) -> None:
    holder, waiter = (SharedQuota(redis.url, "pulumi-cams:acct") for _ in range(2))
    with holder.lease(SPACE, PENDING, Deadline(30)) as held:
        assert held
        with pytest.raises(CamsError) as refused, waiter.lease(SPACE, PENDING, Deadline(0.3)):
            pass
    assert str(refused.value) == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "OperationTimeout: another process sharing the rate limit store held the number's "
        "lease for the whole 0.3 s budget (it is creating or deleting the number). Retry later, "
        "or allow more time (cams:retryTimeout, CAMS_RETRY_TIMEOUT)."
    )


def test_a_second_process_waits_for_the_lease_of_the_first(redis: RedisServer) -> None:
    first, second = (
        SharedQuota(redis.url, "pulumi-cams:acct"),
        SharedQuota(redis.url, "pulumi-cams:acct"),
    )
    order: list[str] = []
    with first.lease(SPACE, PENDING, Deadline(30)) as held:
        assert held
        waiter = threading.Thread(target=lambda: _hold(second, order, "second"), daemon=True)
        waiter.start()
        time.sleep(0.3)
        order.append("first done")
    waiter.join(timeout=10)
    assert order == ["first done", "second"]


def _hold(quota: SharedQuota, order: list[str], name: str) -> None:
    with quota.lease(SPACE, PENDING, Deadline(30)) as held:
        assert held
        order.append(name)


def test_a_lease_expires_on_its_own_when_its_holder_never_ends(redis: RedisServer) -> None:
    holder, waiter = (
        SharedQuota(redis.url, "pulumi-cams:acct"),
        SharedQuota(redis.url, "pulumi-cams:acct"),
    )
    leases = holder.lease(SPACE, PENDING, Deadline(1.0))
    assert leases.__enter__()  # taken and never released, as by a process that died
    started = time.monotonic()
    with waiter.lease(SPACE, PENDING, Deadline(10)) as held:
        assert held
    assert 0.5 < time.monotonic() - started < 3.0


# --- through the provider processes ------------------------------------------------------


def _provider(emulator: EmulatorServer, store: str) -> DynamicProvider:
    process = DynamicProvider(env={"CAMS_RATE_LIMIT_STORE": store})
    process.configure(
        {
            "cams:endpoint": emulator.url,
            "cams:accessKeyId": DEMO_KEY[0],
            "cams:accessKeySecret": DEMO_KEY[1],
        }
    )
    return process


def _create_in_both(emulator: EmulatorServer, store: str) -> list[bool]:
    """Two provider processes (two pipelines) create the same number at once; whether each
    adopted it."""
    processes = [_provider(emulator, store) for _ in range(2)]
    try:
        props = {"custSpaceId": SPACE, "phoneNumber": PENDING, "verifyCode": CODE}

        def create(process: DynamicProvider) -> bool:
            _, outputs = process.create(process.check(props).inputs)
            return bool(outputs["adopted"])

        with ThreadPoolExecutor(max_workers=2) as pool:
            return sorted(pool.map(create, processes))
    finally:
        for process in processes:
            process.__exit__(None, None, None)


def test_two_pipelines_creating_one_number_make_one_register_call(
    emulator: EmulatorServer, redis: RedisServer
) -> None:
    # CAMS takes a second to answer the register: without a store both pipelines send one.
    ctl.faults(emulator.url, REGISTER, "delay", count=2, seconds=1.0)
    adopted = _create_in_both(emulator, redis.url)
    registers = [e for e in ctl.requests(emulator.url) if e["action"] == REGISTER]
    assert [(e["params"]["PhoneNumber"], e["code"]) for e in registers] == [(PENDING, "OK")]
    assert adopted == [False, True]
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "CONNECTED"


def test_a_store_that_is_down_fails_no_create(emulator: EmulatorServer, tmp_path: Path) -> None:
    adopted = _create_in_both(emulator, f"unix://{tmp_path / 'down.sock'}")
    registers = [e for e in ctl.requests(emulator.url) if e["action"] == REGISTER]
    assert [e["code"] for e in registers] in (["OK"], ["OK", "OK"])  # no lease: maybe two
    assert True in adopted or len(registers) == 2
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "CONNECTED"


def test_the_store_url_is_not_in_what_the_provider_says(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    store = f"unix://{tmp_path / 'down.sock'}?password=hunter2"
    with _provider(emulator, store) as process:
        process.create(
            process.check({"custSpaceId": SPACE, "phoneNumber": PENDING, "verifyCode": CODE}).inputs
        )
        assert "hunter2" not in process.stderr
        assert "password=***" in process.stderr


def test_a_throttled_answer_still_slows_the_process_with_a_store(
    emulator: EmulatorServer, redis: RedisServer
) -> None:
    # Another client may share the account without the store: CAMS's answer still counts.
    rates = AdaptiveRates()
    client = CamsClient(
        ProviderSettings(
            endpoint=emulator.url,
            access_key_id=DEMO_KEY[0],
            access_key_secret=SecretStr(DEMO_KEY[1]),
            rate_limit_store=SecretStr(redis.url),
        ),
        retry_policy=RetryPolicy(deadline=10, base=0.01, cap=0.05),
        rates=rates,
    )
    ctl.faults(emulator.url, "QueryChatappPhoneNumbers", "throttle", count=1)
    assert len(client.query_chatapp_phone_numbers(SPACE)) > 0
    assert client.allowed_rate("QueryChatappPhoneNumbers") < 10
    codes = [e["code"] for e in ctl.requests(emulator.url)]
    assert codes == ["System.LimitControl", "OK"]
    assert client.quota is not None and client.quota.warning() is None  # the store answered


def test_a_store_without_the_store_extra_is_a_settings_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    from pulumi_cams_provider.cams.errors import SettingsError
    from pulumi_cams_provider.cams.pacing import shared_quota

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "redis" else real(name, *a)
    )
    with pytest.raises(SettingsError) as missing:
        shared_quota.shared_quota("redis://:hunter2@h:6379/0", "pulumi-cams:acct")
    assert str(missing.value) == (
        "Invalid provider setting cams:rateLimitStore: a rate limit store needs redis-py, which "
        "pulumi-cams installs only with its store extra. Install `pip install "
        "'pulumi-cams[store]'` where the provider runs (the program's virtualenv, or the "
        "plugin's), or unset the setting."
    )


_NAMESPACE_OF = """
import sys
from pulumi_cams_provider.cams.client import CamsClient
from pulumi_cams_provider.cams.settings import ProviderSettings
from pulumi_cams_provider.controller.registration import RegistrationController
from pulumi_cams_provider.controller.session import CamsSession
config = {"cams:endpoint": "http://127.0.0.1:9", "cams:profile": "ci",
          "cams:rateLimitStore": sys.argv[1]}
settings = ProviderSettings.from_config(config)
RegistrationController(CamsSession(settings))  # as configure builds it: nothing resolved yet
print(any(m.startswith("alibabacloud_credentials") for m in sys.modules))
print(repr(CamsClient(settings).quota))
"""


def test_processes_of_two_accounts_under_one_profile_name_never_meet(
    redis: RedisServer, tmp_path: Path
) -> None:
    """The store's namespace names the access key a profile resolves to, not the profile's
    name: two runners whose `ci` profiles hold keys of two accounts keep apart, and two whose
    profiles hold one key meet. Nothing is resolved when the provider is configured (preview)."""
    import subprocess
    import sys

    def namespace(key: tuple[str, str]) -> str:
        home = tmp_path / key[0]
        (home / ".alibabacloud").mkdir(parents=True, exist_ok=True)
        (home / ".alibabacloud" / "credentials.ini").write_text(
            f"[ci]\ntype = access_key\naccess_key_id = {key[0]}\naccess_key_secret = {key[1]}\n"
        )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA", "ALICLOUD"))},
            "HOME": str(home),
            "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
        }
        done = subprocess.run(
            [sys.executable, "-c", _NAMESPACE_OF, redis.url],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        loaded_at_configure, shown = done.stdout.splitlines()[-2:]
        assert loaded_at_configure == "False"
        assert key[0] not in shown and key[1] not in shown
        return shown

    demo, other = namespace(DEMO_KEY), namespace(OTHER_TENANT_KEY)
    assert demo != other
    assert namespace(DEMO_KEY) == demo
