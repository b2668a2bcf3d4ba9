"""Log formatting that keeps personal data out of the logs (C11, issue 8).

Paths carry opaque identifiers only, by design. Exception messages are another matter: a
database error quotes the values it refused, a validation error the text it was given. So a
logged exception shows its type and where it happened, frame by frame, but not its message.
"""

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class WithoutExceptionMessages(logging.Formatter):
    def formatException(self, ei: ExcInfo) -> str:  # type: ignore[override]
        kind, _, tb = ei
        frames = "".join(traceback.format_tb(tb))
        return (
            f"Traceback (most recent call last):\n{frames}"
            f"{kind.__module__}.{kind.__qualname__}: (message withheld: it may hold personal data)"
        )
