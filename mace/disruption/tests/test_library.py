"""The A3 library of strategic aims and intervention options: loaded from the seed, kept by
administrators and managers, read by everyone who works with children."""

import pytest

from mace.accounts.models import Role
from mace.disruption.models import InterventionOption, StrategicAim

pytestmark = pytest.mark.django_db

KEEPERS = ["administrator", "manager"]
READERS = ["police_officer", "social_worker", "missing_coordinator", "rhi_worker"]
READERS += ["inclusion_officer", "panel_member"]
NEITHER = ["analyst", "auditor"]


def test_every_role_is_covered():
    assert set(KEEPERS + READERS + NEITHER) == {r.value for r in Role}


def test_the_library_holds_the_aims_and_options_of_003_A3_in_order():
    aims = list(StrategicAim.objects.all())

    assert len(aims) == 19
    assert aims[0].text.startswith("Disrupt the young person's relationship with other young")
    assert aims[5].text == "Maintain contact whilst absent."
    assert aims[-1].text.startswith("Where a young person is refusing or reluctant to engage")
    assert InterventionOption.objects.count() == 95
    contact = aims[1].options.values_list("text", flat=True)
    assert "Implement the abduction warnings and orders strategy." in contact


def test_the_intelligence_unit_options_belong_to_gathering_information_not_to_family():
    option = InterventionOption.objects.get(
        text="Send information report forms to the police Intelligence Unit."
    )
    assert option.aim.text.startswith("Gather information to assist prosecution")


@pytest.mark.parametrize("role_user", KEEPERS, indirect=True)
def test_keepers_add_an_aim_and_an_option(role_user, client_for):
    client = client_for(role_user)

    client.post("/disruption/library/", {"text": "Work with the night-time economy"})
    aim = StrategicAim.objects.get(text="Work with the night-time economy")
    client.post("/disruption/library/", {"aim": str(aim.public_id), "text": "Brief taxi firms"})

    assert aim.order == 20
    assert list(aim.options.values_list("text", flat=True)) == ["Brief taxi firms"]
    page = client.get("/disruption/library/").content.decode()
    assert "Brief taxi firms" in page


@pytest.mark.parametrize("role_user", READERS + NEITHER, indirect=True)
def test_others_cannot_change_the_library(role_user, client_for):
    response = client_for(role_user).post("/disruption/library/", {"text": "Anything"})

    assert response.status_code == 403
    assert not StrategicAim.objects.filter(text="Anything").exists()


@pytest.mark.parametrize("role_user", READERS, indirect=True)
def test_everyone_who_works_with_children_reads_the_library(role_user, client_for):
    page = client_for(role_user).get("/disruption/library/").content.decode()

    assert "Maintain contact whilst absent." in page
    assert "Retire" not in page


@pytest.mark.parametrize("role_user", NEITHER, indirect=True)
def test_analysts_and_auditors_do_not_open_the_library(role_user, client_for):
    assert client_for(role_user).get("/disruption/library/").status_code == 403


def test_a_blank_or_repeated_aim_is_refused_with_a_message(users, client_for):
    client = client_for(users["manager"])

    blank = client.post("/disruption/library/", {"text": "  "}).content.decode()
    again = client.post(
        "/disruption/library/", {"text": "Maintain contact whilst absent."}
    ).content.decode()

    assert "There is a problem" in blank
    assert "That aim is already in the library" in again
    assert StrategicAim.objects.count() == 19


def test_a_retired_option_is_no_longer_offered_but_can_be_restored(users, client_for):
    client = client_for(users["administrator"])
    option = InterventionOption.objects.get(text="Screen the telephone calls to the home.")
    url = f"/disruption/library/option/{option.public_id}/retire/"

    client.post(url, {"retire": "yes"})
    option.refresh_from_db()
    offered = client_for(users["social_worker"]).get("/disruption/library/").content.decode()
    assert option.retired_at is not None
    assert "Screen the telephone calls" not in offered

    client.post(url, {"retire": "no"})
    option.refresh_from_db()
    assert option.retired_at is None


@pytest.mark.parametrize("role_user", READERS + NEITHER, indirect=True)
def test_others_cannot_retire_an_entry(role_user, client_for):
    aim = StrategicAim.objects.first()
    assert aim is not None
    response = client_for(role_user).post(
        f"/disruption/library/aim/{aim.public_id}/retire/", {"retire": "yes"}
    )

    aim.refresh_from_db()
    assert response.status_code == 403
    assert aim.retired_at is None
