"""``python -m cams_emulator``: serve the emulator until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType
from typing import Literal

from . import DEMO_SEED_PATH, EmulatorServer, SeedError, load_seed


def main(
    argv: list[str] | None = None,
    prog: str = "python -m cams_emulator",
    seed: Literal["empty", "demo"] = "empty",
) -> int:
    """Parse the arguments, print the base URL as the first stdout line, serve. ``seed`` is
    the state without ``--seed``: none, or the demo seed (what ``pulumi-cams emulator``
    serves)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", help=f"seed JSON file (default: {seed} state)")
    parser.add_argument("--qps", type=int, default=10, help="requests/s per account and action")
    args = parser.parse_args(argv)
    if args.qps < 1:
        parser.error("--qps must be at least 1")
    path = args.seed or (DEMO_SEED_PATH if seed == "demo" else None)
    try:
        state = load_seed(path) if path else None
    except SeedError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    try:
        server = EmulatorServer(host=args.host, port=args.port, qps=args.qps, seed=state)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        parser.exit(
            2, f"{parser.prog}: error: cannot listen on {args.host}:{args.port}: {reason}\n"
        )
    if not _is_loopback(args.host):
        print(
            f"{parser.prog}: warning: listening on {args.host}, not loopback: anyone who can "
            "reach it can reset the emulator and read its code inbox",
            file=sys.stderr,
            flush=True,
        )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Both, explicitly: a process started from a background job inherits SIGINT as ignored,
    # and Python then never turns it into KeyboardInterrupt.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(server.url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


if __name__ == "__main__":
    sys.exit(main())
