"""Reading documents and what they are drawn from. Reads that open a child ask mace.access."""

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from mace.accounts.models import User
from mace.documents.models import DirectorLetter
from mace.people import selectors as people_selectors
from mace.people.models import Child, LocalAuthority, Placement
from mace.worklist.engine import load_facts
from mace.worklist.thresholds import thresholds


@dataclass(frozen=True)
class LetterEligibility:
    """Whether the child is due a director-to-director letter, and if not, why not."""

    placement: Placement | None
    episode_count: int
    threshold: int
    reason: str = ""

    @property
    def eligible(self) -> bool:
        return not self.reason

    @property
    def placing_authority(self) -> LocalAuthority | None:
        return self.placement.placing_authority if self.placement is not None else None


def director_letter_eligibility(child: Child) -> LetterEligibility:
    """003 §15: a child placed here by another authority with three or more episodes (T11),
    and no letter yet for that many.

    The child's current placement must be made by an authority other than the home
    authority. Episodes count as T11 counts them: those from a placement by that same
    placing authority (the episode's own placement, else the one on the day last seen), so
    that preparing the letter always closes the T11 item it answers.
    """
    th = thresholds()
    facts = load_facts(child)
    current = facts.placement_at(facts.now)
    threshold = th.director_letter_episodes
    if child.is_merged:
        return LetterEligibility(None, 0, threshold, "This record was merged into another")
    if current is None:
        return LetterEligibility(
            None,
            0,
            threshold,
            "The letter is for a looked after child, and this child has no "
            "current placement recorded",
        )
    if current.placing_authority.ons_code == th.home_authority_ons_code:
        return LetterEligibility(
            current,
            0,
            threshold,
            "The letter is for a child placed here by another authority, "
            "and this child is placed by the home authority",
        )
    count = 0
    for episode in facts.episodes:
        placement = facts.placed_by_other_authority(episode, th.home_authority_ons_code)
        if placement is not None and placement.placing_authority_id == current.placing_authority_id:
            count += 1
    if count < threshold:
        return LetterEligibility(
            current,
            count,
            threshold,
            f"The letter is for a child with {threshold} or more missing episodes while "
            f"placed by {current.placing_authority.name}, and this child has {count}",
        )
    already = DirectorLetter.objects.filter(
        child=child, placing_authority_id=current.placing_authority_id, episode_count=count
    ).exists()
    if already:
        return LetterEligibility(
            current,
            count,
            threshold,
            f"A letter for these {count} episodes has already been prepared",
        )
    return LetterEligibility(current, count, threshold)


def director_letters_for_child(child: Child) -> QuerySet[DirectorLetter]:
    """The child's letters, newest first. The caller has opened the child (child_get)."""
    return DirectorLetter.objects.filter(child=child).select_related(
        "placing_authority", "prepared_by"
    )


def director_letter_get(*, actor: User, public_id: uuid.UUID | str) -> DirectorLetter:
    """Open a letter for the actor: only if they may open the child's record (logged).

    Raises PermissionDenied, or people.selectors.ReasonRequired for a restricted record.
    """
    letter = get_object_or_404(
        DirectorLetter.objects.select_related("child", "placing_authority"), public_id=public_id
    )
    letter.child = people_selectors.child_get(actor=actor, public_id=letter.child.public_id)
    return letter
