from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import errors, views

app_name = "api"

router = SimpleRouter(trailing_slash=True, use_regex_path=False)
router.register("children", views.ChildViewSet, basename="child")
router.register("episodes", views.EpisodeViewSet, basename="episode")
router.register("interviews", views.InterviewViewSet, basename="interview")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("links", views.LinkViewSet, basename="link")
router.register("due-items", views.DueItemViewSet, basename="due-item")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/", include(router.urls)),
    re_path(r"^[\s\S]*$", errors.not_found),  # any path, newlines included
]
