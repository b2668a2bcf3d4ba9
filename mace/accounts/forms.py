from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from mace.accounts.models import Agency, NotificationEmails, Role, Team, User
from mace.frontend.forms import GovForm, GovFormMixin, GovModelForm


class SignInForm(GovFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your system administrator.",
    }


class TwoFactorForm(GovForm):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": "Enter the 6-digit security code",
            "min_length": "The security code must be 6 digits",
            "max_length": "The security code must be 6 digits",
        },
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("The security code must be 6 digits")
        return code


class ChangePasswordForm(GovFormMixin, PasswordChangeForm):
    pass


class UserForm(GovModelForm):
    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "role",
            "agency",
            "team",
            "intelligence_cleared",
        ]
        labels = {"intelligence_cleared": "Cleared to see intelligence"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.select_related("agency")  # type: ignore[attr-defined]
        self.fields["role"].choices = Role.choices  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["username"].disabled = True

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        team, agency = cleaned.get("team"), cleaned.get("agency")
        if team is not None and agency is not None and team.agency_id != agency.pk:
            self.add_error("team", "Choose a team in the selected agency, or no team")
        return cleaned


class AgencyForm(GovModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "is_active"]
        labels = {"name": "Name of the agency", "kind": "Type of agency", "is_active": "Active"}


class TeamForm(GovForm):
    name = forms.CharField(label="Name of the team", max_length=200)


class NotificationEmailsForm(GovForm):
    notification_emails = forms.ChoiceField(
        label="How do you want to be emailed about your notifications?",
        help_text="Emails never say who a notification is about: sign in to MACE to see it.",
        choices=NotificationEmails.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you want to be emailed"},
    )
