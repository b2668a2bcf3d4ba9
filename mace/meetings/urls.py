from django.urls import path

from mace.meetings import panel_views as views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("series/<uuid:public_id>/open/", views.meeting_open, name="open"),
    path("series/<uuid:public_id>/settings/", views.series_settings, name="settings"),
    path("<uuid:public_id>/", views.meeting, name="meeting"),
    path("<uuid:public_id>/agenda/", views.agenda_rebuild, name="agenda"),
    path("<uuid:public_id>/items/<int:item_id>/", views.discussion, name="discussion"),
    path("<uuid:public_id>/attendance/", views.attendance, name="attendance"),
    path("<uuid:public_id>/minutes/", views.minutes, name="minutes"),
    path("<uuid:public_id>/pack.pdf", views.pack, name="pack"),
    path("children/<uuid:public_id>/actions/", views.child_actions, name="actions"),
    path("children/<uuid:public_id>/transition/", views.transition, name="transition"),
]
