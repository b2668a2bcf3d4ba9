"""Fixtures shared by every app: an agency, a team and one user of each role (SPEC section 1)."""

import pytest

from mace.accounts.models import Agency, Role, Team, User
from mace.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory

# Everyone else works for the children's social care agency of the `agency` fixture.
AGENCY_KIND_FOR_ROLE = {
    Role.POLICE_OFFICER: Agency.Kind.POLICE,
    Role.RHI_WORKER: Agency.Kind.RETURN_INTERVIEW_PROVIDER,
    Role.INCLUSION_OFFICER: Agency.Kind.EDUCATION,
}
IN_TEAM = {Role.SOCIAL_WORKER, Role.MANAGER}
INTELLIGENCE_CLEARED = {Role.POLICE_OFFICER, Role.MISSING_COORDINATOR, Role.MANAGER}


@pytest.fixture
def agency(db: None) -> Agency:
    return AgencyFactory.create(
        name="Test Children's Social Care", kind=Agency.Kind.CHILDRENS_SOCIAL_CARE
    )


@pytest.fixture
def team(agency: Agency) -> Team:
    return TeamFactory.create(agency=agency, name="Children in Need Team")


@pytest.fixture
def users(agency: Agency, team: Team) -> dict[str, User]:
    """One user per role, keyed by the role's value; the username is the role's value too."""
    agencies = {
        role: AgencyFactory.create(name=f"Test {kind.label}", kind=kind)
        for role, kind in AGENCY_KIND_FOR_ROLE.items()
    }
    return {
        role.value: UserFactory.create(
            username=role.value,
            role=role,
            agency=agencies.get(role, agency),
            team=team if role in IN_TEAM else None,
            intelligence_cleared=role in INTELLIGENCE_CLEARED,
        )
        for role in Role
    }


@pytest.fixture
def role_user(request: pytest.FixtureRequest, users: dict[str, User]) -> User:
    """The user of one role, for `@pytest.mark.parametrize("role_user", [...], indirect=True)`."""
    return users[request.param]
