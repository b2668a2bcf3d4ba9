"""A synthetic national-scale dataset, for measuring MACE at many times one authority's size.

`manage.py generate_national` plans, then writes, `years` of missing episodes ending at an
end date: about `episodes_per_year` episodes a year by `children_per_year` distinct
children, each with a legal status history and placements, police risk grades, return
home interviews and their offers, and exploitation assessments with the persons, places and
links around a share of them. It copies the shapes of the demonstration data
(demo/management/commands/seed_demo.py, demo/episodes.py, demo/intelligence.py), reusing
their tables of weights and phrases:

- a child is missing in one year, and each following year while under 18 with a chance of
  about a third (more for children in care); each year they have at least one episode, and
  the children in and leaving care go more than once far more often (REPEAT_CHANCE), with
  a long tail of frequent episodes (REPEATS); the total each year is then brought exactly
  to `episodes_per_year`;
- the legal status mix is seed_demo's, weighted by how often each status goes missing
  (demo.episodes.ANNUAL_MISSING_RATE); a fifth of the children change status during the
  period they go missing in (most often into care), so a child's episodes carry the status
  of their day (the `legal_status_on` rule) and episodes from care name the placement of
  their day;
- the hour, the duration (86% within 18 hours), away from placement, absconding, risk
  grades, return methods, push and pull factors, return interview providers (003 §21-25,
  as interviews.services.choose_provider decides them when the interview is referred),
  offers and outcomes are demo.episodes's; 12% of episodes are in association with
  another child of a similar age and the same care status, with a missing-together link;
- still open: episodes whose planned return is after the end of the period, and a few
  children missing for the long term (most of them unaccompanied asylum-seeking children);
- about a tenth of the children are assessed for exploitation (demo.intelligence's choice,
  trajectories and answers, one Answer an indicator as the form records), with persons of
  concern, places and links for a share of them.

Everything is drawn from `random.Random(seed)` and a few hundred Faker names, streets and
postcodes drawn once, so the same seed and end date give the same data. Names are
fictional; phone numbers are in Ofcom's drama ranges. No audit events are written and no
user accounts made, except one inactive account with no usable password that records the
assessments and supervision, because `Assessment.assessed_by` and
`SupervisionDiscussion.manager` cannot be empty.

So that sync_child finds the history done, as a live record would hold it, each episode
also has demo.episodes's notifications (T2, T9, T10), safe-and-well check (T4, T5),
strategy meeting (T3, T6), interview also when the placing authority arranges it (T7, T12)
and director-to-director letter (T11), the last few days leaving some undone; supervision
(T16) is written for the last few months only.

The plan is made in memory (planning.py), then written table by table with
`mace.bench.tables` (COPY on PostgreSQL): children in the order they were first reported
and episodes in the order they happened (episode_rows.py), so the tables' physical order is
a live system's, then the exploitation records (exploitation_rows.py).
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from mace.bench.exploitation_rows import NationalData
from mace.bench.planning import Settings
from mace.bench.tables import Loader


def generate(options: Settings, progress: Callable[..., Any]) -> dict[str, int]:
    """Plan and write the dataset in one transaction; returns the counts of what was made.
    `progress` wraps an iterable as tqdm does."""
    data = NationalData(options, progress)
    with transaction.atomic():
        data.reference_data()
        loader = Loader()
        data.open_tables(loader)
        data.plan()
        data.write()
        loader.finish()
    return data.summary()
