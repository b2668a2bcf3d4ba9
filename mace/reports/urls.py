from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("annual/", views.annual_report, name="annual"),
    path("annual/narrative/", views.annual_narrative, name="annual_narrative"),
    path("dataset/", views.dataset_report, name="dataset"),
    path("voice/", views.voice_report, name="voice"),
    path("prepare/<str:kind>/", views.prepare, name="prepare"),
    path("returns/", views.returns, name="returns"),
    path("returns/ssda903/", views.return_ssda903, name="return_ssda903"),
    path("returns/annex-a/", views.return_annex_a, name="return_annex_a"),
    path("returns/ssd/", views.return_ssd, name="return_ssd"),
]
