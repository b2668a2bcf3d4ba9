"""The interview pages of an episode, under /episodes/ beside the episode's other pages.
Included before mace.episodes.urls, so `episodes:action` with one of these names still
reverses to the same address and the page is served from here."""

from django.urls import path

from mace.interviews import views

app_name = "interviews"

urlpatterns = [
    path("<uuid:public_id>/safe-and-well/", views.safe_and_well, name="safe_and_well"),
    path("<uuid:public_id>/refer/", views.refer, name="refer"),
    path("<uuid:public_id>/offer/", views.offer, name="offer"),
    path("<uuid:public_id>/interview/", views.interview, name="interview"),
]
