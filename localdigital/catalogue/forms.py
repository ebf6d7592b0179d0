"""Forms for the catalogue: an asset, publiccode.yml import, adoption, TCoP answers and reviews.

Forms check the shape of input; the rules are the services', whose messages are reused so the
pages and the API say the same thing.
"""

from typing import Any

from django import forms

from localdigital.catalogue.models import Adoption, Asset, ItemAssetLink
from localdigital.catalogue.services import adoption as adoption_services
from localdigital.catalogue.services import assets as services
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item, ServiceArea

ORIGIN_NOT_FOUND = "Enter the address of a public Pipeline item, or leave this blank"


def _url(label: str) -> forms.URLField:
    return forms.URLField(
        label=f"{label} (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": f"Enter the {label.lower()} address in the correct format, like "
            "https://example.org",
        },
    )


class AssetForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=150,
        error_messages={"required": services.NAME_REQUIRED, "max_length": services.NAME_TOO_LONG},
    )
    kind = forms.ChoiceField(
        label="What kind of solution is it?",
        choices=Asset.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.KIND_REQUIRED},
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What it does and for whom, in 280 characters or fewer",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.SUMMARY_REQUIRED},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        help_text="How it works, what it needs and how to start using it. You can use Markdown.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    owners = forms.ModelMultipleChoiceField(
        label="Owning organisations",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": services.OWNER_REQUIRED},
    )
    licence = forms.CharField(
        label="Licence (optional)",
        required=False,
        max_length=200,
        help_text="An SPDX identifier or expression, for example MIT, OGL-UK-3.0 or "
        "GPL-3.0-or-later",
    )
    repository_url = _url("Code repository")
    landing_url = _url("Landing page")
    documentation_url = _url("Documentation")
    development_status = forms.ChoiceField(
        label="Development status",
        choices=Asset.DevelopmentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.STATUS_REQUIRED},
    )
    maintenance = forms.ChoiceField(
        label="How is it maintained?",
        choices=Asset.Maintenance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.MAINTENANCE_REQUIRED},
    )
    maintainers = forms.CharField(
        label="Contacts (for internal or community maintenance)",
        required=False,
        help_text="One per line, as ‘name, email address’",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contractors = forms.CharField(
        label="Contractors (for contract maintenance)",
        required=False,
        help_text="One per line, as ‘name, contract end date’, for example ‘Acme Ltd, 2027-03-31’",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    service_areas = forms.ModelMultipleChoiceField(
        label="Service areas (optional)",
        required=False,
        queryset=ServiceArea.objects.all(),
        to_field_name="key",
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label="Tags (optional)",
        required=False,
        help_text="Separate tags with commas, for example ‘planning, Drupal’",
    )
    platforms = forms.CharField(
        label="Platforms (optional)",
        required=False,
        help_text="Separate with commas, for example ‘web, linux’",
    )
    origin = forms.CharField(
        label="The Pipeline project it came from (optional)",
        required=False,
        max_length=500,
        help_text="The address of its Pipeline page, for example "
        "https://hub.example/pipeline/localgov-drupal/, or just the last part of it",
    )
    supports = forms.MultipleChoiceField(
        label="UK standards it supports (optional)",
        required=False,
        choices=list(services.SUPPORTS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owners: Any = self.fields["owners"]
        owners.queryset = organisations

    @classmethod
    def initial_for(cls, asset: Asset) -> dict[str, Any]:
        return {
            "name": asset.name,
            "kind": asset.kind,
            "summary": asset.summary,
            "description": asset.description,
            "owners": [o.code for o in asset.owners.all()],
            "licence": asset.licence,
            "repository_url": asset.repository_url,
            "landing_url": asset.landing_url,
            "documentation_url": asset.documentation_url,
            "development_status": asset.development_status,
            "maintenance": asset.maintenance,
            "maintainers": "\n".join(
                f"{c.get('name', '')}, {c.get('email', '')}" for c in asset.maintainers
            ),
            "contractors": "\n".join(
                f"{c.get('name', '')}, {c.get('until', '')}" for c in asset.contractors
            ),
            "service_areas": [a.key for a in asset.service_areas.all()],
            "tags": ", ".join(t.name for t in asset.tags.all()),
            "platforms": ", ".join(asset.platforms),
            "supports": list(asset.supports),
            "origin": asset.origin.slug if asset.origin_id and asset.origin else "",
        }

    def clean_origin(self) -> Item | None:
        value = (self.cleaned_data.get("origin") or "").strip().rstrip("/")
        if not value:
            return None
        slug = value.rsplit("/", 1)[-1]
        item = Item.objects.filter(slug=slug, visibility="public", status="active").first()
        if item is None:
            raise forms.ValidationError(ORIGIN_NOT_FOUND)
        return item

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["owners"] = list(data["owners"])
        data["service_areas"] = list(data["service_areas"])
        return data


class PubliccodeCheckForm(forms.Form):
    """A publiccode.yml uploaded as a file or pasted as text."""

    file = forms.FileField(
        label="Upload a publiccode.yml file",
        required=False,
        help_text="Up to 1 MB",
    )
    text = forms.CharField(
        label="Or paste its contents",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, Any]:
        from localdigital.catalogue.publiccode import MAX_BYTES

        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                self.add_error("file", "The file must be 1 MB or smaller")
                return cleaned
            cleaned["content"] = upload.read()
        elif cleaned.get("text", "").strip():
            cleaned["content"] = cleaned["text"]
        else:
            self.add_error("file", "Upload a publiccode.yml file or paste its contents")
        return cleaned


class PubliccodeForm(PubliccodeCheckForm):
    """A publiccode.yml to import, and the organisation that will own a new asset."""

    owner = forms.ModelChoiceField(
        label="Owning organisation",
        help_text="When the file updates a solution already in the catalogue, its owners stay",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"required": services.OWNER_REQUIRED},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.queryset = organisations


class AdoptionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Your organisation",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"required": "Select your organisation"},
    )
    status = forms.ChoiceField(
        label="Is your organisation using it?",
        choices=Adoption.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": adoption_services.STATUS_REQUIRED},
    )
    outcomes = forms.CharField(
        label="Outcomes (optional)",
        required=False,
        help_text="What changed for residents, staff or costs",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    annual_saving = forms.IntegerField(
        label="Estimated annual saving in pounds (optional)",
        required=False,
        min_value=0,
        error_messages={
            "invalid": adoption_services.SAVING_NOT_WHOLE,
            "min_value": adoption_services.SAVING_NOT_WHOLE,
        },
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        organisation: Any = self.fields["organisation"]
        organisation.queryset = organisations


class AdoptionReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How would you rate it?",
        coerce=int,
        choices=[
            (5, "5: excellent"),
            (4, "4: good"),
            (3, "3: adequate"),
            (2, "2: poor"),
            (1, "1: very poor"),
        ],  # fmt: skip
        widget=forms.RadioSelect,
        error_messages={"required": adoption_services.RATING_REQUIRED},
    )
    review = forms.CharField(
        label="What worked, and what did not?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": adoption_services.REVIEW_REQUIRED,
            "max_length": adoption_services.REVIEW_TOO_LONG,
        },
    )


class ItemAssetLinkForm(forms.Form):
    """From an asset's page: one of the person's organisation's Pipeline items reuses or
    produces it."""

    item = forms.ModelChoiceField(
        label="Your organisation’s Pipeline item",
        queryset=Item.objects.none(),
        to_field_name="slug",
        empty_label=None,
        error_messages={"required": "Select one of your organisation’s Pipeline items"},
    )
    relation = forms.ChoiceField(
        label="The item",
        choices=ItemAssetLink.Relation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the item reuses or produces it"},
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["item"]
        field.queryset = items


class TcopClaimsForm(forms.Form):
    """The owner's answer to each TCoP point: a claim, evidence and links (fields named by the
    point's code, like `level-5`)."""

    def __init__(self, *args: Any, claims: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.claims = claims
        for claim in claims:
            code, node = claim.node.code, claim.node
            self.fields[f"level-{code}"] = forms.ChoiceField(
                label=f"{code}. {node.title}",
                required=False,
                choices=[(level.key, level.label) for level in node.levels.all()],
                widget=forms.RadioSelect,
                help_text=node.description,
            )
            self.fields[f"evidence-{code}"] = forms.CharField(
                label=f"Evidence for point {code}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What shows it, in a sentence or two (not needed for ‘not applicable’)",
            )
            self.fields[f"links-{code}"] = forms.CharField(
                label=f"Evidence links for point {code} (optional)",
                required=False,
                help_text="Web addresses separated by spaces",
            )
            self.initial.setdefault(f"level-{code}", claim.level.key if claim.level else "")
            self.initial.setdefault(f"evidence-{code}", claim.evidence)
            self.initial.setdefault(f"links-{code}", " ".join(claim.links))

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "claim": claim,
                "level": self[f"level-{claim.node.code}"],
                "evidence": self[f"evidence-{claim.node.code}"],
                "links": self[f"links-{claim.node.code}"],
            }
            for claim in self.claims
        ]

    def answers(self) -> dict[str, dict[str, Any]]:
        return {
            claim.node.code: {
                "level": self.cleaned_data.get(f"level-{claim.node.code}", ""),
                "evidence": self.cleaned_data.get(f"evidence-{claim.node.code}", ""),
                "links": self.cleaned_data.get(f"links-{claim.node.code}", ""),
            }
            for claim in self.claims
        }


class TcopReviewForm(forms.Form):
    """A peer reviewer confirms or challenges each point, with a reason for a challenge."""

    def __init__(self, *args: Any, claims: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.claims = claims
        for claim in claims:
            code = claim.node.code
            self.fields[f"review-{code}"] = forms.ChoiceField(
                label=f"Point {code}: do you agree?",
                choices=[("confirmed", "Confirm"), ("challenged", "Challenge")],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Confirm or challenge point {code}: {claim.node.title}"
                },
            )
            self.fields[f"comment-{code}"] = forms.CharField(
                label=f"Comment on point {code} (needed for a challenge)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "claim": claim,
                "review": self[f"review-{claim.node.code}"],
                "comment": self[f"comment-{claim.node.code}"],
            }
            for claim in self.claims
        ]

    def reviews(self) -> dict[str, dict[str, str]]:
        return {
            claim.node.code: {
                "review": self.cleaned_data.get(f"review-{claim.node.code}", ""),
                "comment": self.cleaned_data.get(f"comment-{claim.node.code}", ""),
            }
            for claim in self.claims
        }


class TcopAssureForm(forms.Form):
    comment = forms.CharField(
        label="Assurance comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
