"""Many registrations at once: none lost, none doubled; listings shared; a light first Check."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cams_emulator import DEMO_SEED_PATH, EmulatorServer, load_seed
from pulumi_cams_provider.cams import actions
from pulumi_cams_provider.cams.retry import RetryPolicy
from pulumi_cams_provider.cams.settings import ProviderSettings
from pulumi_cams_provider.controller.registration import RegistrationController
from pulumi_cams_provider.controller.session import CamsSession
from pydantic import SecretStr

from tests.support import emulator_control as ctl
from tests.support.demo_seed import DEMO_KEY

SPACE = "cams-scale-space"
REGISTER = actions.VERIFY_AND_REGISTER
LIST = actions.QUERY_PHONE_NUMBERS
COUNT = 100


def phone(i: int) -> str:
    return f"861790{i:07d}"


def code(i: int) -> str:
    return f"{700000 + i}"


def test_a_hundred_concurrent_creates_register_each_number_once(
    emulator: EmulatorServer,
) -> None:
    seed = load_seed(DEMO_SEED_PATH)
    seed["spaces"].append({"custSpaceId": SPACE, "accountId": "5012345678901234"})
    seed["phoneNumbers"] += [
        {
            "custSpaceId": SPACE,
            "phoneNumber": phone(i),
            "status": "PENDING",
            "codeVerificationStatus": "NOT_VERIFIED",
            "verifiedName": f"Scale {i}",
            "verifyCode": code(i),
        }
        for i in range(COUNT)
    ]
    ctl.seed(emulator.url, seed)
    ctl.set_qps(emulator.url, 1000)  # the limit is tested elsewhere; here, speed
    settings = ProviderSettings(
        endpoint=emulator.url,
        access_key_id=DEMO_KEY[0],
        access_key_secret=SecretStr(DEMO_KEY[1]),
        requests_per_second=1000,
    )
    controller = RegistrationController(
        CamsSession(settings, retry_policy=RetryPolicy(deadline=10))
    )

    def create(i: int) -> dict[str, Any]:
        props = {"custSpaceId": SPACE, "phoneNumber": f"+{phone(i)}", "verifyCode": code(i)}
        return controller.create(props).outputs

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=24) as pool:
        outputs = list(pool.map(create, range(COUNT)))
    elapsed = time.monotonic() - started

    assert [o["phoneNumber"] for o in outputs] == [phone(i) for i in range(COUNT)]
    assert {o["status"] for o in outputs} == {"CONNECTED"}
    assert not any(o["adopted"] for o in outputs)
    log = ctl.requests(emulator.url)
    registers = Counter(e["params"]["PhoneNumber"] for e in log if e["action"] == REGISTER)
    assert registers == Counter({phone(i): 1 for i in range(COUNT)})
    assert all(e["code"] == "OK" for e in log)
    live = {n["phoneNumber"]: n["status"] for n in ctl.state(emulator.url)["phoneNumbers"]}
    assert all(live[phone(i)] == "CONNECTED" for i in range(COUNT))
    listings = sum(e["action"] == LIST for e in log)
    print(f"\n{COUNT} creates, 24 threads: {elapsed:.2f} s, {listings} listings")
    assert listings < 2 * COUNT  # observations were shared


PREVIEW_IN_A_FRESH_PROCESS = """
import sys
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_cams_provider.dynamic import PhoneNumberRegistrationProvider

provider = PhoneNumberRegistrationProvider()
provider.configure(ConfigureRequest(Config({"cams:endpoint": "http://127.0.0.1:9"}, "p")))
checked = provider.check({}, {"custSpaceId": "s", "phoneNumber": "+86 138-0000-1234",
                              "verifyCode": "246810"})
assert not checked.failures, checked.failures
provider.diff("s/8613800001234", {"custSpaceId": "s", "phoneNumber": "8613800001234"},
              checked.inputs)
heavy = ("alibabacloud", "darabonba", "Tea", "pydantic", "requests")
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_preview_loads_neither_the_alibaba_sdk_nor_pydantic() -> None:
    # The first Check of a fresh provider process must be about as fast as a trivial
    # provider's (bench/startup.py measures it): configure, check and diff stay light.
    result = subprocess.run(
        [sys.executable, "-c", PREVIEW_IN_A_FRESH_PROCESS],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
