"""The load run of issue 8: practitioners' working day against a real MACE.

Each simulated user signs in through the pages with a password and an authenticator code, as
a person does, then mixes page reads (worklists, the coordinator view, child records,
episodes, a search) with API reads and writes (a child missing reported and later found, a
child's details corrected with the version read). Accounts come from tools/load/prepare.py.

A 409 to a write is the conflict check doing its work when two users edit one record at
once: it is counted apart ("conflict") and is not an error. Anything else outside 2xx and
3xx is a failure.

    LOAD_ACCOUNTS=build/load/accounts.json locust -f tools/load/locustfile.py --host ...
"""

import datetime
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import threading
import time
from typing import Any

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())  # noqa: SIM115
_next_account = itertools.count()
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_TERMS = ["smith", "jones", "taylor", "brown", "williams", "wilson", "ali", "khan"]
CONFLICTS = {"count": 0}
NO_CHILD_RECORDS = {"analyst", "auditor", "administrator"}


def totp(hex_key: str, at: float | None = None) -> str:
    """RFC 6238, 30-second steps, six digits: what an authenticator app shows."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


class Practitioner(HttpUser):
    wait_time = between(1, 3)  # reading the page before the next click

    def on_start(self) -> None:
        with _lock:
            self.account = ACCOUNTS["accounts"][next(_next_account) % len(ACCOUNTS["accounts"])]
        self.role = self.account["role"]
        self.api = {"Authorization": f"Token {self.account['token']}"}
        self.sign_in()
        self.children: list[str] = []
        self.episodes: list[str] = []
        self.reported: list[str] = []
        if self.role not in NO_CHILD_RECORDS:
            self.refresh_records()

    def sign_in(self) -> None:
        page = self.client.get("/account/sign-in/", name="sign in")
        page = self.client.post(
            "/account/sign-in/",
            data={
                "username": self.account["username"],
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            name="sign in",
        )
        code = self.client.post(
            "/account/two-factor/",
            data={"code": totp(self.account["totp_key"]), "csrfmiddlewaretoken": _csrf(page.text)},
            name="sign in: code",
        )
        if "/account/" in code.url:
            raise RuntimeError(f"{self.account['username']} could not sign in")

    def refresh_records(self) -> None:
        children = self.client.get(
            "/api/v1/children/?page_size=200", headers=self.api, name="api: children"
        ).json()
        self.children = [c["id"] for c in children.get("results", []) if not c.get("restricted")]
        episodes = self.client.get(
            "/api/v1/episodes/?page_size=100", headers=self.api, name="api: episodes"
        ).json()
        self.episodes = [e["id"] for e in episodes.get("results", [])]

    # Pages ------------------------------------------------------------------------------

    @task(6)
    def my_worklist(self) -> None:
        if self.role in NO_CHILD_RECORDS:  # analysts have reports, not a worklist
            self.client.get("/reports/", name="page: reports")
        else:
            self.client.get("/worklist/", name="page: my worklist")

    @task(3)
    def team_or_coordinator_view(self) -> None:
        if self.role in {"missing_coordinator", "police_officer"}:
            self.client.get("/worklist/missing/", name="page: coordinator view")
        elif self.role == "manager":
            self.client.get(
                random.choice(["/worklist/team/", "/worklist/missing/"]),
                name="page: team worklist or coordinator view",
            )
        else:
            self.client.get(
                random.choice(["/", "/worklist/notifications/"]), name="page: home or notifications"
            )

    @task(6)
    def child_record(self) -> None:
        if self.children:
            child = random.choice(self.children)
            self.client.get(f"/children/{child}/", name="page: child record")

    @task(4)
    def episode_page(self) -> None:
        if self.episodes:
            episode = random.choice(self.episodes)
            self.client.get(f"/episodes/{episode}/", name="page: episode")

    @task(2)
    def search(self) -> None:
        if self.role in NO_CHILD_RECORDS:
            return
        self.client.get("/children/", name="page: search")
        # A GET search (issue 19 point 4); one name for every query, so none is reported.
        self.client.get(
            "/children/", params={"q": random.choice(SEARCH_TERMS)}, name="page: search results"
        )

    @task(1)
    def reports(self) -> None:
        if self.role in {"analyst", "manager"}:
            today = datetime.date.today()
            self.client.get(
                f"/api/v1/reports/annual/?start={today.year - 1}-04-01&end={today.year}-03-31",
                headers=self.api,
                name="api: annual report",
            )

    # API reads and writes ---------------------------------------------------------------

    @task(3)
    def api_due_items(self) -> None:
        if self.role not in NO_CHILD_RECORDS:
            self.client.get("/api/v1/due-items/?overdue=true", headers=self.api, name="api: due")

    @task(2)
    def api_child(self) -> None:
        if self.children:
            child = random.choice(self.children)
            self.client.get(f"/api/v1/children/{child}/", headers=self.api, name="api: child")

    @task(2)
    def report_missing_then_found(self) -> None:
        """Police report a child missing; on a later turn the same officer records the return."""
        if self.role not in {"police_officer", "missing_coordinator"} or not self.children:
            return
        if self.reported:
            self._record_return(self.reported.pop())
            return
        now = datetime.datetime.now(datetime.UTC)
        response = self.client.post(
            "/api/v1/episodes/",
            headers=self.api,
            json={
                "child": random.choice(self.children),
                "kind": "missing",
                "missing_from": random.choice(["home", "care"]),
                "last_seen_at": (now - datetime.timedelta(hours=3)).isoformat(),
                "reported_at": now.isoformat(),
                "risk_grade": random.choice(["medium", "high"]),
                "circumstances": "Did not come home after school.",
            },
            name="api: report missing",
        )
        if response.status_code == 201:
            self.reported.append(response.json()["id"])

    def _record_return(self, episode: str) -> None:
        current = self.client.get(
            f"/api/v1/episodes/{episode}/", headers=self.api, name="api: episode"
        ).json()
        self._patch(
            f"/api/v1/episodes/{episode}/",
            {
                "version": current["version"],
                "returned_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "return_method": "self",
            },
            name="api: record return",
        )

    @task(2)
    def correct_child_details(self) -> None:
        editors = {"social_worker", "manager", "missing_coordinator"}
        if self.role not in editors or not self.children:
            return
        child = random.choice(self.children)
        current = self.client.get(
            f"/api/v1/children/{child}/", headers=self.api, name="api: child"
        ).json()
        if "version" not in current:
            return
        self._patch(
            f"/api/v1/children/{child}/",
            {
                "version": current["version"],
                "identifying_information": f"Updated on a visit, {time.strftime('%d %B %Y')}.",
            },
            name="api: correct child",
        )

    def _patch(self, url: str, body: dict[str, Any], *, name: str) -> None:
        with self.client.patch(
            url, headers=self.api, json=body, name=name, catch_response=True
        ) as response:
            if response.status_code == 409:
                CONFLICTS["count"] += 1
                response.success()  # the second writer is told, nothing is overwritten
            elif response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")


@events.quitting.add_listener
def _report_conflicts(environment: Any, **_: Any) -> None:
    print(f"edit conflicts answered with 409: {CONFLICTS['count']}")
