from django.urls import path

from mace.disruption import views

app_name = "disruption"

urlpatterns = [
    path("children/<uuid:public_id>/", views.plan, name="plan"),
    path("children/<uuid:public_id>/actions/new/", views.action_create, name="action_create"),
    path(
        "children/<uuid:public_id>/outcomes/new/",
        views.outcome_for_child,
        name="outcome_for_child",
    ),
    path("actions/<uuid:public_id>/outcome/", views.action_outcome, name="action_outcome"),
    path(
        "persons/<uuid:public_id>/outcomes/new/",
        views.outcome_for_person,
        name="outcome_for_person",
    ),
    path(
        "locations/<uuid:public_id>/outcomes/new/",
        views.outcome_for_location,
        name="outcome_for_location",
    ),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("library/", views.library, name="library"),
    path(
        "library/<slug:kind>/<uuid:public_id>/retire/",
        views.library_retire,
        name="library_retire",
    ),
]
