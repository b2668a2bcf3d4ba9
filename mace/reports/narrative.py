"""The annual report's narrative (issue 19 point 7): the words a partnership writes between
the figures, as the seeds' reports to the board carry them ("Describe the issue",
"Background", a commentary under each set of figures, "Summary"). An introduction before
the figures, a commentary under each section of `output.sections`, and conclusions and
recommendations after them, kept with the period (`ReportNarrative`), written through
`services.report_narrative_save`."""

from dataclasses import dataclass

from mace.reports.annual import Period
from mace.reports.models import ReportNarrative

INTRODUCTION = "introduction"
CONCLUSIONS = "conclusions"

# Each section's key and heading, in the report's order: the keys between the first and the
# last are those of `output.sections`.
SECTIONS: dict[str, str] = {
    INTRODUCTION: "Introduction",
    "summary": "Summary",
    "legal_status": "Legal status at the time",
    "monthly": "Month by month",
    "when": "When episodes start",
    "who": "Who goes missing",
    "placements": "Placements and going missing together",
    "interviews": "Return interviews",
    "exploitation": "Exploitation",
    CONCLUSIONS: "Conclusions and recommendations",
}

# Long enough for several pages of a board report's section; a character count shows it.
MAX_CHARACTERS = 10_000


@dataclass(frozen=True)
class Narrative:
    """A period's narrative: each section's text (blank sections left out), and who last
    changed any of it and when (None when nothing is written)."""

    texts: dict[str, str]
    changed_by: str | None = None
    changed_at: object = None

    def __bool__(self) -> bool:
        return bool(self.texts)


def for_period(period: Period) -> Narrative:
    rows = list(
        ReportNarrative.objects.filter(
            report=ReportNarrative.Report.ANNUAL,
            period_start=period.start,
            period_end=period.end,
        ).select_related("updated_by")
    )
    if not rows:
        return Narrative(texts={})
    latest = max(rows, key=lambda row: row.updated_at)
    order = list(SECTIONS)
    rows.sort(key=lambda row: order.index(row.section) if row.section in order else len(order))
    return Narrative(
        texts={row.section: row.text for row in rows},
        changed_by=latest.updated_by.display_name if latest.updated_by else None,
        changed_at=latest.updated_at,
    )
