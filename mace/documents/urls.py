from django.urls import path

from mace.documents import views

app_name = "documents"

urlpatterns = [
    path(
        "<uuid:public_id>/missing-person-profile.pdf",
        views.profile_pdf,
        name="profile_pdf",
    ),
    path(
        "episodes/<uuid:public_id>/return-interview.pdf",
        views.return_interview_pdf,
        name="return_interview_pdf",
    ),
    path("<uuid:public_id>/director-letters/", views.letters, name="letters"),
    path(
        "<uuid:public_id>/director-letters/prepare/",
        views.letter_prepare,
        name="letter_prepare",
    ),
    path(
        "director-letters/<uuid:public_id>.docx",
        views.letter_download,
        {"file_format": "docx"},
        name="letter_docx",
    ),
    path(
        "director-letters/<uuid:public_id>.pdf",
        views.letter_download,
        {"file_format": "pdf"},
        name="letter_pdf",
    ),
    path("director-letters/<uuid:public_id>/sent/", views.letter_mark_sent, name="letter_sent"),
]
