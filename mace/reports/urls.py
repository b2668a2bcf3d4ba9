from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("annual/", views.annual_report, name="annual"),
    path("dataset/", views.dataset_report, name="dataset"),
    path("prepare/<str:kind>/", views.prepare, name="prepare"),
]
