"""The children an import matches its new children against, kept from chunk to chunk
(issue 17 point 7): read once, brought up to date with what changed since
(`Candidates.refresh`), and a child matched checked to be as read before it is named
(`Candidates.recheck`), so that keeping them misses nothing a reading per chunk would see."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mace.accounts.models import Role
from mace.imports.duplicates import DuplicateCheck
from mace.imports.rows import TRACKER
from mace.people import duplicates
from mace.people.duplicates import Candidates
from mace.people.models import Child
from mace.people.services import alias_add, child_merge, child_update
from mace.people.tests.factories import ChildFactory

BORN = datetime.date(2010, 5, 17)
NEXT_DAY = BORN + datetime.timedelta(days=1)


def matched(candidates, first_name, last_name, born=BORN):
    found = candidates.match(first_name=first_name, last_name=last_name, date_of_birth=born)
    return [match.child.pk for match in found]


@pytest.mark.django_db
def test_a_child_created_after_a_chunk_is_matched_by_a_later_chunk():
    candidates = Candidates()
    candidates.refresh([BORN])
    made = ChildFactory(first_name="Hyacinth", last_name="Blackwood", date_of_birth=NEXT_DAY)
    assert matched(candidates, "Hyacinth", "Blackwod") == []  # in memory until refreshed
    candidates.refresh([BORN])
    assert matched(candidates, "Hyacinth", "Blackwod") == [made.pk]


@pytest.mark.django_db
def test_a_child_renamed_or_given_another_name_since_is_matched_by_the_names_held_now(users):
    coordinator = users[Role.MISSING_COORDINATOR]
    renamed = ChildFactory(first_name="Clementine", last_name="Ashworth", date_of_birth=BORN)
    aliased = ChildFactory(first_name="Rowena", last_name="Pilkington", date_of_birth=BORN)
    candidates = Candidates()
    candidates.refresh([BORN])
    child_update(
        actor=coordinator,
        child=renamed,
        expected_version=renamed.version,
        last_name="Fairweather",
    )
    alias_add(actor=coordinator, child=aliased, name="Wren Castellan")
    candidates.refresh([BORN])
    assert matched(candidates, "Clementine", "Fairwether") == [renamed.pk]
    assert matched(candidates, "Wren", "Castelan") == [aliased.pk]
    assert matched(candidates, "Clementine", "Ashworth") == []


@pytest.mark.django_db
def test_a_refresh_reads_only_what_changed_not_every_child_again():
    for n in range(30):
        ChildFactory(first_name=f"Held{n}", last_name="Ravensworth", date_of_birth=BORN)
    candidates = Candidates()
    candidates.refresh([BORN])
    made = ChildFactory(first_name="Ottoline", last_name="Quarrie", date_of_birth=BORN)
    with CaptureQueriesContext(connection) as refreshing:
        candidates.refresh([BORN])
    read = [q["sql"] for q in refreshing.captured_queries if '"middle_names"' in q["sql"]]
    assert len(read) == 1  # the one child new since
    assert '"public_id" IN' in read[0]
    assert matched(candidates, "Ottoline", "Quarry") == [made.pk]
    assert len(candidates.held) == 31


@pytest.mark.django_db
def test_a_child_saved_by_a_server_whose_clock_runs_behind_is_still_matched():
    candidates = Candidates()
    candidates.refresh([BORN])
    made = ChildFactory(first_name="Peregrine", last_name="Holloway", date_of_birth=BORN)
    behind = timezone.now() - duplicates.CLOCK_MARGIN + datetime.timedelta(seconds=5)
    Child.objects.filter(pk=made.pk).update(updated_at=behind)  # as that server saved it
    candidates.refresh([BORN])
    assert matched(candidates, "Peregrine", "Hollowey") == [made.pk]


@pytest.mark.django_db
def test_a_child_merged_away_or_erased_after_a_chunk_is_not_put_beside_a_later_new_child(users):
    """A merge saves both records, so the next chunk reads them again; an erased record
    leaves nothing to read, so a match read in an earlier chunk is checked before it is
    named."""
    coordinator = users[Role.MISSING_COORDINATOR]
    kept = ChildFactory(first_name="Tamsin", last_name="Oakridge", date_of_birth=BORN)
    merged = ChildFactory(first_name="Isadora", last_name="Penhallow", date_of_birth=BORN)
    erased = ChildFactory(first_name="Isadora", last_name="Penhallowe", date_of_birth=BORN)
    check = DuplicateCheck(TRACKER)
    check.candidates.refresh([BORN])
    child_merge(actor=coordinator, keep=kept, duplicate=merged)
    erased.delete()  # as the retention purge erases a record
    check.candidates.refresh([BORN])  # the next chunk
    new = ChildFactory(first_name="Isadora", last_name="Penhalow", date_of_birth=BORN)
    # The merged child's names are now the kept child's other names.
    assert [r.matched_child for r in check.reviews_for(new, "line 2")] == [kept]


@pytest.mark.django_db(transaction=True)
def test_a_child_written_in_a_transaction_in_flight_at_a_refresh_is_matched_once_committed(
    monkeypatch,
):
    """PostgreSQL tells when its oldest transaction in flight began: a child saved in one
    before a refresh, and committed after it, has an older time than the refresh."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot tell; IN_FLIGHT_MARGIN stands for it")
    # A shorter margin than a deployment's, and a transaction older than it at the refresh:
    # the margin alone would not reach back to the child's time.
    monkeypatch.setattr(duplicates, "CLOCK_MARGIN", datetime.timedelta(seconds=1))
    written, commit = threading.Event(), threading.Event()

    def other_session():
        try:
            with transaction.atomic():
                ChildFactory(first_name="Leopold", last_name="Thistlewood", date_of_birth=BORN)
                written.set()
                commit.wait(30)
        finally:
            connections.close_all()

    other = threading.Thread(target=other_session)
    other.start()
    try:
        assert written.wait(30)
        time.sleep(1.5)
        candidates = Candidates()
        candidates.refresh([BORN])
        assert matched(candidates, "Leopold", "Thistlewod") == []  # not committed yet
    finally:
        commit.set()
        other.join(30)
    candidates.refresh([BORN])
    held = Child.objects.get(last_name="Thistlewood")
    assert matched(candidates, "Leopold", "Thistlewod") == [held.pk]
