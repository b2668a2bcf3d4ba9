"""What the API says about each record, and what it accepts.

The serializers used only to answer keep their model fields' validation arguments (not
`read_only_fields`), so the description keeps, for example, that a choice may be blank.

Records are named by their opaque `public_id` (as `id`), never by database keys. Writes carry
the `version` the client read; a stale one is refused with 409 and nothing is overwritten.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mace.accounts.models import Team, User
from mace.episodes.models import Episode, EpisodeKind, MissingFrom, RiskGrade
from mace.episodes.services import EPISODE_EDITABLE_FIELDS
from mace.exploitation.models import Assessment, SuspectFact
from mace.intelligence.models import Link
from mace.interviews.models import ReturnInterview
from mace.meetings.models import PanelMeeting
from mace.people.models import Child, LegalStatusKind
from mace.people.selectors import child_current_legal_status
from mace.people.services import CHILD_EDITABLE_FIELDS
from mace.worklist.models import DueItem
from mace.worklist.selectors import due_state


class ChildSummarySerializer(serializers.ModelSerializer):
    """A child in a list. A restricted record not yet opened with a reason shows only that it
    exists (its reference and `restricted`), as MACE's own search does."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    restricted = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    date_of_birth = serializers.SerializerMethodField()
    legal_status = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = ["id", "reference", "restricted", "name", "date_of_birth", "legal_status"]

    def _hidden(self, child: Child) -> bool:
        openable: set[int] = self.context.get("openable", set())
        return child.pk not in openable

    def get_restricted(self, child: Child) -> bool:
        return self._hidden(child)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_name(self, child: Child) -> str | None:
        return None if self._hidden(child) else child.full_name

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_date_of_birth(self, child: Child) -> Any:
        return None if self._hidden(child) else child.date_of_birth

    @extend_schema_field(serializers.ChoiceField(choices=LegalStatusKind.choices, allow_null=True))
    def get_legal_status(self, child: Child) -> str | None:
        return None if self._hidden(child) else child_current_legal_status(child)


# Who sees a record and who must give a reason: never written with the child's details,
# only through their own endpoints and services (issue 16). Sent anyway, they are refused by
# name, not ignored, so a client learns where to send them.
MANAGED_ELSEWHERE = {
    "allocated_worker": "allocation",
    "team": "allocation",
    "is_restricted": "restriction",
}


