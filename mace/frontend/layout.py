"""Layout objects for GOV.UK components that crispy-forms-gds does not have."""

from typing import Any

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django.forms import BaseForm, CheckboxInput
from django.template import Context
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


class ConditionalCheckbox(LayoutObject):
    """One checkbox whose ticking reveals the fields under it: the GOV.UK checkboxes'
    conditional reveal (issue 19 point 5). `ConditionalCheckbox("yes_V1", "evidence_V1")`.

    The revealed fields sit in a `govuk-checkboxes__conditional` panel that the checkbox
    names in `data-aria-controls`; govuk-frontend's Checkboxes module hides the panel while
    the box is unticked. Without JavaScript (no `govuk-frontend-supported` on the body) the
    panel is always shown. A panel whose fields have errors is rendered revealed, so the
    error summary's link lands on a visible box.
    """

    template = "gds/layout/conditional_checkbox.html"

    def __init__(self, checkbox: str, *revealed: str) -> None:
        self.checkbox = checkbox
        self.revealed = list(revealed)
        self.fields = [checkbox, *revealed]

    def render(
        self,
        form: BaseForm,
        context: Context,
        template_pack: str = TEMPLATE_PACK,
        **kwargs: Any,
    ) -> str:
        bound = form[self.checkbox]
        panel = f"conditional-{bound.auto_id}"
        bound.field.widget.attrs["data-aria-controls"] = panel
        checked = CheckboxInput().check_test(bound.value())
        has_errors = any(form[name].errors for name in self.revealed)
        content = SafeString()
        for name in self.revealed:  # each a rendered template, so SafeStrings added stay safe
            content += render_field(name, form, context, template_pack=template_pack, **kwargs)
        return render_to_string(
            self.template,
            {
                "field": bound,
                "panel": panel,
                "revealed": checked or has_errors,
                "content": content,
            },
        )
