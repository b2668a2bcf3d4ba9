from django.urls import path

from . import views

app_name = "education"

urlpatterns = [
    path("", views.index, name="index"),
    path("notify/", views.notify, name="notify"),
    path("notify/upload/", views.upload, name="upload"),
    path("children/<uuid:public_id>/notify/", views.notify_child, name="notify_child"),
    path("cases/<uuid:public_id>/", views.case, name="case"),
    path("cases/<uuid:public_id>/update/", views.case_update, name="case_update"),
    path("cases/<uuid:public_id>/close/", views.case_close, name="case_close"),
    path("cases/<uuid:public_id>/checks/new/", views.check_add, name="check_add"),
    path("returns/", views.returns, name="returns"),
    path("returns/upload/", views.return_upload, name="return_upload"),
    path("returns/pupils/new/", views.entry_add, name="entry_add"),
    path("tracker/<uuid:public_id>/resolve/", views.entry_resolve, name="entry_resolve"),
    path("terms/", views.terms, name="terms"),
]
