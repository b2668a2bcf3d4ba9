"""`lib.bulk.insert_new` inserts as `bulk_create` does (COPY on PostgreSQL): ids given, keys
taken from records inserted before, the time of `auto_now_add`, choices and JSON as values,
and a breach of a constraint refused with nothing written."""

import datetime

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from mace.episodes.models import Episode, EpisodeKind
from mace.lib.bulk import insert_new, maker, take_ids, update_many
from mace.people.models import Child, ChildIdentifier
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_new_records_get_ids_and_their_keys_follow_records_inserted_before(
    django_assert_num_queries,
):
    children = [
        Child(
            reference=f"bulk-{n}",
            first_name="Ada",
            last_name=f"Bulk{n}",
            date_of_birth=datetime.date(2012, 3, 4),
            gender="female",
        )
        for n in range(3)
    ]
    identifiers = [
        ChildIdentifier(child=child, kind=ChildIdentifier.Kind.TRACKER, value=f"T-{n}")
        for n, child in enumerate(children)
    ]
    before = timezone.now()

    insert_new(Child, children)
    insert_new(ChildIdentifier, identifiers)

    assert all(child.pk is not None and not child._state.adding for child in children)
    assert len({child.pk for child in children}) == 3
    held = {i.value: i for i in ChildIdentifier.objects.filter(value__startswith="T-")}
    for n, child in enumerate(children):
        identifier = held[f"T-{n}"]
        assert identifier.child_id == child.pk == identifiers[n].child_id
        assert identifier.kind == "tracker"
        assert identifier.created_at >= before
    assert Child.objects.get(pk=children[1].pk).last_name == "Bulk1"
    with django_assert_num_queries(0):  # each still holds the record its key is to
        assert all(i.child is child for i, child in zip(identifiers, children, strict=True))


def test_a_record_given_an_id_keeps_it_and_json_and_choices_are_stored_as_values():
    child = ChildFactory()
    seen = timezone.now() - datetime.timedelta(days=3)
    episode = Episode(
        child=child,
        kind=EpisodeKind.MISSING,
        missing_from="home",
        legal_status="CIN",
        last_seen_at=seen,
        reported_at=seen,
        returned_at=seen + datetime.timedelta(hours=5),
        push_pull_factors=["peer_pressure", "conflict"],
    )
    insert_new(Episode, [episode])

    held = Episode.objects.get(pk=episode.pk)
    assert held.kind == "missing"
    assert held.push_pull_factors == ["peer_pressure", "conflict"]
    assert held.last_seen_at == seen
    assert held.public_id == episode.public_id


def test_a_breach_of_a_constraint_is_refused_with_nothing_of_the_insert_written():
    child = ChildFactory()
    ChildIdentifier.objects.create(child=child, kind=ChildIdentifier.Kind.TRACKER, value="DUP")
    rows = [
        ChildIdentifier(child=child, kind=ChildIdentifier.Kind.TRACKER, value="NEW"),
        ChildIdentifier(child=child, kind=ChildIdentifier.Kind.TRACKER, value="DUP"),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new(ChildIdentifier, rows)
    assert not ChildIdentifier.objects.filter(value="NEW").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids from the sequence: PostgreSQL")
def test_ids_taken_are_the_sequences_next_ones_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        taken = take_ids(Child, 5)
    assert len(taken) == 5
    assert taken == sorted(set(taken))
    child = ChildFactory()  # the sequence's next value after those
    assert child.pk > taken[-1]


def test_nothing_to_insert_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_new(ChildIdentifier, [])


def test_update_many_writes_the_fields_named_of_each_record_and_no_others():
    children = ChildFactory.create_batch(3, area="North")
    for n, child in enumerate(children[:2]):
        child.first_name = f"Renamed{n}"
        child.gender = "unknown"
        child.area = "changed but not named"
    update_many(Child, children[:2], ["first_name", "gender"])

    held = {child.pk: child for child in Child.objects.filter(pk__in=[c.pk for c in children])}
    assert [held[c.pk].first_name for c in children[:2]] == ["Renamed0", "Renamed1"]
    assert {held[c.pk].gender for c in children[:2]} == {"unknown"}
    assert {held[c.pk].area for c in children} == {"North"}
    assert held[children[2].pk].first_name == children[2].first_name


def _returned_episode():
    seen = timezone.now() - datetime.timedelta(days=2)
    return Episode.objects.create(
        child=ChildFactory(),
        kind=EpisodeKind.MISSING,
        missing_from="home",
        legal_status="CIN",
        last_seen_at=seen,
        reported_at=seen,
        returned_at=seen + datetime.timedelta(hours=3),
    )


def test_update_many_takes_a_key_and_a_time_that_is_none():
    episode = _returned_episode()
    other = ChildFactory()
    episode.returned_at = None
    episode.child = other
    update_many(Episode, [episode], ["returned_at", "child"])

    held = Episode.objects.get(pk=episode.pk)
    assert held.returned_at is None
    assert held.child_id == other.pk


def test_maker_makes_the_record_the_constructor_makes(django_assert_num_queries):
    child = ChildFactory()
    seen = timezone.now() - datetime.timedelta(days=2)
    names = (
        "child",
        "kind",
        "missing_from",
        "last_seen_at",
        "reported_at",
        "returned_at",
        "placement",
    )
    # Returned: a child has one open episode at a time.
    values = (
        child,
        EpisodeKind.MISSING,
        "home",
        seen,
        seen,
        seen + datetime.timedelta(hours=3),
        None,
    )
    make = maker(Episode, names)

    made, other = make(*values), make(*values)
    built = Episode(**dict(zip(names, values, strict=True)))

    columns = [f.attname for f in Episode._meta.concrete_fields if f.attname != "public_id"]
    assert [getattr(made, c) for c in columns] == [getattr(built, c) for c in columns]
    assert made.child_id == child.pk
    with django_assert_num_queries(0):
        assert made.child is child  # the relation given is held, as the constructor holds it
    # Defaults made anew for each record: its own public id, its own empty list.
    assert made.public_id != other.public_id != built.public_id
    assert made.push_pull_factors == []
    assert made.push_pull_factors is not other.push_pull_factors
    assert made._state.adding
    assert made.pk is None

    insert_new(Episode, [made, built])
    saved = Episode.objects.filter(pk__in=[made.pk, built.pk]).order_by("pk")
    rows = list(
        saved.values_list(*[c for c in columns if c not in ("id", "created_at", "updated_at")])
    )
    assert rows[0] == rows[1]


def test_maker_refuses_a_field_the_model_does_not_have():
    with pytest.raises(FieldDoesNotExist):
        maker(Episode, ("child", "no_such_field"))


def test_a_record_made_for_a_one_to_one_is_held_by_the_other_side(django_assert_num_queries):
    """As the constructor leaves it: the episode holds its new interview, with no query."""
    from mace.interviews.models import ReturnInterview

    episode = _returned_episode()
    assert not hasattr(episode, "return_interview")  # none yet, and the episode knows it
    interview = maker(ReturnInterview, ("episode", "provider_rule", "referred_at"))(
        episode, "a rule", episode.returned_at
    )
    with django_assert_num_queries(0):
        assert episode.return_interview is interview
