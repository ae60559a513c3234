"""A faithful stand-in for Alibaba Cloud CAMS on loopback, for tests and for users' CI.

`EmulatorServer` serves the CAMS RPC API (signed with ACS3-HMAC-SHA256) plus test controls
under ``/_emulator/``; `load_seed` reads a seed file; `DEMO_SEED_PATH` is the standard seed.
What is faithful to the documentation and what is invented is listed in COVERAGE.md.
"""

from .seed import DEMO_SEED_PATH, SeedError, load_seed
from .server import EmulatorServer

__all__ = ["DEMO_SEED_PATH", "EmulatorServer", "SeedError", "load_seed"]
