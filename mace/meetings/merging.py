"""A child's two records merged (people.services.child_merge) where both were on one meeting's
agenda under the same section: one agenda entry a section is the rule (AgendaItem's
constraint), so the merged record's entry is folded into the kept one's rather than dropped
with what was said, the agencies' views and the actions agreed."""

from mace.meetings.models import AgencyRiskView, AgendaItem
from mace.people.models import Child


def fold_agenda_entries(*, source: Child, target: Child) -> int:
    """Fold each agenda entry of `source` that `target` has too (same meeting and section)
    into the target's: the discussion and decisions follow the target's, headed with the
    source's reference; reasons the target's entry lacks are added; each agency's view moves
    unless the agency gave one for the target, when it is written into the discussion; the
    actions agreed move to the target's entry (their child moves with the merge). Entries
    only the source has are left for the merge to move. Returns how many were folded."""
    folded = 0
    for item in AgendaItem.objects.filter(child=source).order_by("pk"):
        kept = (
            AgendaItem.objects.select_for_update()
            .filter(meeting_id=item.meeting_id, section=item.section, child=target)
            .first()
        )
        if kept is None:
            continue
        heading = f"From the merged record {source.reference}:"
        views_given = {view.agency_id: view for view in kept.risk_views.all()}
        clashing = [
            view
            for view in item.risk_views.select_related("agency").order_by("agency__name")
            if view.agency_id in views_given
        ]
        discussion = item.discussion
        if clashing:
            discussion = "\n".join(
                [discussion]
                + [
                    f"{view.agency.name}'s view of the risk: {view.get_level_display()}"
                    + (f" ({view.note})" if view.note else "")
                    for view in clashing
                ]
            ).strip()
        kept.discussion = _joined(kept.discussion, discussion, heading)
        kept.decisions = _joined(kept.decisions, item.decisions, heading)
        kept.reasons = [*kept.reasons, *(r for r in item.reasons if r not in kept.reasons)]
        times = [t for t in (kept.discussed_at, item.discussed_at) if t is not None]
        kept.discussed_at = min(times) if times else None
        kept.save(
            update_fields=["discussion", "decisions", "reasons", "discussed_at", "updated_at"]
        )
        AgencyRiskView.objects.filter(item=item).exclude(agency_id__in=list(views_given)).update(
            item=kept
        )
        item.actions.update(item=kept)
        item.delete()  # with the views now written into the kept entry's discussion
        folded += 1
    return folded


def _joined(kept: str, other: str, heading: str) -> str:
    if not other.strip():
        return kept
    if not kept.strip():
        return f"{heading}\n{other}"
    return f"{kept}\n\n{heading}\n{other}"
