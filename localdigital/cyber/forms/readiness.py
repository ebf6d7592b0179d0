"""The ransomware readiness questionnaire as one form: a question's answer (radios, or a date)
and a comment each. The rules are the service's; the form checks the shape of input."""

from typing import Any

from django import forms

from localdigital.core.forms import GovukDateField
from localdigital.cyber.selectors.readiness import ReadinessItem
from localdigital.cyber.services.readiness import COMMENT_MAX, ReadinessInput
from localdigital.frameworks.models import Node


class ReadinessForm(forms.Form):
    def __init__(self, data: Any = None, *, items: list[ReadinessItem]):
        initial: dict[str, Any] = {}
        for item in items:
            if item.answer is not None:
                initial[f"answer_{item.question.code}"] = (
                    item.answer.date_value
                    if item.question.answer == Node.Answer.DATE
                    else (item.answer.level.key if item.answer.level else None)
                )
                initial[f"comment_{item.question.code}"] = item.answer.comment
        super().__init__(data, initial=initial)
        self.items = items
        for item in items:
            question = item.question
            name = f"answer_{question.code}"
            if question.answer == Node.Answer.DATE:
                self.fields[name] = GovukDateField(
                    label=question.title,
                    help_text=question.description,
                    required=False,
                    allow_future=False,
                )
            else:
                self.fields[name] = forms.ChoiceField(
                    label=question.title,
                    help_text=question.description,
                    required=False,
                    choices=[(level.key, level.label) for level in question.levels.all()],
                    widget=forms.RadioSelect,
                    error_messages={
                        "invalid_choice": f"Select one of the answers for “{question.title}”"
                    },
                )
            self.fields[f"comment_{question.code}"] = forms.CharField(
                label=f"Comment on “{question.title}” (optional)",
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"The comment on “{question.title}” must be 2,000 characters "
                    "or fewer"
                },
            )

    def pairs(self) -> list[tuple[ReadinessItem, Any, Any]]:
        """Each question with its answer field and comment field, for the template."""
        return [
            (item, self[f"answer_{item.question.code}"], self[f"comment_{item.question.code}"])
            for item in self.items
        ]

    def answers(self) -> dict[str, ReadinessInput]:
        """The cleaned answers by question id, as `readiness_save` takes them."""
        result = {}
        for item in self.items:
            question = item.question
            value = self.cleaned_data.get(f"answer_{question.code}")
            comment = self.cleaned_data.get(f"comment_{question.code}", "")
            if question.answer == Node.Answer.DATE:
                result[question.node_id] = ReadinessInput(date_value=value, comment=comment)
            else:
                result[question.node_id] = ReadinessInput(level=value or None, comment=comment)
        return result
