"""The REST API, version 1 (issue 8): the records of MACE through the same access module
as the pages (mace.access.policy) and the same services, so an API write is audited and
moves the worklists exactly as the same change made on a page would.
"""

import datetime
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from mace.access import policy
from mace.accounts.models import User
from mace.episodes import services as episode_services
from mace.episodes.models import Episode, EpisodeKind, MissingFrom, RiskGrading
from mace.exploitation.models import Assessment, ExploitationType
from mace.intelligence.models import Link
from mace.intelligence.selectors import RESTRICTED_MARKER
from mace.interviews.models import ReturnInterview
from mace.lib.quarters import Quarter
from mace.meetings.models import PanelMeeting
from mace.people import selectors as people_selectors
from mace.people import services as people_services
from mace.people.models import Child
from mace.reports import annual, dataset, suppression
from mace.worklist import selectors as worklist_selectors
from mace.worklist.models import DueItem

from . import serializers as s


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, held in UTC: PostgreSQL refuses offsets past 15:59, and a moment
    near the ends of the calendar may not exist in UTC at all; both are a 400, not a 500."""

    def to_python(self, value: Any) -> Any:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise ValidationError(
                "That moment is outside the calendar MACE keeps; give a date-time between the "
                "years 1 and 9999.",
                code="invalid",
            ) from exc


class Moment(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class SeesRecords(permissions.BasePermission):
    """Signed in by token, and a role that may see children's records at all."""

    message = "Your role does not see children's records."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and policy.sees_identifiable_data(user))


class Base(viewsets.GenericViewSet):
    permission_classes = [SeesRecords]
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"

    @property
    def actor(self) -> User:
        return self.request.user

    def openable(self) -> QuerySet[Child]:
        return policy.openable_children(self.actor)


# Children


class ChildFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(
        field_name="reference", lookup_expr="iexact", help_text="The child's MACE reference."
    )
    updated_since = Moment(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Child
        fields = ["reference", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="Children you may see", responses=s.ChildSummarySerializer),
    retrieve=extend_schema(summary="A child's record", responses=s.ChildSerializer),
    create=extend_schema(
        summary="Create a child's record",
        request=s.ChildCreateSerializer,
        responses={201: s.ChildSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a child's details",
        request=s.ChildUpdateSerializer,
        responses=s.ChildSerializer,
    ),
)
class ChildViewSet(
    Base,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    filterset_class = ChildFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = s.ChildSerializer

    def get_queryset(self) -> QuerySet[Child]:
        if getattr(self, "swagger_fake_view", False):  # describing the API
            return Child.objects.none()
        return (
            policy.visible_children(self.actor)
            .prefetch_related("legal_statuses")
            .order_by("reference")
        )

    def get_serializer_class(self) -> Any:
        return {
            "list": s.ChildSummarySerializer,
            "create": s.ChildCreateSerializer,
            "partial_update": s.ChildUpdateSerializer,
            "allocation": s.AllocationSerializer,
            "restriction": s.RestrictionSerializer,
        }.get(self.action, s.ChildSerializer)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # the API always paginates
        # Which of this page's children open without a reason: asked of the page's ids only,
        # not of every child the user may find (a whole region's, for a partnership role).
        ids = [child.pk for child in page]
        openable = set(self.openable().filter(pk__in=ids).values_list("pk", flat=True))
        serializer = s.ChildSummarySerializer(
            page, many=True, context={**self.get_serializer_context(), "openable": openable}
        )
        return self.get_paginated_response(serializer.data)

    def get_object(self) -> Child:
        return people_selectors.child_get(actor=self.actor, public_id=self.kwargs["id"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.ChildCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        legal_status = data.pop("legal_status_on_creation")
        child = people_services.child_create(actor=self.actor, legal_status=legal_status, **data)
        return Response(s.ChildSerializer(child).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        child = self.get_object()
        serializer = s.ChildUpdateSerializer(child, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise_missing_version()
        version = data.pop("version")
        child = people_services.child_update(
            actor=self.actor, child=child, expected_version=version, **data
        )
        return Response(s.ChildSerializer(child).data)

    @extend_schema(
        summary="Allocate a child: their team and allocated worker (managers)",
        description="A field left out stays as it is; null removes it. The worker must be an "
        "active social worker in the team. Audited, and the worklist follows at once.",
        request=s.AllocationSerializer,
        responses=s.ChildSerializer,
    )
    @action(detail=True, methods=["post"])
    def allocation(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        child = self.get_object()
        if not policy.can_allocate_child(self.actor, child):
            raise PermissionDenied("Only a manager allocates a child to a team and a worker.")
        serializer = s.AllocationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = people_services.child_allocate(
            actor=self.actor,
            child=child,
            team=data.get("team", child.team),
            worker=data.get("allocated_worker", child.allocated_worker),
        )
        return Response(s.ChildSerializer(child).data)

    @extend_schema(
        summary="Restrict a child's record, or lift the restriction (managers)",
        description="The reason is recorded with your name in the audit trail.",
        request=s.RestrictionSerializer,
        responses=s.ChildSerializer,
    )
    @action(detail=True, methods=["post"])
    def restriction(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        child = self.get_object()
        if not policy.can_restrict_child(self.actor, child):
            raise PermissionDenied("Only a manager restricts a record or lifts a restriction.")
        serializer = s.RestrictionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        child = people_services.child_set_restriction(
            actor=self.actor,
            child=child,
            restricted=serializer.validated_data["restricted"],
            reason=serializer.validated_data["reason"],
        )
        return Response(s.ChildSerializer(child).data)


def raise_missing_version() -> None:
    from rest_framework.exceptions import ValidationError

    raise ValidationError({"version": ["Send the version you read, so no one's edit is lost."]})


# Episodes


class EpisodeFilter(django_filters.FilterSet):
    child = django_filters.UUIDFilter(field_name="child__public_id")
    kind = django_filters.ChoiceFilter(choices=EpisodeKind.choices)
    missing_from = django_filters.ChoiceFilter(choices=MissingFrom.choices)
    open = django_filters.BooleanFilter(
        field_name="returned_at", lookup_expr="isnull", help_text="Only episodes still open."
    )
    last_seen_from = Moment(field_name="last_seen_at", lookup_expr="gte")
    last_seen_to = Moment(field_name="last_seen_at", lookup_expr="lte")

    class Meta:
        model = Episode
        fields = ["child", "kind", "missing_from", "open", "last_seen_from", "last_seen_to"]


@extend_schema_view(
    list=extend_schema(summary="Missing episodes", responses=s.EpisodeSerializer),
    retrieve=extend_schema(summary="A missing episode", responses=s.EpisodeSerializer),
    create=extend_schema(
        summary="Report a child missing",
        request=s.EpisodeCreateSerializer,
        responses={201: s.EpisodeSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an episode (a return, a correction)",
        request=s.EpisodeUpdateSerializer,
        responses=s.EpisodeSerializer,
    ),
)
class EpisodeViewSet(
    Base,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    filterset_class = EpisodeFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = s.EpisodeSerializer

    def get_queryset(self) -> QuerySet[Episode]:
        if getattr(self, "swagger_fake_view", False):  # describing the API
            return Episode.objects.none()
        return (
            Episode.objects.filter(child__in=self.openable().values("pk"))
            .select_related("child")
            .prefetch_related(Prefetch("risk_gradings", queryset=RiskGrading.objects.all()))
            .order_by("-last_seen_at", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.EpisodeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        child = people_selectors.child_get(actor=self.actor, public_id=data.pop("child"))
        if not policy.can_record_episode(self.actor, child):
            raise PermissionDenied("Your role does not record missing episodes for this child.")
        episode = episode_services.episode_report(
            actor=self.actor,
            child=child,
            kind=data.pop("kind"),
            missing_from=data.pop("missing_from"),
            last_seen_at=data.pop("last_seen_at"),
            risk_grade=data.pop("risk_grade", ""),
            **data,
        )
        return Response(self._out(episode), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        episode = self.get_object()
        serializer = s.EpisodeUpdateSerializer(episode, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise_missing_version()
        version = data.pop("version")
        health = {name: data.pop(name) for name in s.HEALTH_ASSESSMENT_FIELDS if name in data}
        # Access as the pages: the episode's facts by those who record episodes; the health
        # assessment's offer (T12) by those who may record it on the episode page.
        if (data or not health) and not policy.can_record_episode(self.actor, episode.child):
            raise PermissionDenied("Your role does not record missing episodes for this child.")
        if health and not policy.can_record_health_assessment_offer(self.actor, episode.child):
            raise PermissionDenied(
                "Your role does not record the offer of a health assessment for this child."
            )
        with transaction.atomic():
            if data or not health:
                episode = episode_services.episode_update(
                    actor=self.actor, episode=episode, expected_version=version, **data
                )
                version = episode.version
            if health:
                episode = self._record_health_assessment(episode, version, health)
        return Response(self._out(episode))

    def _record_health_assessment(
        self, episode: Episode, version: int, health: dict[str, Any]
    ) -> Episode:
        try:
            return episode_services.episode_record_health_assessment(
                actor=self.actor,
                episode=episode,
                offered=health["health_assessment_offered"],
                not_offered_reason=health.get("health_assessment_not_offered_reason", ""),
                expected_version=version,
            )
        except ValidationError as error:
            # The service names the page's fields; the API's are named after the episode's.
            names = {
                "offered": "health_assessment_offered",
                "not_offered_reason": "health_assessment_not_offered_reason",
            }
            raise ValidationError(
                {names.get(key, key): value for key, value in error.message_dict.items()}
            ) from None

    def _out(self, episode: Episode) -> dict[str, Any]:
        return dict(s.EpisodeSerializer(self.get_queryset().get(pk=episode.pk)).data)


# Read-only records


class InterviewFilter(django_filters.FilterSet):
    child = django_filters.UUIDFilter(field_name="episode__child__public_id")
    episode = django_filters.UUIDFilter(field_name="episode__public_id")
    status = django_filters.ChoiceFilter(choices=ReturnInterview.Status.choices)

    class Meta:
        model = ReturnInterview
        fields = ["child", "episode", "status"]


@extend_schema_view(
    list=extend_schema(summary="Return home interviews"),
    retrieve=extend_schema(summary="A return home interview"),
)
class InterviewViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.InterviewSerializer
    filterset_class = InterviewFilter

    def get_queryset(self) -> QuerySet[ReturnInterview]:
        if getattr(self, "swagger_fake_view", False):  # describing the API
            return ReturnInterview.objects.none()
        return (
            ReturnInterview.objects.filter(episode__child__in=self.openable().values("pk"))
            .select_related("episode__child", "provider")
            .prefetch_related("offers")
            .order_by("-referred_at", "-id")
        )


class AssessmentFilter(django_filters.FilterSet):
    child = django_filters.UUIDFilter(field_name="child__public_id")
    exploitation_type = django_filters.ChoiceFilter(choices=ExploitationType.choices)

    class Meta:
        model = Assessment
        fields = ["child", "exploitation_type"]


@extend_schema_view(
    list=extend_schema(summary="Exploitation risk assessments"),
    retrieve=extend_schema(summary="An exploitation risk assessment"),
)
class AssessmentViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):  # describing the API
            return Assessment.objects.none()
        return (
            Assessment.objects.filter(child__in=self.openable().values("pk"))
            .select_related("child", "instrument")
            .order_by("-assessed_at", "-id")
        )


class LinkFilter(django_filters.FilterSet):
    child = django_filters.UUIDFilter(field_name="child__public_id")
    kind = django_filters.ChoiceFilter(choices=Link.Kind.choices)

    class Meta:
        model = Link
        fields = ["child", "kind"]


class ClearedForIntelligence(permissions.BasePermission):
    message = RESTRICTED_MARKER

    def has_permission(self, request: Request, view: Any) -> bool:
        return policy.can_see_intelligence(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Intelligence links (cleared roles only)",
        description="Others get 403 with code `restricted`: a restriction exists; never its "
        "content or how much is held.",
    ),
)
class LinkViewSet(Base, mixins.ListModelMixin):
    serializer_class = s.LinkSerializer
    filterset_class = LinkFilter
    permission_classes = [SeesRecords, ClearedForIntelligence]

    def permission_denied(self, request: Request, message: Any = None, code: Any = None) -> None:
        if request.user and request.user.is_authenticated:
            raise PermissionDenied(RESTRICTED_MARKER, code="restricted")
        super().permission_denied(request, message=message, code=code)

    def get_queryset(self) -> QuerySet[Link]:
        if getattr(self, "swagger_fake_view", False):  # describing the API
            return Link.objects.none()
        visible = self.openable().values("pk")
        hidden = Child.objects.exclude(pk__in=visible).values("pk")
        return (
            Link.objects.filter(Q(child__in=visible) | Q(child__isnull=True))
            .exclude(other_child__in=hidden)
            .select_related("child", "other_child", "person", "location")
            .order_by("-observed_on", "-id")
        )


class DueItemFilter(django_filters.FilterSet):
    rule = django_filters.CharFilter(help_text="A rule of SPEC section 4, e.g. T7.")
    child = django_filters.UUIDFilter(field_name="child__public_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = DueItem
        fields = ["rule", "child", "overdue"]

    def filter_overdue(self, queryset: QuerySet[DueItem], name: str, value: bool) -> Any:
        now = timezone.now()
        return queryset.filter(due_at__lt=now) if value else queryset.filter(due_at__gte=now)


@extend_schema_view(
    list=extend_schema(
        summary="Your worklist: what is due, for you, your role's queue and your team"
    ),
)
class DueItemViewSet(Base, mixins.ListModelMixin):
    serializer_class = s.DueItemSerializer
    filterset_class = DueItemFilter

    def get_queryset(self) -> QuerySet[DueItem]:
        if getattr(self, "swagger_fake_view", False):  # describing the API
            return DueItem.objects.none()
        if not policy.can_have_worklist(self.actor):
            return DueItem.objects.none()
        return worklist_selectors.my_work(actor=self.actor).select_related("meeting")


class MeetingFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = PanelMeeting
        fields = ["date_from", "date_to"]


@extend_schema_view(
    list=extend_schema(summary="Panel meetings of the panels you sit on or run"),
    retrieve=extend_schema(summary="A panel meeting"),
)
class MeetingViewSet(Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[PanelMeeting]:
        if getattr(self, "swagger_fake_view", False):  # describing the API
            return PanelMeeting.objects.none()
        from mace.meetings.selectors import panels_for

        series = [p.pk for p in panels_for(actor=self.actor)]
        return (
            PanelMeeting.objects.filter(series__in=series)
            .select_related("series")
            .annotate(children_on_agenda=Count("items__child", distinct=True))
            .order_by("-date", "-id")
        )


# Reports


class RunsReports(permissions.BasePermission):
    message = "Your role does not run reports."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and policy.can_run_reports(user))


def _anonymised(user: Any) -> bool:
    """Whether this user gets only suppressed figures, for whole quarters (issue 16)."""
    return not policy.sees_unsuppressed_report_figures(user)


class AnnualQuery(serializers.Serializer):
    """The period; for an analyst (context `anonymised`), whole quarters of at least
    ANALYST_MINIMUM_REPORT_DAYS, as on the page."""

    start = serializers.DateField(help_text="The first day counted (YYYY-MM-DD)")
    end = serializers.DateField(help_text="The last day counted (YYYY-MM-DD)")
    publish = serializers.BooleanField(
        default=False,
        help_text="Suppress numbers under 5 (always so for analysts, who must also ask for "
        "whole quarters)",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "The last day must be on or after the first"})
        if self.context.get("anonymised"):
            problem = suppression.period_problem(annual.Period(attrs["start"], attrs["end"]))
            if problem:
                raise serializers.ValidationError({"start": problem})
        return attrs


class DatasetQuery(serializers.Serializer):
    quarter = serializers.RegexField(r"^\d{4}Q[1-4]$", help_text="For example 2026Q1")
    publish = serializers.BooleanField(default=False)


class ReportViewSet(viewsets.ViewSet):
    """The annual report (SPEC section 5's JSON) and the quarterly dataset (003 A7)."""

    permission_classes = [RunsReports]

    @extend_schema(
        summary="The annual report",
        parameters=[AnnualQuery],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def annual(self, request: Request) -> Response:
        anonymised = _anonymised(request.user)
        query = AnnualQuery(data=request.query_params, context={"anonymised": anonymised})
        query.is_valid(raise_exception=True)
        report = annual.build(
            annual.Period(query.validated_data["start"], query.validated_data["end"])
        )
        if query.validated_data["publish"] or anonymised:
            report = suppression.published(report)
        return Response(report)

    @extend_schema(
        summary="The quarterly Missing and CSE dataset",
        parameters=[DatasetQuery],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def dataset(self, request: Request) -> Response:
        query = DatasetQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = dataset.build(
            Quarter.parse(query.validated_data["quarter"]),
            cleared=policy.can_see_intelligence(request.user),
        )
        if query.validated_data["publish"] or _anonymised(request.user):
            data = suppression.dataset_published(data)
        return Response(data)
