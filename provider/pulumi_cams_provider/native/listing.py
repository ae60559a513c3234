"""The protocol's List for every resource: a space's registered numbers (each has a
registration, a business profile and a webhook to import), a page at a time (`pulumi do
<token> list`). Pages continue at an offset, which is the whole continuation token this
provider gives."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..cams.errors import InvalidInput
from ..controller import validation
from ..controller.import_document import registration_name
from ..description import ResourceDescription

__all__ = ["page"]


async def page(
    resource: ResourceDescription,
    registered: Callable[[str], Awaitable[list[str]]],
    query: dict[str, Any],
    start: str,
    page_size: int,
    limit: int,
) -> tuple[list[tuple[str, str]] | None, str]:
    """The (ID, name) of each registered number of the query's space (``registered`` lists
    them), from ``start`` ("" for the first page), and the next page's start ("" when this is
    the last). None for the page when the space is not known yet (a preview)."""
    space = query.get("custSpaceId")
    if validation.is_unknown(space):
        return None, ""
    if space is None:
        raise InvalidInput(
            f"List of {resource.token} needs custSpaceId, the space whose registered numbers "
            "to list (pulumi do: --cust-space-id <space>)"
        )
    try:
        space = validation.validate_cust_space_id(space)
    except ValueError as err:
        raise InvalidInput(f"custSpaceId {err}") from None
    if not (start or "0").isdigit():
        raise InvalidInput(f"continuation token {start!r} was not given by this provider")
    numbers = await registered(space)
    if limit > 0:
        numbers = numbers[:limit]
    offset = int(start or 0)
    end = len(numbers) if page_size < 1 else offset + page_size
    rows = [
        (f"{space}/{phone}", registration_name(space, phone, resource.name)) for phone in numbers
    ]
    return rows[offset:end], (str(end) if end < len(numbers) else "")
