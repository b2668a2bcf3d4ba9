"""Who an import is recorded as: the user named by `--as`, else the first active
administrator, else (no administrator yet) the import itself, by name (issue 17)."""

import pytest
from django.core.management import CommandError

from mace.access import policy
from mace.accounts.models import Role
from mace.accounts.tests.factories import UserFactory
from mace.audit.models import AuditEvent
from mace.episodes.models import Episode

from .test_import_tracker import (
    CHILD_COLUMNS,
    EPISODE_COLUMNS,
    child_row,
    episode_row,
    import_tracker,
    run,
    write_csv,
)
from .test_import_tracker import providers as providers  # a fixture

pytestmark = pytest.mark.django_db

MAY_IMPORT = {Role.MISSING_COORDINATOR, Role.ADMINISTRATOR}


@pytest.mark.parametrize("role", list(Role))
def test_only_coordinators_and_administrators_may_run_imports(role):
    assert policy.can_run_imports(UserFactory.create(role=role)) is (role in MAY_IMPORT)
    assert not policy.can_run_imports(UserFactory.create(role=role, is_active=False))


@pytest.fixture
def files(tmp_path, providers):
    children = write_csv(tmp_path / "children.csv", CHILD_COLUMNS, [child_row("T-1")])
    episodes = write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, [episode_row("P-1", "T-1")])
    return children, episodes


def imported() -> list[tuple[int | None, str]]:
    events = AuditEvent.objects.filter(summary__startswith="Imported from tracker")
    return sorted(set(events.values_list("actor_id", "actor_username")))


def test_the_import_is_recorded_as_the_user_named(files):
    UserFactory.create(role=Role.ADMINISTRATOR)
    coordinator = UserFactory.create(role=Role.MISSING_COORDINATOR, username="coord")

    import_tracker(*files, "--as", "coord")

    assert imported() == [(coordinator.pk, "coord")]
    assert Episode.objects.get().created_by == coordinator


def test_by_default_it_is_recorded_as_the_first_active_administrator(files):
    UserFactory.create(role=Role.ADMINISTRATOR, is_active=False)
    first = UserFactory.create(role=Role.ADMINISTRATOR)
    UserFactory.create(role=Role.ADMINISTRATOR)

    import_tracker(*files)

    assert imported() == [(first.pk, first.username)]


def test_with_no_administrator_yet_the_trail_names_the_import(files):
    import_tracker(*files)

    assert imported() == [(None, "tracker import")]


@pytest.mark.parametrize(
    "user", [None, {"role": Role.SOCIAL_WORKER}, {"role": Role.ADMINISTRATOR, "is_active": False}]
)
def test_an_import_as_someone_who_may_not_import_is_refused_before_any_row(files, user):
    if user is not None:
        UserFactory.create(username="someone", **user)
    with pytest.raises(CommandError, match="--as someone: no active missing coordinator"):
        import_tracker(*files, "--as", "someone")
    assert not Episode.objects.exists()


def test_police_notifications_take_the_same_option(tmp_path, providers):
    coordinator = UserFactory.create(role=Role.MISSING_COORDINATOR, username="coord")
    columns = list(dict.fromkeys(CHILD_COLUMNS + EPISODE_COLUMNS))
    path = write_csv(
        tmp_path / "police.csv", columns, [{**child_row("T-1"), **episode_row("P-1", "T-1")}]
    )

    run("import_police_notifications", str(path), "--as", "coord")

    events = AuditEvent.objects.filter(summary__startswith="Imported from police notification")
    assert set(events.values_list("actor_id", flat=True)) == {coordinator.pk}
