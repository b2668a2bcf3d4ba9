"""Removing a photograph from a child's record (one of another child, or uploaded by
mistake): those who may add one, role by role both ways, with a reason kept in the audit
trail; the row goes at once, the file once the removal is committed, and the image is no
longer served; the one taken before becomes current."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.people import selectors, services
from mace.people.models import ChildPhotograph, Involvement
from mace.people.tests import photos
from mace.people.tests.factories import ChildFactory, InvolvementFactory
from mace.people.tests.test_photograph_and_description import NEITHER, SEE_AND_ADD
from mace.people.tests.test_photograph_and_description import child as child  # a fixture
from mace.people.tests.test_photograph_and_description import (
    coordinator as coordinator,  # a fixture
)

TODAY = datetime.date.today


def add(actor, child, days_ago=3):
    content = photos.jpeg()
    return services.photograph_add(
        actor=actor,
        child=child,
        image=io.BytesIO(content),
        size=len(content),
        taken_on=TODAY() - datetime.timedelta(days=days_ago),
        taken_by="Foster carer Sam Test",
    )


def remove_url(photograph):
    return reverse(
        "people:photograph_remove",
        kwargs={"public_id": photograph.child.public_id, "photograph_id": photograph.public_id},
    )


@pytest.mark.django_db(transaction=True)
def test_removing_deletes_row_and_file_audits_the_reason_and_the_earlier_becomes_current(
    coordinator, child, client_for
):
    earlier = add(coordinator, child, days_ago=300)
    wrong = add(coordinator, child, days_ago=2)
    path = wrong.image.path
    assert selectors.current_photograph(child) == wrong

    services.photograph_remove(
        actor=coordinator, photograph=wrong, reason="  A photograph of another child  "
    )

    assert not ChildPhotograph.objects.filter(pk=wrong.pk).exists()
    assert not wrong.image.storage.exists(wrong.image.name), path
    assert selectors.current_photograph(child) == earlier
    event = AuditEvent.objects.get(action="delete", object_id=str(wrong.public_id))
    assert (event.actor, event.child_id) == (coordinator, child.public_id)
    assert event.reason == "A photograph of another child"
    assert event.before["taken_by"] == "Foster carer Sam Test"
    assert event.summary == "Photograph removed"
    image = reverse("people:photograph", kwargs={"public_id": wrong.public_id})
    assert client_for(coordinator).get(image).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_removal_rolled_back_keeps_the_row_and_the_file(coordinator, child):
    photograph = add(coordinator, child)

    def remove_then_fail() -> None:
        with transaction.atomic():
            services.photograph_remove(actor=coordinator, photograph=photograph, reason="Mistake")
            raise RuntimeError("something after it failed")

    with pytest.raises(RuntimeError):
        remove_then_fail()
    assert ChildPhotograph.objects.filter(pk=photograph.pk).exists()
    assert photograph.image.storage.exists(photograph.image.name)


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_removal_needs_a_reason_of_a_sensible_length(coordinator, child, reason):
    photograph = add(coordinator, child)
    with pytest.raises(ValidationError) as caught:
        services.photograph_remove(actor=coordinator, photograph=photograph, reason=reason)
    assert "reason" in caught.value.message_dict
    assert ChildPhotograph.objects.filter(pk=photograph.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", SEE_AND_ADD + NEITHER)
def test_who_may_remove_a_photograph(role, users, coordinator, child, client_for):
    photograph = add(coordinator, child)
    client = client_for(users[role])
    listing = client.get(reverse("people:photographs", kwargs={"public_id": child.public_id}))
    page = client.get(remove_url(photograph))
    response = client.post(remove_url(photograph), {"reason": "Uploaded by mistake"})
    if role in SEE_AND_ADD:
        assert b"Remove<span" in listing.content
        assert page.status_code == 200
        assert b"Remove the photograph" in page.content
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "people:photographs", kwargs={"public_id": child.public_id}
        )
        assert not ChildPhotograph.objects.exists()
    else:
        assert page.status_code == 403
        assert response.status_code == 403
        assert ChildPhotograph.objects.filter(pk=photograph.pk).exists()


@pytest.mark.django_db
def test_a_worker_who_may_see_the_photograph_may_not_remove_it(
    users, coordinator, child, client_for
):
    worker = users[Role.RHI_WORKER]
    InvolvementFactory(child=child, kind=Involvement.Kind.RHI_PROVIDER, agency=worker.agency)
    photograph = add(coordinator, child)
    client = client_for(worker)
    listing = client.get(reverse("people:photographs", kwargs={"public_id": child.public_id}))
    assert listing.status_code == 200
    assert b"Remove<span" not in listing.content
    assert client.post(remove_url(photograph), {"reason": "No"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.photograph_remove(actor=worker, photograph=photograph, reason="No")
    assert ChildPhotograph.objects.filter(pk=photograph.pk).exists()


@pytest.mark.django_db
def test_another_childs_photograph_cannot_be_removed_through_this_child(
    coordinator, child, team, client_for
):
    other = ChildFactory(team=team)
    theirs = add(coordinator, other)
    url = reverse(
        "people:photograph_remove",
        kwargs={"public_id": child.public_id, "photograph_id": theirs.public_id},
    )
    assert client_for(coordinator).post(url, {"reason": "Mistake"}).status_code == 404
    assert ChildPhotograph.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_no_reason_given_says_what_to_enter_and_removes_nothing(coordinator, child, client_for):
    photograph = add(coordinator, child)
    response = client_for(coordinator).post(remove_url(photograph), {"reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error: Remove a photograph" in page
    assert "Enter why the photograph is being removed" in page
    assert ChildPhotograph.objects.filter(pk=photograph.pk).exists()
