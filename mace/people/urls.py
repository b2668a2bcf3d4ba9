from django.urls import path

from mace.episodes import views as episode_views
from mace.meetings import views as meeting_views
from mace.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<uuid:public_id>/", views.duplicate_decide, name="duplicate_decide"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/reason/", views.reason, name="reason"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/merge/", views.merge, name="merge"),
    path("<uuid:public_id>/allocation/", views.allocation, name="allocation"),
    path("<uuid:public_id>/restriction/", views.restriction, name="restriction"),
    path("<uuid:public_id>/add/<slug:what>/", views.add, name="add"),
    path("<uuid:public_id>/photographs/", views.photographs, name="photographs"),
    path(
        "<uuid:public_id>/photographs/<uuid:photograph_id>/remove/",
        views.photograph_remove,
        name="photograph_remove",
    ),
    path("<uuid:public_id>/description/", views.description, name="description"),
    path("photographs/<uuid:public_id>.jpg", views.photograph, name="photograph"),
    path("<uuid:public_id>/report-missing/", episode_views.report, name="report_missing"),
    path("<uuid:public_id>/supervision/", meeting_views.supervision, name="supervision"),
    path(
        "<uuid:public_id>/strategy-meeting/",
        meeting_views.strategy_meeting,
        name="strategy_meeting",
    ),
]
