"""Documents drawn from the record (SPEC C10): the director-to-director letter of 003 A8
as Word and PDF, and the one-page missing-person profile for the police.

The words of the letter are written once (`director_letter_text`) and laid out twice.
PDFs are made from HTML templates by WeasyPrint, imported only when a PDF is made, so that
MACE starts and serves everything else on a machine without Pango.
"""

import base64
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.text import Truncator
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from mace.access import policy
from mace.accounts.models import User
from mace.documents.letterhead import Letterhead, letterhead
from mace.documents.models import DirectorLetter
from mace.episodes.models import Episode
from mace.interviews.models import ReturnInterview
from mace.lib.days import day_of
from mace.people.models import Child, ChildAddress, Gender, LegalStatusKind
from mace.people.selectors import child_current_legal_status, current_photograph, description_of

# What fits on one A4 page of the profile, however much the record holds.
PROFILE_EPISODES = 5
PROFILE_PLACES = 6
PROFILE_ASSOCIATES = 8
PROFILE_TEXT_CHARS = 420
PROFILE_LINE_CHARS = 110
PROFILE_INTERVIEWS = 2


def long_date(day: datetime.date | datetime.datetime) -> str:
    if isinstance(day, datetime.datetime):
        day = day_of(day)
    return dateformat.format(day, "j F Y")


