"""The rules of SPEC section 4 in words, for the worklists' filters and tables (issue 19:
labels in words, never codes)."""

RULE_NAMES: dict[str, str] = {
    "T1": "Police risk grade",
    "T2": "Social worker and parents notified",
    "T3": "Strategy meeting (looked-after child)",
    "T4": "Safe and well check within 1 hour (high risk)",
    "T5": "Safe and well check within 3 hours",
    "T6": "Referral when it may be unsafe to return",
    "T7": "Return home interview",
    "T8": "Referral for a return interview (looked-after child)",
    "T9": "Home Office informed",
    "T10": "Placing authority informed",
    "T11": "Letter to the placing authority's director",
    "T12": "Health assessment offered",
    "T13": "Referral after significant harm",
    "T14": "Front door referral",
    "T15": "Risk assessment review",
    "T16": "Discussed in supervision",
    "T17": "School notification",
    "T18": "Reasonable enquiries",
    "T19": "Fair access panel",
    "T20": "Transition to adult services",
    "T21": "Panel minutes circulated",
    "A3": "Disruption plan action",
    "ACT": "Meeting action",
}


def rule_name(code: str) -> str:
    """The rule in words; an unknown code as it is."""
    return RULE_NAMES.get(code, code)
