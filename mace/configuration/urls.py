from django.urls import path

from mace.configuration import views

app_name = "configuration"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("instrument/", views.instrument_upload, name="instrument"),
    path("reset/<slug:key>/", views.reset, name="reset"),
    path("interview-themes/", views.interview_themes, name="interview_themes"),
    path("interview-themes/<uuid:public_id>/", views.interview_theme, name="interview_theme"),
    path("<slug:group>/", views.change, name="change"),
]
