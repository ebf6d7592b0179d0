"""Forms for answering an outcome: ticking indicators, confirming a judgement, assigning."""

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet

from localdigital.core.forms import GovukDateField
from localdigital.cyber.models import CyberRole
from localdigital.cyber.services.answers import ASSIGNABLE_ROLES, NOT_A_CONTRIBUTOR, parse_links


def comment_name(position: int) -> str:
    return f"comment-{position}"


class IndicatorsForm(forms.Form):
    """The indicators ticked as true, and a comment on any. Comment fields are named by the
    indicator's place on the page (ids contain dots and colons)."""

    true_indicators = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, indicator_ids: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.indicator_ids = indicator_ids
        self.fields["true_indicators"].choices = [(i, i) for i in indicator_ids]
        for position, _ in enumerate(indicator_ids):
            self.fields[comment_name(position)] = forms.CharField(
                required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def service_data(self) -> dict[str, Any]:
        return {
            "true_indicators": self.cleaned_data["true_indicators"],
            "indicator_comments": {
                indicator_id: self.cleaned_data.get(comment_name(position), "")
                for position, indicator_id in enumerate(self.indicator_ids)
            },
        }


class ConfirmForm(forms.Form):
    level = forms.ChoiceField(
        label="Your judgement",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the judgement for this outcome"},
    )
    justification = forms.CharField(
        label="Why this judgement",
        help_text="Say what the council does and how you know.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Explain why you chose this judgement"},
    )
    evidence_text = forms.CharField(
        label="Evidence (optional)",
        help_text="Name the documents, records or people that show it, like board minutes.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_links = forms.CharField(
        label="Links to evidence (optional)",
        help_text="One web address a line, starting with https://",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label="Upload a file (optional)",
        help_text="PDF, PNG, JPEG, text, CSV, XLSX or DOCX, smaller than 10 MB.",
        required=False,
    )
    owner = forms.ChoiceField(label="Owner (optional)", required=False)
    due_date = GovukDateField(label="Due date", help_text="For example, 31 3 2027", required=False)

    def __init__(self, *args: Any, levels: list[Any], people: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.levels = {level.key: level for level in levels}
        # Best level first, as people read a scale from the top.
        self.fields["level"].choices = [(level.key, level.label) for level in reversed(levels)]
        self.people = {str(person.pk): person for person in people}
        self.fields["owner"].choices = [("", "No owner")] + [
            (str(person.pk), str(person)) for person in people
        ]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "level": self.levels.get(data["level"]),
            "justification": data["justification"],
            "evidence_text": data["evidence_text"],
            "evidence_links": parse_links(data["evidence_links"]),
            "owner": self.people.get(data["owner"] or ""),
            "due_date": data["due_date"],
        }


def with_assignable(people: QuerySet[Any], organisation: Any) -> QuerySet[Any]:
    """The council's cyber people, each marked `can_be_assigned` when they hold a role that can
    answer an assigned outcome: one query with the list, whatever its length."""
    return people.annotate(
        can_be_assigned=Exists(
            CyberRole.objects.filter(
                user=OuterRef("pk"), organisation=organisation, role__in=ASSIGNABLE_ROLES
            )
        )
    )


class AssignForm(forms.Form):
    """Who answers the outcome: the council's contributors and CAF lead only, since nobody
    else may answer it (the service checks again)."""

    contributor = forms.ChoiceField(
        label="Who answers this outcome",
        required=False,
        error_messages={"invalid_choice": NOT_A_CONTRIBUTOR},
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any):
        """`people` are the council's cyber people, annotated by `with_assignable`."""
        super().__init__(*args, **kwargs)
        people = [person for person in people if getattr(person, "can_be_assigned", False)]
        self.people = {str(person.pk): person for person in people}
        self.fields["contributor"].choices = [("", "The CAF lead")] + [
            (str(person.pk), str(person)) for person in people
        ]

    def contributor_or_none(self) -> Any:
        return self.people.get(self.cleaned_data["contributor"] or "")
