"""Refresh: N reads (and a larger fleet of registered numbers) and the listings they cost,
against the bound ceil(N / 25)."""

from __future__ import annotations

import math
import time
from typing import Any

from bench.harness import FLEET_SPACE, LIST, fleet_phone, pool_map, provider
from bench.report import Row
from tests.support import emulator_control as ctl

PER_LISTING = 25
"""Reads one listing should serve, at least: the bound is ceil(N / 25) listings."""


def run_refresh(
    url: str, rate: float, states: list[tuple[str, dict[str, Any]]], *, share: bool
) -> tuple[int, float, int]:
    """(list calls, seconds, resources reported gone) for reading every state once."""
    with provider(url, rate, share=share) as process:
        ctl.clear_requests(url)
        started = time.perf_counter()
        results = pool_map(
            lambda i: process.read(states[i][0], states[i][1], name=f"r{i}"), len(states)
        )
        seconds = time.perf_counter() - started
    gone = sum(not rid for rid, _ in results)
    # Answered listings only: a listing CAMS refused (System.LimitControl) is retried, and
    # happens when a previous provider process still fills the window.
    answered = sum(e["action"] == LIST and e["code"] == "OK" for e in ctl.requests(url))
    return answered, seconds, gone


def fleet_states(fleet: int) -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            f"{FLEET_SPACE}/{fleet_phone(i)}",
            {"custSpaceId": FLEET_SPACE, "phoneNumber": fleet_phone(i)},
        )
        for i in range(fleet)
    ]


def rows(
    created: tuple[int, float, int],
    fleet_read: tuple[int, float, int],
    naive: tuple[int, float, int],
    n: int,
    fleet: int,
) -> list[Row]:
    """The rows for `run_refresh`'s figures: of the N created, of the fleet, and naive."""
    (lists, seconds, gone), (fleet_lists, fleet_s, fleet_gone) = created, fleet_read
    naive_lists, naive_s, _ = naive
    bound, fleet_bound = math.ceil(n / PER_LISTING), math.ceil(fleet / PER_LISTING)
    return [
        Row(
            f"refresh x{n}: list calls",
            f"{lists} in {seconds:.2f} s (naive {naive_lists} in {naive_s:.2f} s)",
            f"<= ceil({n}/{PER_LISTING}) = {bound}",
            lists <= bound and gone == 0,
        ),
        Row(
            f"refresh x{fleet}: list calls",
            f"{fleet_lists} in {fleet_s:.2f} s",
            f"<= ceil({fleet}/{PER_LISTING}) = {fleet_bound}",
            fleet_lists <= fleet_bound and fleet_gone == 0,
        ),
    ]
