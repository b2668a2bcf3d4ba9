"""Forms of the documents pages, rendered as GOV.UK components (mace.frontend.forms)."""

from mace.frontend.forms import GovDateField, GovForm


class PrepareLetterForm(GovForm):
    """No fields: the letter is filled in from the record. It carries the service's errors."""


class MarkSentForm(GovForm):
    sent_on = GovDateField(label="Date the signed letter was sent")
