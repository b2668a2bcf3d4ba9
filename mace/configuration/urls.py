from django.urls import path

from mace.configuration import views

app_name = "configuration"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("instrument/", views.instrument_upload, name="instrument"),
    path("reset/<slug:key>/", views.reset, name="reset"),
    path("<slug:group>/", views.change, name="change"),
]
