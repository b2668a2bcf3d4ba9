"""The messages a page shows after something is done, as one GOV.UK notification banner.

The Design System shows one banner at a time. When every message says something was done,
it is the success banner ("Success", announced as an alert). When any message says what must
happen next (issue 19 point 6: "Strategy meeting due by 14:30 on 6 December 2026"), it is
the important banner, headed by that message, with the rest below; what was done comes last.
Knows no domain: the views decide the messages (`mace.worklist.next_steps`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Banner:
    success: bool
    heading: str
    lines: list[str]
    # Announced at once when it follows something the user just did.
    alert: bool


def banner(messages: Iterable[Any] | None) -> Banner | None:
    """The banner for the request's messages (django.contrib.messages), or None."""
    if not messages:
        return None
    texts = [(str(message), getattr(message, "level_tag", "")) for message in messages]
    if not texts:
        return None
    done = [text for text, tag in texts if tag == "success"]
    important = [text for text, tag in texts if tag != "success"]
    if not important:
        return Banner(success=True, heading=done[0], lines=done[1:], alert=True)
    ordered = important + done
    return Banner(success=False, heading=ordered[0], lines=ordered[1:], alert=bool(done))
