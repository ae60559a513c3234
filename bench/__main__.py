"""How close pulumi-cams gets to CAMS's physical limit: `make bench` (`python -m bench`), and
`make bench-shared` for many pipelines on one account.

One scenario per module, each returning its rows with their targets beside them:
`throughput`, `refresh`, `configuration` (the profile and webhook), `importing`, `startup` (the
quick rows, about a minute) and `shared`
(about 35 minutes); `harness` is what they run on. The script exits 1 when a target is missed,
so that a regression is loud.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench import configuration, importing, refresh, shared, startup, throughput
from bench.harness import CONCURRENCY, clean_environment, emulator, machine, make_seed
from bench.report import Row, print_table, write_into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="registrations (default 60)")
    parser.add_argument("--rate", type=int, default=10, help="L: requests/s per action")
    parser.add_argument("--fleet", type=int, default=300, help="registered numbers to refresh")
    parser.add_argument("--startup-runs", type=int, default=7)
    parser.add_argument(
        "--shared", action="store_true", help="the shared-account (K processes) rows instead"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="repetitions of the shared-account runs; targets hold for the worst (default 3)",
    )
    parser.add_argument(
        "--case",
        action="append",
        metavar="PxN",
        help="with --shared: only this case, P processes x N creates (repeat for more)",
    )
    parser.add_argument(
        "--control",
        action="append",
        choices=shared.CONTROLS,
        help="with --shared: only this control (repeat for more)",
    )
    parser.add_argument(
        "--spaces", type=int, action="append", help="with --shared: only this layout"
    )
    parser.add_argument(
        "--readme",
        type=Path,
        help="write the table into this page's <!-- bench: quick|shared --> block too",
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="print each shared run's register calls per second and process",
    )
    args = parser.parse_args(argv)
    clean_environment()
    with tempfile.TemporaryDirectory() as tmp:
        seed_file = Path(tmp) / "seed.json"
        seed_file.write_text(json.dumps(make_seed(args.n, args.fleet)))
        with emulator(seed_file, args.rate) as url:
            print(f"emulator {url}, qps {args.rate}; {machine()}", file=sys.stderr)
            if args.shared:
                cases = tuple((int(p), int(n)) for p, n in (c.split("x") for c in args.case or []))
                runs = shared.run_cases(
                    url,
                    args.rate,
                    args.repeat,
                    cases or shared.CASES,
                    tuple(args.spaces or shared.LAYOUTS),
                    tuple(args.control or shared.CONTROLS),
                )
                if args.trace:
                    shared.print_timelines(runs)
                rows = shared.rows(runs, args.rate)
            else:
                rows = _quick_rows(url, args, Path(tmp))
    title = (
        f"pulumi-cams bench: N={args.n}, L={args.rate}/s, {CONCURRENCY} concurrent gRPC calls; "
        f"{machine()}"
    )
    if args.readme is not None:
        part = "shared" if args.shared else "quick"
        whole = not (args.case or args.control or args.spaces)
        if part == "quick" or whole:  # a cut of the shared set is not the page's table
            write_into(args.readme, part, title, rows)
    return print_table(title, rows)


def _quick_rows(url: str, args: argparse.Namespace, tmp: Path) -> list[Row]:
    """The quick scenarios, in an order where each finds the emulator as it needs it."""
    n, rate = args.n, args.rate
    startup_figures = startup.run_startup(url, args.startup_runs)
    sdk_modules = startup.sdk_imported_by_preview()
    created = throughput.run_creates(url, n, rate, share=True)
    preview_calls = startup.run_preview(url, rate, created.outputs)
    configured = configuration.run_configuration(url, rate, n)
    refreshed = refresh.run_refresh(url, rate, created.outputs, share=True)
    fleet_read = refresh.run_refresh(url, rate, refresh.fleet_states(args.fleet), share=True)
    imported = importing.run_import(url, rate, tmp)
    naive = throughput.run_creates(url, n, rate, share=False)
    naive_read = refresh.run_refresh(url, rate, naive.outputs, share=False)
    return [
        *throughput.rows(created, naive, n, rate),
        *refresh.rows(refreshed, fleet_read, naive_read, n, args.fleet),
        *configuration.rows(configured, rate, n),
        *importing.rows(imported, args.fleet),
        *startup.rows(preview_calls, n, startup_figures, args.startup_runs, sdk_modules),
    ]


if __name__ == "__main__":
    sys.exit(main())
