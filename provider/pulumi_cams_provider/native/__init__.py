"""The native provider plugin, ``pulumi-resource-cams``: the ``cams`` package for every Pulumi
language. `provider` translates the engine's requests to the controller, `server` serves it
over gRPC, `listing` answers List and `property_values` converts wire values."""

from .server import main

__all__ = ["main"]
