"""Push and pull factors for going missing, as listed by seed 001 (GSCB audit, 2013)."""

from django.db import models


class PushPullFactor(models.TextChoices):
    # Pull: what draws a child away.
    PEER_INFLUENCE = "peer_influence", "Peer influence"
    GANG = "gang", "Gang involvement"
    OFFENDING = "offending", "Offending"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    ADULT_INFLUENCE = "adult_influence", "Influence of adults"
    RUNNING_HOME = "running_home", "Being in care and running home"
    # Push: what drives a child away.
    CONFLICT = "conflict", "Arguments and conflicts"
    PLACEMENT_CONFLICT = "placement_conflict", "Conflict within a care placement"
    FAMILY_RELATIONSHIPS = "family_relationships", "Poor family relationships"
    BOUNDARIES = "boundaries", "Issues with boundaries and control"
    SCHOOL = "school", "School related difficulties"
    BULLYING = "bullying", "Bullying"
    ABUSE_OR_NEGLECT = "abuse_or_neglect", "Physical, sexual or emotional abuse, or neglect"


PULL_FACTORS = frozenset(
    {
        PushPullFactor.PEER_INFLUENCE,
        PushPullFactor.GANG,
        PushPullFactor.OFFENDING,
        PushPullFactor.SUBSTANCE_MISUSE,
        PushPullFactor.ADULT_INFLUENCE,
        PushPullFactor.RUNNING_HOME,
    }
)
PUSH_FACTORS = frozenset(set(PushPullFactor) - PULL_FACTORS)


# Every code, to check one against (going through the enum's members each time is slow: the
# import checks every episode's factors).
PUSH_PULL_CODES = frozenset(PushPullFactor.values)
