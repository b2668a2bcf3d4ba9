"""The monthly review list: what falls due by the end of the month is listed once."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from mace.accounts.models import Role
from mace.intelligence.tests.factories import PersonOfConcernFactory
from mace.lib.days import month_end
from mace.people.tests.factories import ChildFactory
from mace.retention import services
from mace.retention.models import RetentionReview, Rule
from mace.retention.tests.helpers import (
    born_years_ago,
    child_over_25,
    looked_after,
    missing_education,
    note_recorded,
)

pytestmark = pytest.mark.django_db


def test_children_due_by_the_end_of_the_month_are_listed_with_their_rule(users):
    due = child_over_25()
    cme = missing_education(child_over_25(), users["inclusion_officer"]).child
    still_looked_after_rule = looked_after(child_over_25())
    ChildFactory(date_of_birth=born_years_ago(24))  # not yet
    services.retention_reviews_list()
    reviews = {r.child_id: r for r in RetentionReview.objects.filter(child__isnull=False)}
    assert set(reviews) == {due.pk, cme.pk}
    assert reviews[due.pk].rule == Rule.CHILD
    assert reviews[due.pk].due_on == due.date_of_birth.replace(year=due.date_of_birth.year + 25)
    assert reviews[cme.pk].rule == Rule.CME
    assert still_looked_after_rule.pk not in reviews  # 75 years from birth


def test_a_child_whose_birthday_comes_later_this_month_is_listed_now():
    today = timezone.localdate()
    end = month_end(today)
    child = ChildFactory(date_of_birth=end.replace(year=end.year - 25))
    services.retention_reviews_list(today=today)
    assert RetentionReview.objects.filter(child=child).exists()


def test_listing_is_idempotent(users):
    child_over_25()
    PersonOfConcernFactory()
    note_recorded(13, person=PersonOfConcernFactory(), by=users["police_officer"])
    assert services.retention_reviews_list() == 2
    assert services.retention_reviews_list() == 0
    assert RetentionReview.objects.count() == 2


def test_intelligence_notes_are_listed_a_year_after_they_were_recorded(users):
    officer = users["police_officer"]
    old = note_recorded(13, person=PersonOfConcernFactory(), by=officer)
    note_recorded(6, person=PersonOfConcernFactory(), by=officer)
    services.retention_reviews_list()
    review = RetentionReview.objects.get()
    assert (review.note, review.rule) == (old, Rule.INTELLIGENCE)


def test_a_record_kept_is_listed_again_only_when_its_next_review_comes(users):
    child = child_over_25()
    services.retention_reviews_list()
    review = RetentionReview.objects.get(child=child)
    next_review = timezone.localdate() + datetime.timedelta(days=400)
    services.retention_review_keep(
        actor=users["manager"],
        review=review,
        reason="Court proceedings",
        next_review_on=next_review,
    )
    assert services.retention_reviews_list() == 0
    assert services.retention_reviews_list(today=next_review - datetime.timedelta(days=40)) == 0
    assert services.retention_reviews_list(today=next_review) == 1
    assert RetentionReview.objects.filter(child=child, status="open").count() == 1


def test_merged_records_are_not_listed_on_their_own():
    kept = child_over_25()
    child_over_25(merged_into=kept)
    services.retention_reviews_list()
    assert list(RetentionReview.objects.values_list("child_id", flat=True)) == [kept.pk]


def test_the_scheduled_checks_list_records_due(users):
    child_over_25()
    out = StringIO()
    call_command("run_scheduled_checks", stdout=out)
    assert "1 records listed for retention review" in out.getvalue()
    out = StringIO()
    call_command("run_scheduled_checks", stdout=out)
    assert "0 records listed for retention review" in out.getvalue()


def test_the_list_page_says_the_rules_in_force_from_the_settings(users, client_for):
    """The page says the rules with the periods set, not a path into the source tree."""
    from mace.configuration import services as configuration

    configuration.settings_change(
        actor=users[Role.ADMINISTRATOR], values={"retention_child_years": 30}
    )
    page = client_for(users[Role.MANAGER]).get("/retention/").content.decode()
    rules = page.split('data-testid="retention-rules"')[1].split("</details>")[0]
    words = " ".join(rules.replace("<", " <").split())

    assert "Due for review at age 30" in words
    assert "regulation 50" in words
    assert "docs/retention.md" not in page
