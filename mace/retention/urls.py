from django.urls import path

from mace.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:public_id>/", views.decide, name="decide"),
    path("<uuid:public_id>/delete/", views.purge_confirm, name="purge"),
]
