from django.urls import path

from mace.intelligence import views

app_name = "intelligence"

urlpatterns = [
    path("", views.index, name="index"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<uuid:public_id>/", views.person, name="person"),
    path("persons/<uuid:public_id>/link/", views.person_link, name="person_link"),
    path("persons/<uuid:public_id>/note/", views.person_note, name="person_note"),
    path("locations/new/", views.location_create, name="location_create"),
    path("locations/<uuid:public_id>/", views.location, name="location"),
    path("locations/<uuid:public_id>/link/", views.location_link, name="location_link"),
    path("children/<uuid:public_id>/", views.child, name="child"),
    path("children/<uuid:public_id>/link/", views.child_link, name="child_link"),
    path("children/<uuid:public_id>/note/", views.child_note, name="child_note"),
]
