"""The default list of return-interview themes (issue 20 point 4): what children commonly
tell the interviewer, drawn from the questions of 003 A4 (leading up to going missing, while
missing, since returning) and what return interviews commonly record. None repeats a push or
pull factor of the episode (`mace.episodes.factors`: peers, gangs, offending, substance
misuse, adults, running home, conflict, placement, family, boundaries, school, bullying,
abuse): those say why the child went; these say what the child told us. A partnership
changes the list on its settings page."""

from django.db import migrations

DEFAULT_THEMES = [
    ("no-trusted-adult", "Had no trusted adult to talk to"),
    ("not-listened-to", "Felt not listened to by professionals"),
    ("mental-health", "Worries about their mental health or emotional wellbeing"),
    ("relationship", "A boyfriend, girlfriend or other relationship"),
    ("online-contact", "Contact with someone they met online"),
    ("sexual-exploitation", "Told us of something that suggests sexual exploitation"),
    ("criminal-exploitation", "Told us of being made to carry or sell drugs, or commit crime"),
    ("given-things", "Given money, gifts, drugs or alcohol"),
    ("nowhere-safe-to-stay", "Slept rough or had nowhere safe to stay"),
    ("hurt-or-scared", "Was hurt, threatened or scared while missing"),
    ("wanted-freedom", "Wanted more freedom or time to themselves"),
    ("to-see-family", "Went to see family"),
    ("may-go-again", "Said they may go missing again"),
    ("wants-help", "Said what help they want"),
]


def load(apps, schema_editor):
    """Add each default theme not yet held (by its code), so running it again adds nothing."""
    theme = apps.get_model("interviews", "InterviewTheme")
    held = set(theme.objects.values_list("code", flat=True))
    names = {name.lower() for name in theme.objects.values_list("name", flat=True)}
    for position, (code, name) in enumerate(DEFAULT_THEMES, start=1):
        if code not in held and name.lower() not in names:
            theme.objects.create(code=code, name=name, position=position * 10)


class Migration(migrations.Migration):
    dependencies = [("interviews", "0004_interview_themes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
