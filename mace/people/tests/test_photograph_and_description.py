"""The child's photograph and physical description (issue 20 point 3): the file checked and
re-encoded without its metadata, kept outside the web root under an opaque name, served only
through the access check (role by role, both ways), audited; the description changed through
its service with before and after; both on the child's header, page and police profile."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.documents import render
from mace.lib.concurrency import EditConflict
from mace.people import photographs, selectors, services
from mace.people.models import ChildDescription, ChildPhotograph, Involvement
from mace.people.services import restricted_access_grant
from mace.people.tests import photos
from mace.people.tests.factories import ChildFactory, InvolvementFactory

TODAY = datetime.date.today
# Who may open a child of the `team` fixture, not allocated to anyone, and who may change it.
SEE_AND_ADD = [Role.POLICE_OFFICER, Role.MISSING_COORDINATOR, Role.MANAGER, Role.SOCIAL_WORKER]
NEITHER = [
    Role.RHI_WORKER,
    Role.INCLUSION_OFFICER,
    Role.PANEL_MEMBER,
    Role.ANALYST,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
]


@pytest.fixture
def child(team):
    return ChildFactory(team=team, date_of_birth=TODAY() - datetime.timedelta(days=14 * 365))


@pytest.fixture
def coordinator(users):
    return users[Role.MISSING_COORDINATOR]


def add(actor, child, content=None, *, taken_on=None, taken_by="Foster carer Sam Test"):
    content = photos.jpeg() if content is None else content
    return services.photograph_add(
        actor=actor,
        child=child,
        image=io.BytesIO(content),
        size=len(content),
        taken_on=taken_on or TODAY() - datetime.timedelta(days=3),
        taken_by=taken_by,
    )


def refusal(actor, child, content, **settings_kw):
    with pytest.raises(ValidationError) as caught:
        add(actor, child, content)
    return caught.value.message_dict["image"][0]


# The file: checked, re-encoded, stripped, bounded, stored privately


@pytest.mark.django_db
def test_the_photograph_is_reencoded_without_exif_or_gps_and_bounded(coordinator, child, settings):
    original = photos.jpeg(3000, 2000)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(photos.GPS_IFD)  # it had GPS
    photograph = add(coordinator, child, original)
    with photograph.image.open("rb") as kept:
        content = kept.read()
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert image.size == (1200, 800) == (photograph.width, photograph.height)
    assert not image.getexif()
    assert not image.getexif().get_ifd(photos.GPS_IFD)
    assert b"Exif" not in content
    assert b"Test Camera Maker" not in content
    assert "icc_profile" not in image.info


@pytest.mark.django_db
def test_the_file_is_kept_outside_the_web_root_under_an_opaque_name(coordinator, child, settings):
    photograph = add(coordinator, child)
    path = photograph.image.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert re.fullmatch(r"photographs/[0-9a-f]{32}\.jpg", photograph.image.name)
    for words in (child.first_name, child.last_name, child.reference, str(child.public_id)):
        assert words not in photograph.image.name
    with pytest.raises(ValueError, match="no URL"):
        photograph.image.url  # noqa: B018


@pytest.mark.django_db
@pytest.mark.parametrize("content", [photos.png(), photos.png(mode="L"), photos.webp()])
def test_png_and_webp_are_accepted_as_jpeg(coordinator, child, content):
    photograph = add(coordinator, child, content)
    with photograph.image.open("rb") as kept:
        assert Image.open(kept).format == "JPEG"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Name,Date of birth\nNot,an image\n", photographs.NOT_AN_IMAGE),  # a text file
        (photos.gif(), photographs.NOT_AN_IMAGE),
        (b"%PDF-1.7 not a photograph", photographs.NOT_AN_IMAGE),
        (photos.jpeg()[:600], photographs.DAMAGED),  # cut short
        (b"", "The selected file is empty"),
    ],
    ids=["text", "gif", "pdf", "truncated", "empty"],
)
def test_what_is_not_a_usable_image_is_refused_saying_what_to_fix(
    coordinator, child, content, message
):
    assert refusal(coordinator, child, content) == message
    assert not ChildPhotograph.objects.exists()


@pytest.mark.django_db
def test_a_decompression_bomb_is_refused_before_it_is_decoded(coordinator, child, settings):
    bomb = photos.png_bomb()
    assert len(bomb) < 2000
    message = refusal(coordinator, child, bomb)
    assert message == (
        "The photograph must be smaller than 40 megapixels: save a smaller copy, then upload it"
    )
    settings.PHOTOGRAPH_MAX_PIXELS = 1_000_000  # the limit is a setting
    assert "smaller than 1 megapixels" in refusal(coordinator, child, photos.jpeg(1600, 1200))


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(coordinator, child, settings):
    settings.PHOTOGRAPH_MAX_UPLOAD_MB = 1
    big = photos.jpeg(200, 200) + b"\0" * (1024 * 1024)
    assert refusal(coordinator, child, big) == "The photograph must be smaller than 1 MB"
    assert not any(settings.PRIVATE_MEDIA_ROOT.rglob("*.jpg"))


@pytest.mark.django_db
def test_the_date_taken_and_who_took_it_are_checked(coordinator, child):
    with pytest.raises(ValidationError) as caught:
        add(coordinator, child, taken_on=TODAY() + datetime.timedelta(days=2))
    assert caught.value.message_dict["taken_on"] == [
        "The date the photograph was taken must be today or in the past"
    ]
    with pytest.raises(ValidationError) as caught:
        add(coordinator, child, taken_on=child.date_of_birth - datetime.timedelta(days=1))
    assert "on or after the child's date of birth" in caught.value.message_dict["taken_on"][0]
    with pytest.raises(ValidationError) as caught:
        add(coordinator, child, taken_by="  ")
    assert caught.value.message_dict["taken_by"] == ["Enter who took the photograph"]


@pytest.mark.django_db
def test_the_latest_taken_is_current_and_earlier_ones_are_kept(coordinator, child):
    older = add(coordinator, child, taken_on=TODAY() - datetime.timedelta(days=400))
    newer = add(coordinator, child, taken_on=TODAY() - datetime.timedelta(days=2))
    add(coordinator, child, taken_on=TODAY() - datetime.timedelta(days=200))  # history, later
    assert selectors.current_photograph(child) == newer
    held = selectors.photographs_of(child)
    assert held[0].pk == newer.pk
    assert held[-1] == older
    event = AuditEvent.objects.get(object_id=str(newer.public_id), action="create")
    assert event.actor == coordinator
    assert event.child_id == child.public_id
    assert event.after["taken_by"] == "Foster carer Sam Test"


# Who may see and add, role by role, both ways


@pytest.mark.django_db
@pytest.mark.parametrize("role", SEE_AND_ADD + NEITHER)
def test_the_image_view_asks_the_policy(role, users, coordinator, child, client_for):
    photograph = add(coordinator, child)
    url = reverse("people:photograph", kwargs={"public_id": photograph.public_id})
    response = client_for(users[role]).get(url)
    if role in SEE_AND_ADD:
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert Image.open(io.BytesIO(response.content)).format == "JPEG"
        assert AuditEvent.objects.filter(
            actor=users[role], action="view", object_id=str(photograph.public_id)
        ).exists()
    else:
        assert response.status_code == 403
        assert b"\xff\xd8" not in response.content[:2]
        assert AuditEvent.objects.filter(
            actor=users[role], action="access_denied", object_id=str(photograph.public_id)
        ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", SEE_AND_ADD + NEITHER)
def test_the_upload_page_and_the_upload_ask_the_policy(role, users, child, client_for):
    client = client_for(users[role])
    url = reverse("people:photographs", kwargs={"public_id": child.public_id})
    page = client.get(url)
    upload = SimpleUploadedFile("me.jpg", photos.jpeg(), content_type="image/jpeg")
    response = client.post(
        url,
        {
            "image": upload,
            "taken_on_0": "1",
            "taken_on_1": "12",
            "taken_on_2": str(TODAY().year - 1),
            "taken_by": "Test carer",
        },
    )
    if role in SEE_AND_ADD:
        assert page.status_code == 200
        assert b"Upload the photograph" in page.content
        assert response.status_code == 302
        assert ChildPhotograph.objects.filter(child=child, uploaded_by=users[role]).exists()
    else:
        assert page.status_code == 403
        assert response.status_code == 403
        assert not ChildPhotograph.objects.exists()


@pytest.mark.django_db
def test_a_referred_return_interview_worker_sees_the_photograph_and_may_not_add_one(
    users, coordinator, child, client_for
):
    worker = users[Role.RHI_WORKER]
    InvolvementFactory(child=child, kind=Involvement.Kind.RHI_PROVIDER, agency=worker.agency)
    photograph = add(coordinator, child)
    client = client_for(worker)
    url = reverse("people:photograph", kwargs={"public_id": photograph.public_id})
    assert client.get(url).status_code == 200
    page = client.get(reverse("people:photographs", kwargs={"public_id": child.public_id}))
    assert page.status_code == 200
    assert b"Upload the photograph" not in page.content
    assert b"Photograph of the child, taken on" in page.content
    with pytest.raises(PermissionDenied):
        add(worker, child)
    description = reverse("people:description", kwargs={"public_id": child.public_id})
    assert client.get(description).status_code == 403


@pytest.mark.django_db
def test_a_restricted_childs_photograph_needs_the_reason_first(coordinator, child, client_for):
    photograph = add(coordinator, child)
    child.is_restricted = True
    child.save()
    client = client_for(coordinator)
    url = reverse("people:photograph", kwargs={"public_id": photograph.public_id})
    assert client.get(url).status_code == 403
    header = selectors.child_header(actor=coordinator, child=child)
    assert header is not None
    assert header.photo is None
    restricted_access_grant(actor=coordinator, child=child, reason="Missing tonight, police ask")
    assert client.get(url).status_code == 200


# The upload page: errors name what to fix and lose nothing typed


@pytest.mark.django_db
def test_a_refused_file_says_why_and_keeps_what_was_typed(coordinator, child, client_for):
    url = reverse("people:photographs", kwargs={"public_id": child.public_id})
    renamed = SimpleUploadedFile("photo.jpg", b"just some text", content_type="image/jpeg")
    response = client_for(coordinator).post(
        url,
        {
            "image": renamed,
            "taken_on_0": "4",
            "taken_on_1": "11",
            "taken_on_2": str(TODAY().year - 1),
            "taken_by": "School photographer",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Error: Photographs of" in html
    assert "The photograph must be a JPG, PNG or WebP image" in html
    assert 'href="#id_image"' in html
    assert 'value="School photographer"' in html
    assert 'value="4"' in html
    assert 'value="11"' in html
    assert not ChildPhotograph.objects.exists()


@pytest.mark.django_db
def test_no_file_chosen_says_so(coordinator, child, client_for):
    url = reverse("people:photographs", kwargs={"public_id": child.public_id})
    response = client_for(coordinator).post(url, {"taken_by": "Test"})
    html = response.content.decode()
    assert "Select a photograph to upload" in html
    assert "Enter date the photograph was taken" in html


# The header, the child's page and the police profile


@pytest.mark.django_db
def test_the_header_shows_the_current_photograph_with_its_date(coordinator, child, client_for):
    detail = reverse("people:detail", kwargs={"public_id": child.public_id})
    page = client_for(coordinator).get(detail)
    assert b"child-header-photo" not in page.content
    assert b"No photograph held" in page.content
    photograph = add(coordinator, child, taken_on=datetime.date(TODAY().year - 1, 3, 7))
    page = client_for(coordinator).get(detail)
    html = page.content.decode()
    assert reverse("people:photograph", kwargs={"public_id": photograph.public_id}) in html
    assert f'alt="Photograph of the child, taken on 7 March {TODAY().year - 1}"' in html


def pdf_pages(html: str) -> int:
    from weasyprint import HTML

    return len(HTML(string=html).render().pages)


@pytest.mark.django_db
def test_the_profile_holds_the_photograph_and_description_on_one_page(coordinator, child):
    before = render.missing_person_profile_pdf(child, actor=coordinator)
    assert b"/Subtype /Image" not in before
    assert "No photograph held" in render.missing_person_profile_html(child, actor=coordinator)
    add(coordinator, child, photos.jpeg(900, 1200), taken_by="Foster carer Sam Test")
    services.description_update(
        actor=coordinator,
        child=child,
        expected_version=0,
        height="1.62 m",
        build="Slim",
        hair="Long, dark brown, often tied back",
        eyes="Brown",
        distinguishing_marks="Small scar above the left eyebrow. " * 20,
        clothing="Black puffer jacket, grey joggers, white trainers. " * 20,
        clothing_seen_on=TODAY(),
    )
    child.identifying_information = "Phone and social media details. " * 60
    child.additional_needs = "Needs described at length. " * 60
    child.save()
    html = render.missing_person_profile_html(child, actor=coordinator)
    assert "No photograph held" not in html
    assert "data:image/jpeg;base64," in html
    assert "Photograph of the child, taken on" in html
    for words in ("1.62 m", "Slim", "Long, dark brown", "Brown", "Small scar", "puffer jacket"):
        assert words in html
    content = render.missing_person_profile_pdf(child, actor=coordinator)
    assert b"/Subtype /Image" in content
    assert pdf_pages(html) == 1


@pytest.mark.django_db
def test_the_profile_download_embeds_the_photograph_for_those_who_may_see_it(
    users, coordinator, child, client_for
):
    add(coordinator, child)
    url = reverse("documents:profile_pdf", kwargs={"public_id": child.public_id})
    for role in SEE_AND_ADD:
        response = client_for(users[role]).get(url)
        assert response.status_code == 200, role
        assert b"/Subtype /Image" in response.content, role
    for role in NEITHER:
        response = client_for(users[role]).get(url)
        assert response.status_code == 403, role
    # Rendered for a reader who may not see the child, the profile holds neither.
    services.description_update(
        actor=coordinator, child=child, expected_version=0, hair="Test red curls"
    )
    html = render.missing_person_profile_html(child, actor=users[Role.ANALYST])
    assert "data:image" not in html
    assert "Test red curls" not in html


# The description


@pytest.mark.django_db
def test_the_description_is_recorded_then_changed_with_before_and_after(coordinator, child):
    first = services.description_update(
        actor=coordinator, child=child, expected_version=0, height="1.50 m", hair="Short, fair"
    )
    assert first.version == 1
    created = AuditEvent.objects.get(object_type="people.childdescription", action="create")
    assert created.after == {"height": "1.50 m", "hair": "Short, fair"}
    services.description_update(
        actor=coordinator, child=child, expected_version=1, height="1.55 m", hair="Short, fair"
    )
    changed = AuditEvent.objects.get(object_type="people.childdescription", action="change")
    assert changed.before == {"height": "1.50 m"}
    assert changed.after == {"height": "1.55 m"}
    assert changed.child_id == child.public_id
    with pytest.raises(EditConflict):
        services.description_update(actor=coordinator, child=child, expected_version=1, eyes="Blue")
    unchanged = services.description_update(
        actor=coordinator, child=child, expected_version=2, height="1.55 m"
    )
    assert unchanged.version == 2  # saving the same again changes nothing
    assert AuditEvent.objects.filter(object_type="people.childdescription").count() == 2
    assert ChildDescription.objects.get(child=child).eyes == ""


@pytest.mark.django_db
def test_clothing_needs_the_day_it_was_seen_and_not_in_the_future(coordinator, child):
    with pytest.raises(ValidationError) as caught:
        services.description_update(
            actor=coordinator, child=child, expected_version=0, clothing="Red coat"
        )
    assert caught.value.message_dict["clothing_seen_on"] == [
        "Enter the date the child was last seen in these clothes"
    ]
    with pytest.raises(ValidationError) as caught:
        services.description_update(
            actor=coordinator,
            child=child,
            expected_version=0,
            clothing="Red coat",
            clothing_seen_on=TODAY() + datetime.timedelta(days=1),
        )
    assert "must be today or in the past" in caught.value.message_dict["clothing_seen_on"][0]
    assert not ChildDescription.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", SEE_AND_ADD + NEITHER)
def test_who_may_change_the_description(role, users, child, client_for):
    client = client_for(users[role])
    url = reverse("people:description", kwargs={"public_id": child.public_id})
    response = client.post(
        url,
        {
            "version": "0",
            "height": "1.70 m",
            "clothing": "Blue hoodie",
            "clothing_seen_on_0": str(TODAY().day),
            "clothing_seen_on_1": str(TODAY().month),
            "clothing_seen_on_2": str(TODAY().year),
        },
    )
    if role in SEE_AND_ADD:
        assert response.status_code == 302
        assert ChildDescription.objects.get(child=child).height == "1.70 m"
    else:
        assert response.status_code == 403
        assert not ChildDescription.objects.exists()


@pytest.mark.django_db
def test_the_description_page_names_what_to_fix_and_keeps_what_was_typed(
    coordinator, child, client_for
):
    url = reverse("people:description", kwargs={"public_id": child.public_id})
    response = client_for(coordinator).post(
        url, {"version": "0", "hair": "Shaved", "clothing": "Green parka"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the date the child was last seen in these clothes" in html
    assert "Shaved" in html
    assert "Green parka" in html


@pytest.mark.django_db
def test_a_merge_keeps_the_duplicates_photographs(coordinator, child, users):
    duplicate = ChildFactory(team=child.team, date_of_birth=child.date_of_birth)
    photograph = add(coordinator, duplicate)
    services.child_merge(actor=users[Role.MANAGER], keep=child, duplicate=duplicate)
    photograph.refresh_from_db()
    assert photograph.child == child
    assert timezone.now()  # merged without losing the history
