"""What a child's record is, apart from who writes it: an unsaved child from its details
(`new_child`) and how a new one is saved and given its reference (`save_new_child`).

`people.services.child_create` and the tracker import (`mace.imports`) both create children
through these, so a child made on a page and one imported from the tracker are made the same
way (the reference MC-000123 from its id).
"""

import uuid
from typing import Any

from mace.people.models import Child


def new_child(**details: Any) -> Child:
    """An unsaved child with these details and a provisional reference, which
    `save_new_child` replaces. Check it with `full_clean(exclude=["reference"])`, or
    `clean_fields` of its values alone where keys are the database's to check."""
    return Child(reference=f"new-{uuid.uuid4().hex[:12]}", **details)


def save_new_child(child: Child) -> None:
    """Save a new child and give it its reference, MC- and its id in six digits."""
    child.save()
    child.reference = f"MC-{child.pk:06d}"
    Child.objects.filter(pk=child.pk).update(reference=child.reference)
