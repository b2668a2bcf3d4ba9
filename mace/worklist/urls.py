from django.urls import path

from mace.worklist import views

app_name = "worklist"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("items/<uuid:public_id>/reassign/", views.reassign, name="reassign"),
    path("missing/", views.coordinator, name="coordinator"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
