from django.urls import include, path

from mace.api import tokens

urlpatterns = [
    path("", include("mace.frontend.urls")),
    path("account/", include("mace.accounts.urls")),
    path("children/", include("mace.people.urls")),
    path("audit/", include("mace.audit.urls")),
    path("episodes/", include("mace.interviews.urls")),
    path("episodes/", include("mace.episodes.urls")),
    path("worklist/", include("mace.worklist.urls")),
    path("documents/", include("mace.documents.urls")),
    path("exploitation/", include("mace.exploitation.urls")),
    path("intelligence/", include("mace.intelligence.urls")),
    path("disruption/", include("mace.disruption.urls")),
    path("meetings/", include("mace.meetings.urls")),
    path("education/", include("mace.education.urls")),
    path("reports/", include("mace.reports.urls")),
    path("subject-access/", include("mace.subject_access.urls")),
    path("settings/", include("mace.configuration.urls")),
    path("retention/", include("mace.retention.urls")),
    path("api/", include("mace.api.urls")),
    path("api-tokens/", include((tokens.urlpatterns, "api_tokens"))),
]
