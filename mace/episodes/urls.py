from django.urls import path

from mace.episodes import views

app_name = "episodes"

urlpatterns = [
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/<slug:name>/", views.action, name="action"),
]