def _date_time(moment: datetime.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j M Y H:i")


def _cut(text: str, chars: int) -> str:
    return Truncator(text.strip()).chars(chars)


def _possessive(child: Child) -> str:
    if child.gender == Gender.MALE:
        return "his"
    if child.gender == Gender.FEMALE:
        return "her"
    return "their"


def _pdf(html: str) -> bytes:
    # Imported here: WeasyPrint needs Pango, and only PDFs need WeasyPrint.
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


# The director-to-director letter (003 §15, A8)


@dataclass(frozen=True)
class Signatory:
    title: str
    organisation: str


@dataclass(frozen=True)
class LetterText:
    sender: Letterhead
    dated: str
    our_reference: str
    addressee: tuple[str, ...]
    marking: str
    heading: str
    salutation: str
    young_person: str
    paragraphs: tuple[str, ...]
    closing: str
    signatories: tuple[Signatory, ...]
    note: str

    @property
    def sender_lines(self) -> tuple[str, ...]:
        lines = (self.sender.service_name, self.sender.authority_name, *self.sender.address_lines)
        return (*lines, self.sender.website) if self.sender.website else lines

    @property
    def contact(self) -> str:
        phone = f", {self.sender.contact_phone}" if self.sender.contact_phone else ""
        return f"{self.sender.contact_team}{phone}"


def director_letter_text(
    letter: DirectorLetter,
    *,
    discussed_on: datetime.date | None = None,
    dated: datetime.date | None = None,
) -> LetterText:
    """The words of 003 A8, filled in from the letter's record.

    The child was discussed on `discussed_on` (default: the day the letter was prepared);
    the letter is dated `dated` (default: today).
    """
    child = letter.child
    sender = letterhead()
    authority = sender.authority_name
    discussed = long_date(discussed_on or letter.prepared_at)
    count = letter.episode_count
    occasions = "occasion" if count == 1 else "occasions"
    phone = f" on {sender.contact_phone}" if sender.contact_phone else ""
    paragraphs = (
        f"I am writing following a meeting held under {authority}'s procedures for children "
        f"who go missing or are at risk of exploitation. The above young person was discussed "
        f"on {discussed} and it was noted that {child.first_name} has been reported as "
        f"missing from {_possessive(child)} placement on {count} {occasions}.",
        "Due to the level of concern expressed at the meeting regarding the high number of "
        "missing episodes, we have taken the decision to write directly to you in order that "
        "you are alerted to the high level of concern expressed by professionals about the "
        "young person's vulnerability.",
        f"If you require any further information, do not hesitate to contact our "
        f"{sender.contact_team}{phone}, where additional information can be shared with a "
        f"member of your staff.",
    )
    return LetterText(
        sender=sender,
        dated=long_date(dated or timezone.localdate()),
        our_reference=child.reference,
        addressee=(sender.director_title, letter.placing_authority.name),
        marking="PRIVATE AND CONFIDENTIAL",
        heading=f"Concern for a Looked After Child placed in {authority}",
        salutation="Dear Director",
        young_person=f"{child.full_name} (date of birth {long_date(child.date_of_birth)})",
        paragraphs=paragraphs,
        closing="Yours sincerely",
        signatories=(
            Signatory(sender.director_title, authority),
            Signatory(sender.police_title, sender.police_area),
        ),
        note=sender.open_access_note,
    )


def director_letter_docx(
    letter: DirectorLetter, *, discussed_on: datetime.date | None = None
) -> bytes:
    """The letter as a Word document, to be checked, printed on letterhead and signed."""
    text = director_letter_text(letter, discussed_on=discussed_on)
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    document.core_properties.title = f"Director to director letter {text.our_reference}"
    document.core_properties.author = text.sender.authority_name

    def paragraph(content: str = "", *, bold: bool = False, right: bool = False) -> None:
        para = document.add_paragraph()
        if right:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.space_after = Pt(6)
        para.add_run(content).bold = bold

    sender = document.add_paragraph()
    sender.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, line in enumerate(text.sender_lines):
        run = sender.add_run(line)
        run.bold = index == 0
        run.add_break()
    sender.add_run(f"Contact: {text.contact}")
    paragraph(f"Our reference: {text.our_reference}", right=True)
    paragraph(f"Date: {text.dated}", right=True)
    addressee = document.add_paragraph()
    for index, line in enumerate(text.addressee):
        if index:
            addressee.add_run().add_break()
        addressee.add_run(line)
    paragraph(text.marking, bold=True)
    paragraph(text.heading, bold=True)
    paragraph(text.salutation)
    paragraph(text.young_person, bold=True)
    for content in text.paragraphs:
        paragraph(content)
    paragraph(text.closing)
    signatures = document.add_table(rows=1, cols=len(text.signatories))
    for cell, signatory in zip(signatures.rows[0].cells, text.signatories, strict=True):
        block = cell.paragraphs[0]
        block.paragraph_format.space_before = Pt(30)
        block.add_run("Signed: " + "." * 30).add_break()
        block.add_run("Name: " + "." * 32).add_break()
        block.add_run(signatory.title).bold = True
        if signatory.organisation:
            block.add_run().add_break()
            block.add_run(signatory.organisation)
    if text.note:
        note = document.add_paragraph()
        note.paragraph_format.space_before = Pt(18)
        note.add_run(text.note).bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def director_letter_html(
    letter: DirectorLetter,
    *,
    discussed_on: datetime.date | None = None,
    dated: datetime.date | None = None,
) -> str:
    text = director_letter_text(letter, discussed_on=discussed_on, dated=dated)
    return render_to_string("documents/pdf/director_letter.html", {"text": text})


def director_letter_pdf(
    letter: DirectorLetter,
    *,
    discussed_on: datetime.date | None = None,
    dated: datetime.date | None = None,
) -> bytes:
    """The letter as a PDF, dated today unless `dated` says otherwise (the subject access
    export dates each as the day it was prepared)."""
    return _pdf(director_letter_html(letter, discussed_on=discussed_on, dated=dated))


# The missing-person profile for the police (the Philomena Protocol)


@dataclass(frozen=True)
class Associate:
    name: str
    detail: str
    phone: str = ""


def duration_text(start: datetime.datetime, end: datetime.datetime) -> str:
    """How long an episode lasted, in the largest two units: "2 days 3 hours", "45 minutes"."""
    minutes = max(0, int((end - start).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    named = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(named[:2]) or "Under a minute"


def _associates(child: Child, actor: User | None) -> list[Associate]:
    """Children the child went missing with (either way round), then family and others.

    A child the actor may not open is shown by MACE reference only.
    """
    together: dict[int, tuple[Child, int]] = {}
    own = Child.objects.filter(episodes_in_association__child=child)
    theirs = Child.objects.filter(episodes__with_children=child)
    for other in list(own) + list(theirs):
        if other.pk == child.pk:
            continue
        _, times = together.get(other.pk, (other, 0))
        together[other.pk] = (other, times + 1)
    visible: set[int] = set()
    if actor is not None and together:
        visible = set(
            policy.openable_children(actor).filter(pk__in=together).values_list("pk", flat=True)
        )
    found: list[Associate] = []
    for other, times in sorted(together.values(), key=lambda pair: -pair[1]):
        shown = actor is None or other.pk in visible
        name = f"{other.full_name} ({other.reference})" if shown else f"A child ({other.reference})"
        word = "once" if times == 1 else f"{times} times"
        found.append(Associate(name, f"Missing together {word}"))
    for person in child.related_people.all():
        detail = person.get_relationship_display()
        if person.is_carer:
            detail += ", current carer"
        found.append(Associate(person.name, detail, person.phone))
    return found


def _places_found(episodes: list[Episode]) -> list[str]:
    places: list[str] = []
    seen: set[str] = set()
    for episode in episodes:
        for place in (episode.found_location, episode.where_been):
            key = " ".join(place.lower().split())
            if key and key not in seen:
                seen.add(key)
                places.append(_cut(place, PROFILE_LINE_CHARS))
    return places


def _interview_findings(child: Child, actor: User | None) -> list[dict[str, str]]:
    """From the child's latest return interviews held, what helps the police find them:
    where and by whom they were harboured, and what would help find them next time (003 A4).
    Only for a reader who may see what the child said (`policy.can_see_return_interview`)."""
    if actor is not None and not policy.can_see_return_interview(actor, child):
        return []
    held = ReturnInterview.objects.filter(
        episode__child=child, completed_at__isnull=False
    ).order_by("-completed_at")
    found = []
    for interview in held.exclude(harboured_where_by_whom="", information_to_find_next_time="")[
        :PROFILE_INTERVIEWS
    ]:
        assert interview.completed_at is not None
        found.append(
            {
                "held": long_date(interview.completed_at),
                "harboured": _cut(interview.harboured_where_by_whom, PROFILE_LINE_CHARS * 2),
                "find_next_time": _cut(
                    interview.information_to_find_next_time, PROFILE_LINE_CHARS * 2
                ),
            }
        )
    return found


def _photograph(child: Child, actor: User | None) -> dict[str, str] | None:
    """The child's current photograph for the profile, embedded in the page as a data URI
    (WeasyPrint fetches nothing), for a reader who may see it (`policy.can_see_photograph`).
    None if none is held, or its file cannot be read."""
    if actor is not None and not policy.can_see_photograph(actor, child):
        return None
    photograph = current_photograph(child)
    if photograph is None:
        return None
    try:
        with photograph.image.open("rb") as image:
            content = image.read()
    except OSError:
        return None
    taken = long_date(photograph.taken_on)
    return {
        "src": "data:image/jpeg;base64," + base64.b64encode(content).decode("ascii"),
        "alt": f"Photograph of the child, taken on {taken}",
        "caption": _cut(f"Taken {taken} by {photograph.taken_by}", 80),
    }


def _description(child: Child, actor: User | None) -> list[tuple[str, str]]:
    """The child's physical description as label and text, cut to fit the page; for a reader
    who may see it (the same who may see the photograph)."""
    if actor is not None and not policy.can_see_photograph(actor, child):
        return []
    held = description_of(child)
    if held is None:
        return []
    clothing = held.clothing.strip()
    if clothing and held.clothing_seen_on:
        clothing = f"{clothing} (as last seen, {long_date(held.clothing_seen_on)})"
    rows = [
        ("Height", _cut(held.height, PROFILE_LINE_CHARS)),
        ("Build", _cut(held.build, PROFILE_LINE_CHARS)),
        ("Hair", _cut(held.hair, PROFILE_LINE_CHARS)),
        ("Eyes", _cut(held.eyes, PROFILE_LINE_CHARS)),
        ("Marks", _cut(held.distinguishing_marks, PROFILE_LINE_CHARS * 2)),
        ("Clothing", _cut(clothing, PROFILE_LINE_CHARS * 2)),
    ]
    return [(label, text) for label, text in rows if text]


def missing_person_profile_context(child: Child, *, actor: User | None = None) -> dict[str, Any]:
    now = timezone.now()
    today = day_of(now)
    episodes = list(
        Episode.objects.filter(child=child)
        .prefetch_related("risk_gradings")
        .order_by("-last_seen_at")
    )
    open_episode = next((e for e in episodes if e.returned_at is None), None)
    placement = child.placement_on(today)
    home = child.addresses.filter(kind=ChildAddress.Kind.HOME, end_date__isnull=True).first()
    status = child_current_legal_status(child)
    health_flags = [
        label
        for flag, label in (
            (child.known_to_camhs, "Known to CAMHS"),
            (child.self_harm, "Self-harm"),
            (child.substance_misuse, "Substance misuse"),
        )
        if flag
    ]
    associates = _associates(child, actor)
    places = _places_found(episodes)
    recent = [
        {
            "missing_from": _date_time(e.last_seen_at),
            "returned": _date_time(e.returned_at) if e.returned_at else "Still missing",
            "duration": duration_text(e.last_seen_at, e.returned_at)
            if e.returned_at
            else f"{duration_text(e.last_seen_at, now)} so far",
            "found_at": _cut(e.found_location, 60),
        }
        for e in episodes[:PROFILE_EPISODES]
    ]
    year_ago = now - datetime.timedelta(days=365)
    current_risk = open_episode.current_risk if open_episode else None
    return {
        "sender": letterhead(),
        "generated": _date_time(now),
        "child": child,
        "aliases": ", ".join(child.aliases.values_list("name", flat=True)),
        "date_of_birth": long_date(child.date_of_birth),
        "age": child.age_on(today),
        "legal_status": LegalStatusKind(status).label if status else "Not recorded",
        "photograph": _photograph(child, actor),
        "description": _description(child, actor),
        "identifying_information": _cut(child.identifying_information, PROFILE_TEXT_CHARS),
        "additional_needs": _cut(child.additional_needs, PROFILE_TEXT_CHARS),
        "health_flags": health_flags,
        "placement": placement,
        "placement_address": _cut(
            " ".join(p for p in (placement.address, placement.postcode) if p) if placement else "",
            PROFILE_LINE_CHARS * 2,
        ),
        "home_address": _cut(
            " ".join(p for p in (home.address, home.postcode) if p) if home else "",
            PROFILE_LINE_CHARS * 2,
        ),
        "open_episode": open_episode,
        "open_since": _date_time(open_episode.last_seen_at) if open_episode else "",
        "open_last_seen": _cut(open_episode.last_seen_location, PROFILE_LINE_CHARS)
        if open_episode
        else "",
        "open_risk": current_risk.get_grade_display() if current_risk else "",
        "associates": associates[:PROFILE_ASSOCIATES],
        "associates_more": max(0, len(associates) - PROFILE_ASSOCIATES),
        "places": places[:PROFILE_PLACES],
        "places_more": max(0, len(places) - PROFILE_PLACES),
        "episode_count": len(episodes),
        "episodes_last_year": sum(1 for e in episodes if e.last_seen_at >= year_ago),
        "recent": recent,
        "interview_findings": _interview_findings(child, actor),
        "allocated_worker": child.allocated_worker.display_name if child.allocated_worker else "",
        "team": child.team.name if child.team else "",
    }


def missing_person_profile_html(child: Child, *, actor: User | None = None) -> str:
    context = missing_person_profile_context(child, actor=actor)
    return render_to_string("documents/pdf/missing_person_profile.html", context)


def missing_person_profile_pdf(child: Child, *, actor: User | None = None) -> bytes:
    """The one-page profile to hand to the police when the child goes missing.

    Given the actor, children linked to this one whom the actor may not open are shown by
    reference only. The current photograph, if one is held, is in the box at the top left
    (else the box says "No photograph held"), with the physical description below.
    """
    return _pdf(missing_person_profile_html(child, actor=actor))


# The record of the return home interview (003 A4), printable on A4


def _yes_no(value: bool | None) -> str:
    return "Not recorded" if value is None else ("Yes" if value else "No")


def _scale_text(value: int | None) -> str:
    return "Not recorded" if value is None else f"{value} out of 10"


def return_interview_context(interview: ReturnInterview) -> dict[str, Any]:
    """Every field of the A4 form, the child's basic details and the protective marking."""
    episode = interview.episode
    child = episode.child
    today = timezone.localdate()
    status = child_current_legal_status(child)
    scales = [
        (
            "How safe they felt",
            _scale_text(interview.safe_before),
            _scale_text(interview.safe_while_missing),
            _scale_text(interview.safe_since),
        ),
        (
            "How happy they felt",
            _scale_text(interview.happy_before),
            _scale_text(interview.happy_while_missing),
            _scale_text(interview.happy_since),
        ),
    ]
    answers = [
        ("Were they harmed?", _yes_no(interview.harmed)),
        ("Were they a victim of crime?", _yes_no(interview.victim_of_crime)),
        ("Did they commit a crime while missing?", _yes_no(interview.perpetrator_of_crime)),
        ("Health assessment offered?", _yes_no(interview.health_assessment_offered)),
        ("Referred to the sexual health advisor?", _yes_no(interview.sexual_health_referral)),
    ]
    texts = [
        ("The child's account (before, during and since)", interview.childs_account),
        ("Parents' or carers' views", interview.parents_views),
        ("The interviewer's analysis and next steps", interview.interviewer_analysis),
        (
            "What the child told us: themes",
            "\n".join(theme.name for theme in interview.themes.all()) or "None coded",
        ),
        ("Where, and by whom, they were harboured", interview.harboured_where_by_whom),
        ("Information to help find them next time", interview.information_to_find_next_time),
        ("Other referrals made", interview.referrals_made),
    ]
    return {
        "sender": letterhead(),
        "generated": _date_time(timezone.now()),
        "child": child,
        "interview": interview,
        "date_of_birth": long_date(child.date_of_birth),
        "age": child.age_on(today),
        "legal_status": LegalStatusKind(status).label if status else "Not recorded",
        "allocated_worker": child.allocated_worker.display_name if child.allocated_worker else "",
        "missing_from": _date_time(episode.last_seen_at),
        "returned": _date_time(episode.returned_at) if episode.returned_at else "Still missing",
        "episode_kind": f"{episode.get_kind_display()} from "
        f"{episode.get_missing_from_display().lower()}",
        "held": _date_time(interview.completed_at) if interview.completed_at else "Not yet held",
        "interviewer": interview.worker.display_name if interview.worker else "Not recorded",
        "scales": scales,
        "answers": answers,
        "texts": texts,
    }


def return_interview_html(interview: ReturnInterview) -> str:
    return render_to_string(
        "documents/pdf/return_interview.html", return_interview_context(interview)
    )


def return_interview_pdf(interview: ReturnInterview) -> bytes:
    """The record of the return home interview (003 A4) as a PDF on A4 paper, every field
    of the form in full (over as many pages as it takes), headed and footed by the
    protective marking."""
    return _pdf(return_interview_html(interview))
