"""Issue 18 point 7: a child has one open episode at a time, held by the database too.

A database where a child already has two open episodes (reported missing again before the
rule) cannot take the index: the migration stops first and names the children (by their
opaque ids), so that someone records the return on one of the episodes and migrates again.
Nothing is changed for them: which episode ended when is a fact only a person can give.
"""

from django.db import migrations, models
from django.db.models import Count


def refuse_two_open_episodes(apps, schema_editor):
    Episode = apps.get_model("episodes", "Episode")
    twice = (
        Episode.objects.filter(returned_at__isnull=True)
        .values("child__public_id")
        .annotate(open=Count("pk"))
        .filter(open__gt=1)
        .order_by("child__public_id")
    )
    children = [str(row["child__public_id"]) for row in twice]
    if children:
        raise RuntimeError(
            f"{len(children)} children have more than one open episode (no return recorded), "
            "so the rule of one open episode a child cannot be added. Record the return on "
            "all but one of each child's open episodes (the child's page lists them), then "
            "migrate again. The children: " + ", ".join(children[:50])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0002_episode_health_assessment_offer"),
    ]

    operations = [
        migrations.RunPython(refuse_two_open_episodes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="episode",
            constraint=models.UniqueConstraint(
                condition=models.Q(("returned_at__isnull", True)),
                fields=("child",),
                name="one_open_episode_per_child",
            ),
        ),
    ]
