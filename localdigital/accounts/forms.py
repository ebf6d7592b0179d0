"""Forms for accounts pages. Error messages are GOV.UK plain English; the services do the work."""

# The message constants below mention passwords and tokens; none of them is a secret.
# ruff: noqa: S105

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from localdigital.accounts.models import User
from localdigital.organisations.models import Membership

ENTER_EMAIL = "Enter your email address"
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
ENTER_NAME = "Enter your full name"
ENTER_PASSWORD = "Enter your password"
CREATE_PASSWORD = "Enter a password"
CONFIRM_PASSWORD = "Enter your password again"
PASSWORD_TOO_SHORT = "Your password must be at least 10 characters"
PASSWORDS_DIFFER = "The passwords do not match"
PASSWORD_COMMON = "Choose a password that is harder to guess"
PASSWORD_NUMERIC = "Your password must include at least one letter"
PASSWORD_SIMILAR = "Your password must not be like your name or email address"
SIGN_IN_FAILED = "Enter a correct email address and password"
CURRENT_PASSWORD_WRONG = "Your current password is not correct"
ENTER_TOKEN_NAME = "Enter a name for the token"
ENTER_CODE = "Enter the 6-digit code from your authenticator app"
CODE_FORMAT = "The code must be 6 digits"
CHOOSE_ORGANISATION = "Choose an organisation"
MIN_PASSWORD_LENGTH = 10

_VALIDATOR_MESSAGES = {
    "password_too_common": PASSWORD_COMMON,
    "password_entirely_numeric": PASSWORD_NUMERIC,
    "password_too_similar": PASSWORD_SIMILAR,
    "password_too_short": PASSWORD_TOO_SHORT,
}


def email_field(label: str = "Email address", hint: str = "") -> forms.EmailField:
    return forms.EmailField(
        label=label,
        help_text=hint,
        max_length=254,
        error_messages={"required": ENTER_EMAIL, "invalid": EMAIL_FORMAT},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def password_field(label: str, *, required_message: str, new: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        error_messages={"required": required_message},
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password" if new else "current-password"}
        ),
    )


class NewPasswordMixin:
    """Two password fields checked against the length rule, Django's validators and each other."""

    password_user: User | None = None

    def clean_password1(self) -> str:
        password: str = self.cleaned_data["password1"]  # type: ignore[attr-defined]
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ValidationError(PASSWORD_TOO_SHORT)
        try:
            validate_password(password, self._password_user())
        except ValidationError as error:
            messages = []
            for item in error.error_list:
                message = _VALIDATOR_MESSAGES.get(item.code or "")
                messages.append(message or " ".join(item.messages))
            raise ValidationError(messages[0]) from None
        return password

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")  # type: ignore[attr-defined]
        second: str = self.cleaned_data["password2"]  # type: ignore[attr-defined]
        if first and second != first:
            raise ValidationError(PASSWORDS_DIFFER)
        return second

    def _password_user(self) -> User | None:
        if self.password_user is not None:
            return self.password_user
        data = getattr(self, "cleaned_data", {})
        if data.get("email"):
            return User(email=data["email"], full_name=data.get("full_name", ""))
        return None


class SignUpForm(NewPasswordMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": ENTER_NAME},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = email_field(hint="Use your work email address, for example name@yourcouncil.gov.uk")
    password1 = password_field("Create a password", required_message=CREATE_PASSWORD)
    password2 = password_field("Confirm your password", required_message=CONFIRM_PASSWORD)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["password1"].help_text = "Must be at least 10 characters"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class SignInForm(forms.Form):
    email = email_field()
    password = password_field("Password", required_message=ENTER_PASSWORD, new=False)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PasswordResetRequestForm(forms.Form):
    email = email_field(hint="We will send a link to reset your password if it has an account")


class PasswordResetForm(NewPasswordMixin, forms.Form):
    password1 = password_field("New password", required_message=CREATE_PASSWORD)
    password2 = password_field("Confirm your new password", required_message=CONFIRM_PASSWORD)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.password_user = user
        self.fields["password1"].help_text = "Must be at least 10 characters"


class PasswordChangeForm(NewPasswordMixin, forms.Form):
    current_password = password_field(
        "Current password", required_message="Enter your current password", new=False
    )
    password1 = password_field("New password", required_message=CREATE_PASSWORD)
    password2 = password_field("Confirm your new password", required_message=CONFIRM_PASSWORD)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.password_user = user
        self.fields["password1"].help_text = "Must be at least 10 characters"

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        assert self.password_user is not None  # noqa: S101 - set in __init__
        if not self.password_user.check_password(password):
            raise ValidationError(CURRENT_PASSWORD_WRONG)
        return password


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": ENTER_NAME},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )


class JoinForm(forms.Form):
    organisation = forms.ChoiceField(
        label="Organisation", error_messages={"required": CHOOSE_ORGANISATION}
    )
    note = forms.CharField(
        label="Note to the organisation's admins (optional)",
        help_text="For example, your team and why you want to join",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].choices = [("", "Choose an organisation"), *choices]
        self.fields["organisation"].error_messages["invalid_choice"] = CHOOSE_ORGANISATION


class JoinSearchForm(forms.Form):
    q = forms.CharField(label="Search for an organisation", required=False, max_length=100)


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


class GlobalRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Global roles",
        required=False,
        choices=[("programme_staff", "Programme staff"), ("assessor", "Assessor")],
        widget=forms.CheckboxSelectMultiple,
    )


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or email address", required=False, max_length=100)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        help_text="Say what the token is for, for example 'Nightly export'",
        max_length=100,
        error_messages={"required": ENTER_TOKEN_NAME},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": ENTER_CODE},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: object, allow_backup: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.allow_backup = allow_backup
        if allow_backup:
            self.fields[
                "code"
            ].help_text = (
                "The 6-digit code from your authenticator app, or one of your backup codes"
            )
        else:
            self.fields["code"].help_text = "The 6-digit code from your authenticator app"

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not self.allow_backup and not (len(code) == 6 and code.isdigit()):
            raise ValidationError(CODE_FORMAT)
        return code
