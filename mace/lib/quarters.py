"""Quarters of the calendar year, as the dataset (003 A7) and the MASE (003 A6) use them,
written "2026Q3". One helper, so reports and pages agree on where a quarter starts."""

import datetime
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """ "2026Q3" -> Quarter(2026, 3); a ValueError that says what is expected otherwise."""
        match = _PATTERN.match(text.strip().upper())
        if match is None:
            raise ValueError(
                f"“{text}” is not a quarter: write it as a year, Q and 1 to 4, like 2026Q3"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The quarter's first moment and the first moment after it, UK time (aware)."""
        from django.utils import timezone

        first = timezone.make_aware(datetime.datetime.combine(self.start, datetime.time(0)))
        after = timezone.make_aware(datetime.datetime.combine(self.next().start, datetime.time(0)))
        return first, after

    def last(self, count: int) -> list["Quarter"]:
        """The `count` quarters ending with this one, oldest first."""
        out = [self]
        while len(out) < count:
            out.insert(0, out[0].previous())
        return out

    @property
    def label(self) -> str:
        return f"{self.start:%B} to {self.end:%B %Y}"
