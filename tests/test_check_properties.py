"""check under random input: never an exception, never a network call, a failure per bad property.

check runs at preview on whatever a program (in any language, through the engine's protobuf
Struct) hands it: odd unicode, megabyte strings, floats for phone numbers, nested lists, the
engine's unknown sentinel. Both entry points are driven: the controller's, with a client that
fails loudly if touched, and the dynamic provider's, with sockets blocked.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.runtime import rpc
from pulumi_cams_provider.controller.checks import check_inputs
from pulumi_cams_provider.controller.validation import (
    UNKNOWN,
    normalize_phone_number,
    validate_cust_space_id,
    validate_verify_code,
)
from pulumi_cams_provider.dynamic import PhoneNumberRegistrationProvider
from pulumi_cams_provider.resource import INPUT_PROPERTIES, OUTPUT_PROPERTIES

MAX_REASON = 400  # a reason is read by a person: it never quotes a huge value in full

PROPERTY_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("check opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


odd_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
) | st.sampled_from(
    [
        "",
        " ",
        "\u200b8613800001234",  # zero-width space
        "+\u0668\u0666 138 0000 1234",  # Arabic-Indic digits
        "８６１３８０００01234",  # full-width digits
        "+86\u00a0138\u20110000\u20111234",  # no-break space, non-breaking hyphen
        "cams-demo-space\n",
        "cams/demo",
        "0086 138 0000 1234",
        "+86 (138) 0000.1234",
        "💬📱",
        "\x00\x01",
    ]
)
# Built once: generating and shrinking megabyte strings would dominate the run.
huge_text = st.sampled_from(["9" * 1_000_000, "+86 " + "1" * 300_000, "cams " * 50_000])
numbers = (
    st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([8613800001234.0, 8.6138e12, 1e308, -0.0, 2**70])
)
scalars = st.none() | st.booleans() | numbers | odd_text | huge_text | st.just(UNKNOWN)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=6,
)
names = (
    st.sampled_from(
        [
            *INPUT_PROPERTIES,
            *OUTPUT_PROPERTIES,
            "phone_number",
            "custSpaceID",
            "__provider",
            "colour",
        ]
    )
    | odd_text.filter(bool)
    | st.just("x" * 200_000)
)
bags = st.dictionaries(names, values, max_size=8)


def invalid(name: str, value: Any) -> bool:
    """Whether ``value`` is a bad value of input property ``name`` (the oracle)."""
    if value is UNKNOWN:
        return False
    if name == "deregisterOnDelete":
        return value is not None and not isinstance(value, bool)
    validate = {
        "custSpaceId": validate_cust_space_id,
        "phoneNumber": normalize_phone_number,
        "verifyCode": validate_verify_code,
    }[name]
    try:
        validate(value)
    except ValueError:
        return True
    return False


def expected_failures(news: dict[str, Any]) -> set[str]:
    """Every property check must name."""
    named = set()
    for name, value in news.items():
        if name.startswith("__"):
            continue
        if name in INPUT_PROPERTIES:
            if invalid(name, value):
                named.add(name)
        elif name not in OUTPUT_PROPERTIES or value is not None:
            named.add(name)
    for required in ("custSpaceId", "phoneNumber"):
        if news.get(required) is None:
            named.add(required)
    return named


def assert_sound(news: dict[str, Any], failures: list[tuple[str, str]]) -> None:
    named = {prop for prop, _ in failures}
    assert named == expected_failures(news)
    for prop, reason in failures:
        assert isinstance(reason, str) and reason, prop
        assert len(reason) <= MAX_REASON, (prop, len(reason))
        assert "\n" not in reason, prop
    code = news.get("verifyCode")
    if isinstance(code, str) and len(code.strip()) >= 3:
        # The code is a secret: never quoted back, whatever is wrong with it.
        assert all(code.strip() not in reason for prop, reason in failures if prop == "verifyCode")


@PROPERTY_SETTINGS
@given(olds=bags, news=bags)
def test_check_inputs_is_total_and_offline(
    no_network: None, olds: dict[str, Any], news: dict[str, Any]
) -> None:
    outcome = check_inputs(news, olds)
    assert_sound(news, [(f.property, f.reason) for f in outcome.failures])
    if not outcome.failures:
        assert set(outcome.inputs) <= set(INPUT_PROPERTIES)


def to_engine(value: Any) -> Any:
    """What the dynamic host hands check: unknowns as the sentinel string."""
    if value is UNKNOWN:
        return rpc.UNKNOWN
    if isinstance(value, list):
        return [to_engine(v) for v in value]
    if isinstance(value, dict):
        return {k: to_engine(v) for k, v in value.items()}
    return value


@PROPERTY_SETTINGS
@given(news=bags)
def test_dynamic_check_is_total_and_offline(no_network: None, news: dict[str, Any]) -> None:
    provider = PhoneNumberRegistrationProvider()
    result = provider.check({}, {k: to_engine(v) for k, v in news.items()})
    failures = [(f.property, f.reason) for f in result.failures or []]
    assert_sound(news, failures)
    for name, value in news.items():
        if value is UNKNOWN and name in INPUT_PROPERTIES:
            assert result.inputs[name] == rpc.UNKNOWN


@PROPERTY_SETTINGS
@given(phone=numbers)
def test_numeric_phone_numbers(no_network: None, phone: Any) -> None:
    outcome = check_inputs({"custSpaceId": "cams-demo-space", "phoneNumber": phone})
    if invalid("phoneNumber", phone):
        assert [f.property for f in outcome.failures] == ["phoneNumber"]
    else:
        assert outcome.failures == []
        assert outcome.inputs["phoneNumber"].isdigit()
