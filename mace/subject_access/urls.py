from django.urls import path

from mace.subject_access import views

app_name = "subject_access"

urlpatterns = [
    path("<uuid:public_id>/", views.page, name="page"),
    path("<uuid:public_id>/export.zip", views.download, name="download"),
]
