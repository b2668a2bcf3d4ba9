"""Page timings for the benchmark (issue 9): a social worker's worklist and the missing
coordinator's view, through the real URLs, middleware and views, signed in with both factors.

The caller wraps this in a transaction it rolls back: the two accounts, the caseload given to
the social worker and the due items brought in step for it leave no trace.
"""

import time
import uuid

from django.db.models import Max
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mace.accounts.models import Agency, Role, Team, User
from mace.people.models import Child, Involvement
from mace.worklist.engine import sync_child

CASELOAD = 25  # a social worker's caseload (children with a recent episode among them)
WARM_UP = 5


def _account(role: str, agency: Agency, team: Team | None) -> User:
    user = User.objects.create(
        username=f"bench.{role}.{uuid.uuid4().hex[:8]}",
        first_name="Bench",
        last_name="User",
        role=role,
        agency=agency,
        team=team,
        intelligence_cleared=role == Role.MISSING_COORDINATOR,
        must_change_password=False,
    )
    return user


def _client(user: User) -> Client:
    device = TOTPDevice.objects.create(user=user, name="Bench device", confirmed=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _times(client: Client, url: str, samples: int) -> list[float]:
    for _ in range(WARM_UP):
        client.get(url)
    out = []
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return out


def page_times(samples: int) -> dict[str, list[float]]:
    agency, _ = Agency.objects.get_or_create(
        name="Benchmark Children's Social Care",
        defaults={"kind": Agency.Kind.CHILDRENS_SOCIAL_CARE},
    )
    team = Team.objects.create(agency=agency, name=f"Benchmark team {uuid.uuid4().hex[:6]}")
    worker = _account(Role.SOCIAL_WORKER, agency, team)
    coordinator = _account(Role.MISSING_COORDINATOR, agency, None)

    # The caseload: the children with the most recent episodes, so the worklist holds the
    # items a busy worker has.
    recent = (
        Child.objects.filter(merged_into__isnull=True)
        .annotate(latest=Max("episodes__last_seen_at"))
        .filter(latest__isnull=False)
        .order_by("-latest")
        .values_list("pk", flat=True)[:CASELOAD]
    )
    caseload = list(Child.objects.filter(pk__in=list(recent)))
    today = timezone.localdate()
    for child in caseload:
        child.allocated_worker = worker
        child.team = team
        child.save(update_fields=["allocated_worker", "team"])
        Involvement.objects.create(
            child=child, kind=Involvement.Kind.SOCIAL_WORKER, user=worker, start_date=today
        )
        sync_child(child)

    return {
        "worklist": _times(_client(worker), "/worklist/", samples),
        "coordinator_view": _times(_client(coordinator), "/worklist/missing/", samples),
    }
