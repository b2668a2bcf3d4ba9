"""Reading what was typed into "Find a child" and scoring a child's names against it (issue 19
point 4). Plain functions, no database: `people.selectors.child_search` narrows the children in
SQL with what `parse_query` finds and ranks those left with `name_match`.

A query is split into a date of birth (typed as the app shows dates, "4 Dec 2012",
"4 December 2012", or as people type them, "04/12/2012", "4/12/12", "2012-12-04"), words with
a digit (any part of a MACE reference, or a whole identifier) and name words. Names are
compared folded: accents dropped (Zoë = Zoe), apostrophes dropped (O'Neil = ONeil), other
punctuation a space, case ignored; words typed apart may also match a name written as one word
(O Neil = ONeil). A name matches exactly, by the start of its words, or fuzzily by rapidfuzz's
ratio (the matcher the duplicate check uses), which forgives a letter or two wrong.
"""

import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

MAX_QUERY_LENGTH = 200
# A typed word matches a name word fuzzily at this rapidfuzz ratio or more ("Smyth" and "Smith"
# score 80, "Jordon" and "Jordan" 83). Words of three letters or fewer match only exactly or
# as the start of a name word: a fuzzy match of so few letters would match almost anything.
WORD_SCORE = 75
SHORTEST_FUZZY_WORD = 4

EXACT, PREFIX, FUZZY = 0, 1, 2  # ranks, best first

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_YEAR = r"(?P<y>\d{4}|\d{2})"
_DATE_PATTERNS = (
    re.compile(r"(?<![\w/.\-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\w/.\-])"),
    re.compile(
        r"(?<![\w/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)"
        + _YEAR
        + r"(?![\w/.\-])"
    ),
    re.compile(
        r"(?<![\w/.\-])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]{3,9})\.?,?\s+"
        + _YEAR
        + r"(?![\w/.\-])",
        re.IGNORECASE,
    ),
    # Day, month and year apart by spaces: only as the whole query ("27 3 2012").
    re.compile(r"^\s*(?P<d>\d{1,2})\s+(?P<m>\d{1,2})\s+(?P<y>\d{4})\s*$"),
)
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_NOT_A_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]+")


def _letter_variants() -> dict[str, list[str]]:
    """Each letter a-z and the accented letters of Latin-1 and Latin Extended-A that fold to
    it, in both cases (SQLite's LIKE ignores case for a-z only)."""
    variants: dict[str, list[str]] = {chr(c): [chr(c), chr(c).upper()] for c in range(97, 123)}
    for code in range(0xC0, 0x180):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[0].casefold()
        if base in variants and char not in variants[base]:
            variants[base].append(char)
    return variants


LETTER_VARIANTS = _letter_variants()


class BadQuery(ValueError):
    """What was typed cannot be searched for; the message says what to change."""


def fold(text: str) -> str:
    """Lower case, accents and apostrophes dropped, anything else but letters and digits a
    single space: "Zoë O'Neil-Brown" is "zoe oneil brown"."""
    if text.isascii():
        plain = text.lower().replace("'", "").replace("`", "")
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
        plain = _APOSTROPHES.sub("", plain)
    return _NOT_A_LETTER_OR_DIGIT.sub(" ", plain).strip()


def _year(text: str, today: datetime.date) -> int:
    """A two-digit year is this century's unless that is after this year (children)."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


@dataclass
class Query:
    text: str
    date_of_birth: datetime.date | None = None
    references: list[str] = field(default_factory=list)  # words with a digit
    names: list[str] = field(default_factory=list)  # folded name words

    @property
    def letters(self) -> set[str]:
        """The first letters of the name words (the SQL narrows by them)."""
        return {word[0] for word in self.names}


def parse_query(text: str, today: datetime.date) -> Query:
    """Split what was typed into a date of birth, reference words and name words.

    Raises BadQuery for a date that does not exist (31/2/2012), more than one date, or nothing
    to search for (only punctuation)."""
    query = Query(text=text)
    rest = text
    for pattern in _DATE_PATTERNS:
        for match in list(pattern.finditer(rest)):
            parts = match.groupdict()
            if parts.get("mon") is not None:
                month = _MONTHS.get(parts["mon"].casefold())
                if month is None:
                    continue  # "4 boys 2012" is not a date
            else:
                month = int(parts["m"])
            try:
                day = datetime.date(_year(parts["y"], today), month, int(parts["d"]))
            except ValueError:
                raise BadQuery(
                    f"{match.group().strip()} is not a real date. Enter a date of birth like "
                    "4/12/2012 or 4 December 2012"
                ) from None
            if query.date_of_birth is not None and query.date_of_birth != day:
                raise BadQuery("Enter one date of birth only")
            query.date_of_birth = day
            rest = rest.replace(match.group(), " ", 1)
    for word in rest.split():
        folded = fold(word)
        if not folded:
            continue
        if any(c.isdigit() for c in folded):
            query.references.append(re.sub(r"\s+", "", word.strip(".,;:!?()[]{}\"'")))
        else:
            query.names.extend(folded.split())
    if query.date_of_birth is None and not query.references and not query.names:
        raise BadQuery("Enter a name, date of birth or reference, using letters or numbers")
    return query


@dataclass(frozen=True)
class NameMatch:
    rank: int
    score: int


def _fold_name(name: str) -> tuple[list[str], str]:
    words = fold(name).split()
    return words, "".join(words)


def name_match(wanted: list[str], names: Iterable[str]) -> NameMatch | None:
    """How well the typed name words match the best of a child's names (written names and
    aliases), or None if they do not.

    Exact: the words are the name's, in any order, or run together the same letters.
    Prefix: each word begins a word of the name, or run together they begin the name.
    Fuzzy: each word is within WORD_SCORE of a word of the name (or of two adjacent words
    run together), scored by the mean of the words' scores.
    """
    if not wanted:
        return None
    joined = "".join(wanted)
    best: NameMatch | None = None
    for name in names:
        words, compact = _fold_name(name)
        if not words:
            continue
        found = _one_name(wanted, joined, words, compact)
        if found is not None and (best is None or _better(found, best)):
            best = found
    return best


def _better(a: NameMatch, b: NameMatch) -> bool:
    return (a.rank, -a.score) < (b.rank, -b.score)


def _one_name(wanted: list[str], joined: str, words: list[str], compact: str) -> NameMatch | None:
    if sorted(wanted) == sorted(words) or joined == compact or joined in words:
        return NameMatch(EXACT, 100)
    pairs = [a + b for a, b in itertools.pairwise(words)]
    whole = words + pairs
    if all(any(w.startswith(typed) for w in whole) for typed in wanted) or compact.startswith(
        joined
    ):
        return NameMatch(PREFIX, int(fuzz.token_sort_ratio(" ".join(wanted), " ".join(words))))
    scores = []
    for typed in wanted:
        if len(typed) < SHORTEST_FUZZY_WORD:
            if not any(w.startswith(typed) for w in whole):
                return None
            scores.append(100)
            continue
        score = int(max(fuzz.ratio(typed, w, processor=None) for w in whole))
        if score < WORD_SCORE:
            return None
        scores.append(score)
    return NameMatch(FUZZY, int(sum(scores) / len(scores)))


def reference_rank(typed: Iterable[str], reference: str) -> int:
    """EXACT when every reference word typed is the reference (or its number, 123 for
    MC-000123), PREFIX otherwise (a part of it)."""
    number = reference.rsplit("-", 1)[-1].lstrip("0")
    for word in typed:
        if word.casefold() != reference.casefold() and word.lstrip("0") != number:
            return PREFIX
    return EXACT
