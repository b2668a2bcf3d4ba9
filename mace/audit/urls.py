from django.urls import path

from mace.audit import views

app_name = "audit"

urlpatterns = [path("", views.search, name="search")]