class RefusesManagedFields(serializers.Serializer):
    """Mixin for bodies with a child's details: a 400 naming any of MANAGED_ELSEWHERE."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = self.initial_data if isinstance(self.initial_data, dict) else {}
        refused = {
            name: [
                f"{name} cannot be changed here. A manager changes it with "
                f"POST /api/v1/children/{{id}}/{endpoint}/ (in MACE: the record's "
                f"{endpoint} page)."
            ]
            for name, endpoint in MANAGED_ELSEWHERE.items()
            if name in sent
        }
        child = getattr(self, "instance", None)
        if child is not None:
            refused = {
                name: [message.replace("{id}", str(child.public_id)) for message in messages]
                for name, messages in refused.items()
            }
        if refused:
            raise serializers.ValidationError(refused)
        return super().validate(attrs)


class ChildSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    legal_status = serializers.SerializerMethodField()
    allocated_worker = serializers.UUIDField(
        source="allocated_worker.public_id",
        read_only=True,
        allow_null=True,
        help_text="The allocated worker's user id. Change it with POST …/allocation/.",
    )
    team = serializers.UUIDField(
        source="team.public_id",
        read_only=True,
        allow_null=True,
        help_text="The team's id. Change it with POST …/allocation/.",
    )
    is_restricted = serializers.BooleanField(
        read_only=True, help_text="Change it with POST …/restriction/."
    )

    class Meta:
        model = Child
        fields = [
            "id",
            "reference",
            *CHILD_EDITABLE_FIELDS,
            "legal_status",
            "allocated_worker",
            "team",
            "is_restricted",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reference", "version", "created_at", "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=LegalStatusKind.choices, allow_null=True))
    def get_legal_status(self, child: Child) -> str | None:
        return child_current_legal_status(child)


class ChildCreateSerializer(RefusesManagedFields, ChildSerializer):
    legal_status_on_creation = serializers.ChoiceField(
        choices=LegalStatusKind.choices, default=LegalStatusKind.NONE, write_only=True
    )

    class Meta(ChildSerializer.Meta):
        fields = [*ChildSerializer.Meta.fields, "legal_status_on_creation"]


class VersionedSerializer(serializers.Serializer):
    """Mixin for PATCH bodies: the version the client started from."""

    version = serializers.IntegerField(
        min_value=1, help_text="The version you read. A stale one gets 409 and changes nothing."
    )


class ChildUpdateSerializer(RefusesManagedFields, VersionedSerializer, serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = [*CHILD_EDITABLE_FIELDS, "version"]
        extra_kwargs = {name: {"required": False} for name in CHILD_EDITABLE_FIELDS}


class AllocationSerializer(serializers.Serializer):
    """A child's team and allocated worker, by their ids; either may be null (waiting for
    allocation). The worker must be an active social worker in the team."""

    team = serializers.UUIDField(
        allow_null=True, required=False, help_text="The team's id, or null for no team."
    )
    allocated_worker = serializers.UUIDField(
        allow_null=True,
        required=False,
        help_text="The user id of an active social worker in the team, or null.",
    )

    def validate_team(self, value: Any) -> Team | None:
        if value is None:
            return None
        team = Team.objects.filter(public_id=value).first()
        if team is None:
            raise serializers.ValidationError("There is no team with that id: check it.")
        return team

    def validate_allocated_worker(self, value: Any) -> User | None:
        if value is None:
            return None
        worker = User.objects.filter(public_id=value).first()
        if worker is None:
            raise serializers.ValidationError("There is no user with that id: check it.")
        return worker


class RestrictionSerializer(serializers.Serializer):
    restricted = serializers.BooleanField(
        help_text="true to ask everyone but the allocated worker and the team's managers for a "
        "reason before the record opens; false to lift the restriction."
    )
    reason = serializers.CharField(
        max_length=2000,
        help_text="Why; recorded with your name in the audit trail.",
        error_messages={
            "required": "Enter why the record should be restricted, or why the restriction ends.",
            "blank": "Enter why the record should be restricted, or why the restriction ends.",
        },
    )


HEALTH_ASSESSMENT_FIELDS = ("health_assessment_offered", "health_assessment_not_offered_reason")
_HEALTH_ASSESSMENT_HELP = {
    "health_assessment_offered": (
        "T12 (003 §16): whether the child, placed here by another authority, was offered a "
        "health assessment on return, whoever arranges the return interview; null until "
        "recorded. true closes the T12 item; false keeps it open and needs "
        "health_assessment_not_offered_reason. Recorded only after the child has returned, "
        "by those who record return interviews."
    ),
    "health_assessment_not_offered_reason": (
        "Why the health assessment has not been offered: needed with "
        "health_assessment_offered false; emptied when it is true."
    ),
}


class EpisodeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    child = serializers.UUIDField(source="child.public_id", read_only=True)
    risk_grade = serializers.SerializerMethodField()

    class Meta:
        model = Episode
        fields = [
            "id",
            "child",
            *EPISODE_EDITABLE_FIELDS,
            "legal_status",
            "risk_grade",
            *HEALTH_ASSESSMENT_FIELDS,
            "health_assessment_recorded_at",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            **{name: {"help_text": text} for name, text in _HEALTH_ASSESSMENT_HELP.items()},
            "health_assessment_recorded_at": {
                "help_text": "When the offer (or why not) was last recorded; null until then."
            },
        }

    @extend_schema_field(serializers.ChoiceField(choices=RiskGrade.choices, allow_null=True))
    def get_risk_grade(self, episode: Episode) -> str | None:
        gradings = sorted(episode.risk_gradings.all(), key=lambda g: (g.graded_at, g.pk))
        return gradings[-1].grade if gradings else None


class EpisodeCreateSerializer(serializers.ModelSerializer):
    child = serializers.UUIDField(help_text="The child's id.")
    kind = serializers.ChoiceField(choices=EpisodeKind.choices)
    missing_from = serializers.ChoiceField(choices=MissingFrom.choices)
    risk_grade = serializers.ChoiceField(choices=RiskGrade.choices, required=False)

    class Meta:
        model = Episode
        fields = ["child", *EPISODE_EDITABLE_FIELDS, "risk_grade"]
        extra_kwargs = {"reported_at": {"required": False}}


class EpisodeUpdateSerializer(VersionedSerializer, serializers.ModelSerializer):
    health_assessment_offered = serializers.BooleanField(
        required=False, help_text=_HEALTH_ASSESSMENT_HELP["health_assessment_offered"]
    )
    health_assessment_not_offered_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text=_HEALTH_ASSESSMENT_HELP["health_assessment_not_offered_reason"],
    )

    class Meta:
        model = Episode
        fields = [*EPISODE_EDITABLE_FIELDS, *HEALTH_ASSESSMENT_FIELDS, "version"]
        extra_kwargs = {name: {"required": False} for name in EPISODE_EDITABLE_FIELDS}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if "health_assessment_not_offered_reason" in attrs and (
            "health_assessment_offered" not in attrs
        ):
            raise serializers.ValidationError(
                {
                    "health_assessment_offered": (
                        "Send health_assessment_offered (true or false) with the reason."
                    )
                }
            )
        return attrs


class InterviewSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    episode = serializers.UUIDField(source="episode.public_id", read_only=True)
    child = serializers.UUIDField(source="episode.child.public_id", read_only=True)
    # Null when there is no provider agency: the placing authority arranges the interview,
    # or it was recorded from the tracker with the provider not known; `provider_label` and
    # `provider_rule` say which.
    provider = serializers.CharField(source="provider.name", read_only=True, allow_null=True)
    provider_label = serializers.CharField(read_only=True)
    offered_at = serializers.SerializerMethodField()

    class Meta:
        model = ReturnInterview
        fields = [
            "id",
            "episode",
            "child",
            "provider",
            "provider_label",
            "provider_rule",
            "referred_at",
            "status",
            "offered_at",
            "completed_at",
            "safe_before",
            "safe_while_missing",
            "safe_since",
            "happy_before",
            "happy_while_missing",
            "happy_since",
            "harmed",
            "victim_of_crime",
            "perpetrator_of_crime",
            "health_assessment_offered",
            "sexual_health_referral",
            "version",
        ]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_offered_at(self, interview: ReturnInterview) -> Any:
        offers = sorted(o.offered_at for o in interview.offers.all())
        return serializers.DateTimeField().to_representation(offers[0]) if offers else None


class AssessmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    child = serializers.UUIDField(source="child.public_id", read_only=True)
    instrument = serializers.SerializerMethodField()
    level = serializers.CharField(read_only=True)
    cin_factor_code = serializers.CharField(read_only=True)
    suspects = serializers.ListField(
        child=serializers.ChoiceField(choices=SuspectFact.choices),
        read_only=True,
        help_text="What is known of how the suspects operate",
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "child",
            "instrument",
            "exploitation_type",
            "cin_factor_code",
            "identified_by",
            "suspects",
            "assessed_at",
            "score",
            "computed_level",
            "override_level",
            "level",
            "safety_scale",
            "open_to_csc",
            "front_door_referred_at",
        ]

    def get_instrument(self, assessment: Assessment) -> str:
        return f"{assessment.instrument.name} v{assessment.instrument.version}"


class LinkSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    child = serializers.UUIDField(source="child.public_id", read_only=True, allow_null=True)
    other_child = serializers.UUIDField(
        source="other_child.public_id", read_only=True, allow_null=True
    )
    person = serializers.UUIDField(source="person.public_id", read_only=True, allow_null=True)
    location = serializers.UUIDField(source="location.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Link
        fields = [
            "id",
            "kind",
            "child",
            "other_child",
            "person",
            "location",
            "source",
            "observed_on",
            "confidence",
            "created_at",
        ]


class DueItemSerializer(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.public_id", read_only=True, allow_null=True)
    episode = serializers.UUIDField(source="episode.public_id", read_only=True, allow_null=True)
    meeting = serializers.UUIDField(source="meeting.public_id", read_only=True, allow_null=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = DueItem
        fields = [
            "key",
            "rule",
            "title",
            "child",
            "episode",
            "meeting",
            "due_at",
            "status",
            "state",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["due", "due_soon", "overdue"]))
    def get_state(self, item: DueItem) -> str:
        return due_state(item)


class MeetingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    series = serializers.CharField(source="series.name", read_only=True)
    kind = serializers.CharField(source="series.kind", read_only=True)
    children_on_agenda = serializers.IntegerField(read_only=True)

    class Meta:
        model = PanelMeeting
        fields = [
            "id",
            "series",
            "kind",
            "date",
            "starts_at",
            "agenda_built_at",
            "children_on_agenda",
            "held",
            "minutes_agreed_at",
            "minutes_circulated_at",
        ]
