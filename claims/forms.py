"""Forms validate and clean input; state changes happen in claims.services."""

from __future__ import annotations

import datetime as dt

from django import forms

from claims import importing
from claims.errors import InvalidInput
from claims.models import Claim, Rating, Source
from claims.names import display_name
from claims.reports import FORMATS
from claims.selectors.claim_panel import claim_split_points
from claims.selectors.people import active_reviewers
from claims.validation import (
    OVERDUE_CONFIRM_LABEL,
    validate_article_body,
    validate_due_date,
    validate_http_url,
)

# ---------------------------------------------------------------- board


class BoardFilterForm(forms.Form):
    """The board's GET filters, for display: the board itself reads them with
    selectors.board_filters_from, which ignores bad values rather than refusing them."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    article = forms.TypedChoiceField(label="Article", required=False, coerce=int, empty_value=None)
    assignee = forms.ChoiceField(label="Assignee", required=False)
    verdict = forms.ChoiceField(label="Verdict", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, data=None, *, articles, reviewers, ratings, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": "Claim or article"}
        )
        self.fields["article"].choices = [("", "All articles"), *articles]
        self.fields["assignee"].choices = [
            ("", "Anyone"),
            ("none", "Unassigned"),
            *[(str(u.pk), display_name(u)) for u in reviewers],
        ]
        self.fields["verdict"].choices = [
            ("", "Any verdict"),
            ("none", "No verdict yet"),
            *[(str(r.pk), r.name) for r in ratings],
        ]
        self.fields["status"].choices = [("", "All statuses"), *Claim.Status.choices]


# ---------------------------------------------------------------- claim panel (workflow steps, sources, comments)


class _VersionedForm(forms.Form):
    """Every claim edit carries the version the user saw (conflict-safe edits)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VerdictForm(_VersionedForm):
    rating = forms.ModelChoiceField(
        queryset=None, required=False, label="Verdict", empty_label="— no verdict yet —"
    )
    conclusion = forms.CharField(
        label="Conclusion",
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One sentence: what the claim turned out to be.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = Rating.objects.filter(is_active=True)


class SourceForm(forms.Form):
    # A CharField, not URLField: the service gives the clearer message for javascript:, data: etc.
    url = forms.CharField(
        label="URL", max_length=2000, widget=forms.URLInput(attrs={"placeholder": "https://"})
    )
    title = forms.CharField(label="Title", max_length=300, required=False)
    publisher = forms.CharField(label="Publisher", max_length=200, required=False)
    excerpt = forms.CharField(
        label="Excerpt", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    stance = forms.ChoiceField(
        label="Stance", choices=Source.Stance.choices, initial=Source.Stance.CONTEXT
    )
    archived_url = forms.CharField(
        label="Archived URL", max_length=2000, required=False, widget=forms.URLInput
    )
    accessed_on = forms.DateField(
        label="Accessed on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PersonChoiceField(forms.ModelChoiceField):
    """A person by their display name, as the rest of the app names them."""

    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class AssignForm(_VersionedForm):
    assignee = PersonChoiceField(
        queryset=None, label="Assignee", empty_label="— choose a reviewer —"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = active_reviewers()


class DueDateForm(_VersionedForm):
    due_date = forms.DateField(
        label="Due date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm_overdue = forms.BooleanField(label=OVERDUE_CONFIRM_LABEL, required=False)

    def __init__(self, *args, current: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def clean(self):
        data = super().clean()
        try:
            validate_due_date(
                data.get("due_date"),
                current=self.current,
                allow_overdue=bool(data.get("confirm_overdue")),
            )
        except InvalidInput as exc:
            self.add_error("due_date", exc.message)
        return data


class StepForm(_VersionedForm):
    """One form for every workflow step; only the fields a step needs are shown."""

    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label="Public note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rating = forms.ModelChoiceField(
        queryset=None, required=False, label="Verdict", empty_label="— keep the verdict —"
    )
    conclusion = forms.CharField(
        label="Conclusion", required=False, max_length=600, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = Rating.objects.filter(is_active=True)


# ---------------------------------------------------------------- articles and triage


class ArticleForm(forms.Form):
    """A new article: pasted text or one uploaded file. The file becomes text here,
    so the view only ever sees `cleaned_data["body"]`."""

    title = forms.CharField(
        label="Title",
        max_length=300,
        required=False,
        help_text="Left empty, the first line of the text is used.",
    )
    body = forms.CharField(
        label="Text",
        required=False,
        strip=False,  # offsets index into the text exactly as given
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste the article, or upload a file below.",
    )
    file = forms.FileField(label="File", required=False, help_text=".txt, .md, .html or .docx")
    outlet = forms.CharField(label="Outlet", max_length=200, required=False)
    author = forms.CharField(label="Author", max_length=200, required=False)
    url = forms.CharField(
        label="URL",
        max_length=1000,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    published_on = forms.DateField(
        label="Published date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = importing.ACCEPT_ATTR

    def clean_url(self) -> str:
        try:
            return validate_http_url(self.cleaned_data["url"], label="The URL")
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        data = super().clean()
        upload, body = data.get("file"), importing.normalize_text(data.get("body") or "")
        if upload and body.strip():
            raise forms.ValidationError("Paste the text or upload a file, not both.")
        if upload:
            try:
                imported = importing.read_upload(upload.name, upload.read())
            except importing.ImportFailed as exc:
                self.add_error("file", exc.message)
                return data
            body = imported.text
            data["title"] = data.get("title") or imported.title
        try:
            data["body"] = validate_article_body(body)
        except InvalidInput as exc:
            self.add_error("file" if upload else "body", exc.message)
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once. Empty or odd files pass: the import job reports each by name."""

    def __init__(self, *args, max_files: int = 200, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            raise forms.ValidationError("Choose one or more files to import.")
        if len(files) > self.max_files:
            raise forms.ValidationError(f"Import at most {self.max_files} files at once.")
        return files


class ArticleImportForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text=".txt, .md, .html, .docx, or a .csv with title, text and url columns",
    )
    extract = forms.BooleanField(
        label="Extract claims from each article", required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ".txt,.md,.html,.htm,.docx,.csv"


class FactCheckImportForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text="ClaimReview JSON-LD (.json, .jsonld, or an .html page with it), a Fact Check Tools "
        "search answer (.json), or a .csv with claim, rating, url, publisher and date columns",
        max_files=50,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ".json,.jsonld,.html,.htm,.csv"


class ClaimAddForm(forms.Form):
    """Start/end come from the text selection (triage.js); without JavaScript the
    editor types the exact text and the first occurrence not yet a claim is used."""

    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Text to add as a claim",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Select text in the article above, or type it exactly as it appears.",
    )

    def clean(self):
        data = super().clean()
        has_span = data.get("start") is not None and data.get("end") is not None
        if not has_span and not (data.get("text") or "").strip():
            raise forms.ValidationError(
                "Select some text in the article, or type the exact text to add."
            )
        return data


class ClaimEditForm(_VersionedForm):
    text = forms.CharField(
        label="Wording", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClaimSplitForm(_VersionedForm):
    """Where the second claim begins: a word boundary from the list, or its first words."""

    at = forms.TypedChoiceField(label="Split before", coerce=int, required=False, empty_value=None)
    second = forms.CharField(
        label="Or type where the second part begins",
        required=False,
        max_length=5000,
        help_text="The first words of the second part, exactly as in the article.",
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["at"].choices = [("", "— choose a word —")] + [
            (p.at, p.label) for p in claim_split_points(claim)
        ]

    def clean(self):
        data = super().clean()
        second = (data.get("second") or "").strip()
        if second:
            sentence = self.claim.article.body[self.claim.start : self.claim.end]
            index = sentence.find(second, 1)
            if index < 0:
                self.add_error(
                    "second",
                    "That text is not in the claim's sentence (after its first character).",
                )
            else:
                data["at"] = index
        elif data.get("at") is None:
            raise forms.ValidationError("Choose where the second part begins.")
        return data


class ClaimDismissForm(_VersionedForm):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        help_text="For example: opinion, prediction, not checkable.",
    )


# ---------------------------------------------------------------- reports


class ReportOptionsForm(forms.Form):
    """The export chooser: which format, and (editors) whether to include every claim."""

    format = forms.ChoiceField(label="Format", required=False)
    internal = forms.BooleanField(label="Internal (all claims)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(f.name, f.label) for f in FORMATS.values()]

    def clean_format(self) -> str:
        return self.cleaned_data.get("format") or "html"
