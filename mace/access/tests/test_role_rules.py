"""Every role of SPEC section 1, both ways, for the role rules that views and services once
wrote out themselves (issue 17): return interviews, supervision, worklists, the Inclusion
Team. Each expected set is written here, not taken from the policy, so a changed rule fails.
"""

import datetime

import pytest

from mace.access import policy
from mace.accounts.models import Role
from mace.people.models import Involvement
from mace.people.tests.factories import ChildFactory


@pytest.fixture
def child(users, team):
    """A child every role that opens records by relationship works with: allocated to the
    social worker, referred to the return-interview provider, with the inclusion officer and
    the panel member recorded as working with them."""
    child = ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)
    today = datetime.date(2026, 1, 5)
    Involvement.objects.create(
        child=child,
        kind=Involvement.Kind.RHI_PROVIDER,
        agency=users[Role.RHI_WORKER].agency,
        start_date=today,
    )
    for role in (Role.INCLUSION_OFFICER, Role.PANEL_MEMBER):
        Involvement.objects.create(
            child=child, kind=Involvement.Kind.OTHER, user=users[role], start_date=today
        )
    return child


@pytest.fixture
def stranger():
    """A child no one signed in works with."""
    return ChildFactory()


RECORD_INTERVIEWS = {Role.RHI_WORKER, Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR, Role.MANAGER}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_return_interviews_are_recorded_by_interview_and_social_workers_coordinator_managers(
    role, users, child
):
    assert policy.can_record_return_interview(users[role], child) is (role in RECORD_INTERVIEWS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_no_one_records_the_interview_of_a_child_whose_record_they_may_not_open(
    role, users, stranger
):
    partnership_wide = {Role.MISSING_COORDINATOR, Role.MANAGER}
    expected = role in RECORD_INTERVIEWS & partnership_wide
    assert policy.can_record_return_interview(users[role], stranger) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_return_interviews_are_held_by_interview_workers_and_social_workers(role, users):
    worker = users[role]
    holders = policy.interview_workers()
    assert holders.filter(pk=worker.pk).exists() is (role in {Role.RHI_WORKER, Role.SOCIAL_WORKER})
    worker.is_active = False
    worker.save()
    assert not holders.filter(pk=worker.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_a_manager_nominates_another_interview_provider(role, users):
    assert policy.can_nominate_interview_provider(users[role]) is (role == Role.MANAGER)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_T16_only_a_manager_records_a_supervision_discussion(role, users, child):
    assert policy.can_record_supervision(users[role], child) is (role == Role.MANAGER)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_everyone_who_works_with_childrens_records_has_a_worklist(role, users):
    no_cases = {Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR}
    assert policy.can_have_worklist(users[role]) is (role not in no_cases)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_managers_see_their_teams_worklist(role, users):
    assert policy.can_see_team_work(users[role]) is (role == Role.MANAGER)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_the_coordinators_view_is_for_the_coordinator_managers_and_police(role, users):
    expected = role in {Role.MISSING_COORDINATOR, Role.MANAGER, Role.POLICE_OFFICER}
    assert policy.can_see_coordinator_view(users[role]) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_inclusion_officers_are_the_inclusion_team(role, users):
    assert policy.is_inclusion_team(users[role]) is (role == Role.INCLUSION_OFFICER)


@pytest.mark.django_db
def test_an_inactive_account_has_no_worklist_and_nominates_no_one(users):
    manager = users[Role.MANAGER]
    manager.is_active = False
    manager.save()
    assert policy.can_have_worklist(manager) is False
    assert policy.can_see_team_work(manager) is False
    assert policy.can_see_coordinator_view(manager) is False
    assert policy.can_nominate_interview_provider(manager) is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_t12_the_health_assessment_offer_is_recorded_by_those_who_record_interviews(
    role, users, child
):
    expected = role in RECORD_INTERVIEWS
    assert policy.can_record_health_assessment_offer(users[role], child) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_t12_no_one_records_the_health_assessment_offer_of_a_child_they_may_not_open(
    role, users, stranger
):
    expected = role in {Role.MISSING_COORDINATOR, Role.MANAGER}
    assert policy.can_record_health_assessment_offer(users[role], stranger) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_an_administrator_configures_the_partnerships_settings(role, users):
    assert policy.can_configure(users[role]) is (role == Role.ADMINISTRATOR)


@pytest.mark.django_db
def test_an_inactive_administrator_configures_nothing(users):
    admin = users[Role.ADMINISTRATOR]
    admin.is_active = False
    admin.save()
    assert not policy.can_configure(admin)


SEE_INTERVIEWS = {
    Role.POLICE_OFFICER,
    Role.SOCIAL_WORKER,
    Role.MISSING_COORDINATOR,
    Role.RHI_WORKER,
    Role.INCLUSION_OFFICER,
    Role.MANAGER,
    Role.PANEL_MEMBER,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_return_interview_details_are_seen_by_those_who_open_the_childs_record(
    role, users, child, stranger
):
    """Issue 19 point 3: the scales over time, the printable record and the police profile
    show what the child said only to those who may open the record now."""
    assert policy.can_see_return_interview(users[role], child) is (role in SEE_INTERVIEWS)
    partnership_wide = {Role.MISSING_COORDINATOR, Role.POLICE_OFFICER, Role.MANAGER}
    assert policy.can_see_return_interview(users[role], stranger) is (role in partnership_wide)
    child.is_restricted = True
    child.save(update_fields=["is_restricted"])
    # Only the allocated social worker and their team's manager need give no reason first.
    exempt = {Role.SOCIAL_WORKER} | ({Role.MANAGER} if users[Role.MANAGER].team_id else set())
    assert policy.can_see_return_interview(users[role], child) is (role in exempt)


# The child's voice over time (issue 20 point 4)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_keep_the_interview_themes(role, users):
    assert policy.can_keep_interview_themes(users[role]) is (role == Role.ADMINISTRATOR)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_the_collation_of_interviews_is_for_those_who_run_reports(role, users):
    expected = role in {Role.ANALYST, Role.MANAGER, Role.MISSING_COORDINATOR}
    assert policy.can_see_interview_collation(users[role]) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_at_the_monitoring_meeting_the_collation_is_for_the_panels_viewers(role, users):
    from mace.meetings.tests.helpers import weekly_series

    series = weekly_series()
    partnership_wide = {Role.MISSING_COORDINATOR, Role.MANAGER, Role.POLICE_OFFICER}
    assert policy.can_see_interview_collation_at_meeting(users[role], series) is (
        role in partnership_wide
    )
    series.members.add(users[role])
    no_records = {Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR}
    assert policy.can_see_interview_collation_at_meeting(users[role], series) is (
        role not in no_records
    )
