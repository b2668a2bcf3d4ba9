"""Physical descriptions of the demonstration children (issue 20 point 3): what the police
missing-person profile shows. Fictional, drawn from short word lists by the seed's own random
generator, so the same seed gives the same descriptions. The demonstration holds no
photographs: a picture MACE drew itself would not be a photograph of anyone."""

import random
from datetime import date, timedelta

from mace.people.models import Child, ChildDescription, Gender

BUILDS = ("Slim", "Slight", "Medium", "Stocky", "Tall and slim", "Heavy")
HAIR_COLOURS = ("black", "dark brown", "brown", "light brown", "fair", "blonde", "ginger")
HAIR_STYLES = (
    "short",
    "cropped",
    "shaved at the sides",
    "shoulder length",
    "long, often tied back",
    "curly, collar length",
    "in braids",
)
EYES = ("Brown", "Dark brown", "Hazel", "Blue", "Green", "Grey", "Brown, wears glasses")
MARKS = (
    "Small scar above the left eyebrow",
    "Pierced ears",
    "Nose piercing",
    "Birthmark on the right forearm",
    "Tattoo of a star on the left wrist",
    "Chipped front tooth",
    "Freckles across the nose",
)
TOPS = (
    "black puffer jacket",
    "grey hooded top",
    "navy school blazer",
    "green parka",
    "red tracksuit top",
    "white T-shirt and denim jacket",
)
BOTTOMS = ("black joggers", "blue jeans", "grey tracksuit bottoms", "black leggings")
SHOES = ("white trainers", "black trainers", "school shoes", "sliders")
EXTRAS = ("carrying a small black backpack", "wearing a cap", "with a crossbody bag", "")

# Children younger than this are described by their height in centimetres only.
_HEIGHT_CM = {10: 138, 11: 143, 12: 149, 13: 156, 14: 162, 15: 166, 16: 169, 17: 171}


def demo_description(
    rng: random.Random, child: Child, *, age: int, today: date
) -> ChildDescription:
    """A plausible, fictional description of a child of this age, unsaved."""
    typical = _HEIGHT_CM.get(age, 130 if age < 10 else 172)
    if child.gender == Gender.MALE and age >= 13:
        typical += 4
    height = typical + rng.randint(-8, 8)
    marks = rng.sample(MARKS, k=rng.choice((0, 1, 1, 2)))
    extra = rng.choice(EXTRAS)
    clothing = f"{rng.choice(TOPS).capitalize()}, {rng.choice(BOTTOMS)}, {rng.choice(SHOES)}"
    return ChildDescription(
        child=child,
        height=f"{height / 100:.2f} m",
        build=rng.choice(BUILDS),
        hair=f"{rng.choice(HAIR_COLOURS).capitalize()}, {rng.choice(HAIR_STYLES)}",
        eyes=rng.choice(EYES),
        distinguishing_marks=". ".join(marks),
        clothing=f"{clothing}, {extra}" if extra else clothing,
        clothing_seen_on=today - timedelta(days=rng.randrange(120)),
    )
