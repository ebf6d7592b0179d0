"""Turning council text into matching features.

Council language is full of synonyms, jargon and abbreviations (EHCP, MASH, R&B, homecare), so
plain word overlap misses true matches. The analyser:

- normalises text (lower case, "&" as "and", apostrophes dropped, other punctuation as spaces);
- finds the phrases of the sector thesaurus (`data/thesaurus.yaml`), longest first, and emits
  one concept feature for each (`c:ehcp` for "EHCP", "EHC plan" and "education health and care
  plan" alike);
- keeps the remaining words, lightly stemmed (`w:repair` for "repairs"), without stop words;
- joins neighbouring words ("home care" also gives `w:homecare`), so compounds written either
  way meet;
- adds character 4-grams of longer title words at a low weight (`g:...`), which tolerate typos
  and variants the stemmer misses.

Each feature carries a weight from the field it came from (a word in the title counts more
than one deep in the description). `ANALYSER_VERSION` changes whenever the features would; stored
documents with an older version are rebuilt.
"""

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ANALYSER_VERSION = 2
THESAURUS = Path(__file__).resolve().parent.parent / "data" / "thesaurus.yaml"
MAX_PHRASE = 8
FIELD_WEIGHTS = {
    "title": 3.0,
    "summary": 2.0,
    "tags": 2.0,
    "problem": 1.5,
    "user_needs": 1.0,
    "description": 0.6,
    "query": 2.0,
}
CONCEPT_BOOST = 1.5
JOINED_WEIGHT = 0.3
NGRAM_WEIGHT = 0.15
NGRAM_FIELDS = ("title", "query")
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "help",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "let",
        "make",
        "more",
        "most",
        "need",
        "needs",
        "new",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "our",
        "out",
        "over",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "up",
        "us",
        "use",
        "used",
        "using",
        "want",
        "was",
        "way",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "without",
        "would",
        "you",
        "your",
        "across",
        "around",
        "get",
        "got",
        "just",
        "like",
        "may",
        "many",
        "much",
        "other",
        "own",
        "same",
        "see",
        "still",
        "them",
        "thing",
        "things",
        "very",
        "via",
        "whether",
        "while",
        "within",
        "etc",
        "eg",
        "ie",
        "using",
        "council",
        "councils",
        "local",
        "authority",
        "authorities",
        "service",
        "services",
    ]
)
_APOSTROPHES = re.compile(r"['’‘`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


# Abbreviations that are also everyday words count only when written in capitals: "SEND" is
# special educational needs, "send" is a verb.
AMBIGUOUS_ABBREVIATIONS = frozenset(
    [
        "send",
        "sen",
        "mash",
        "dm",
        "ai",
        "it",
        "uc",
        "hr",
        "lac",
        "cla",
        "csc",
        "tec",
        "asc",
        "caf",
        "ims",
        "lms",
        "prs",
        "cms",
        "gis",
        "hmo",
        "asb",
    ]
)
_RAW_NON_WORD = re.compile(r"[^A-Za-z0-9]+")


_URL = re.compile(r"<?https?://\S+|www\.\S+")
# Words in nearly every council's name or a funded project's boilerplate: they make places and
# funding look like shared subject matter.
NAME_WORDS = frozenset(
    [
        "london",
        "borough",
        "city",
        "county",
        "district",
        "metropolitan",
        "royal",
        "unitary",
        "fund",
        "funded",
        "funding",
        "grant",
        "round",
        "partner",
        "partners",
        "source",
        "sources",
    ]
)


def tokens(text: str) -> list[str]:
    """Words with their case kept: web addresses dropped, "&" becomes "and", apostrophes vanish,
    other punctuation splits."""
    text = _URL.sub(" ", text or "")
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    return [w for w in _RAW_NON_WORD.split(text) if w]


def normalise(text: str) -> list[str]:
    """Lower-cased words: "&" becomes "and", apostrophes vanish, other punctuation splits."""
    return [w.lower() for w in tokens(text)]


def stem(word: str) -> str:
    """A light English stemmer: plurals and common endings, never below four letters."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, replacement in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ings", ""),
        ("ing", ""),
        ("ations", "ate"),
        ("ation", "ate"),
        ("ers", "er"),
        ("ed", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 4:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + replacement
    return word


@dataclass(frozen=True)
class Thesaurus:
    """Phrases (as tuples of stemmed words) mapped to concept ids, and each concept's label."""

    phrases: dict[tuple[str, ...], str]
    labels: dict[str, str]
    version: str
    capitals_only: frozenset[str]


@functools.cache
def thesaurus(path: Path = THESAURUS) -> Thesaurus:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    phrases: dict[tuple[str, ...], str] = {}
    labels: dict[str, str] = {}
    capitals: set[str] = set()
    for concept in data["concepts"]:
        cid, terms = str(concept["id"]), [str(t) for t in concept["terms"]]
        labels[cid] = terms[0]
        for term in terms:
            words = tuple(stem(w) for w in normalise(term))
            if words and len(words) <= MAX_PHRASE:
                phrases.setdefault(words, cid)
            if term.isupper() and term.lower() in AMBIGUOUS_ABBREVIATIONS:
                capitals.add(stem(term.lower()))
    return Thesaurus(
        phrases=phrases,
        labels=labels,
        version=str(data["version"]),
        capitals_only=frozenset(capitals),
    )


@dataclass
class Analysis:
    """Weighted features of a text and a readable label for each (for "why" reasons)."""

    terms: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    labels: dict[str, str] = field(default_factory=dict)

    def add(self, term: str, weight: float, label: str) -> None:
        self.terms[term] += weight
        self.labels.setdefault(term, label)

    def as_json(self) -> dict[str, Any]:
        return {"t": {k: round(v, 3) for k, v in self.terms.items()}, "l": self.labels}


def analyse_field(analysis: Analysis, text: str, weight: float, *, ngrams: bool = False) -> None:
    """Add one field's features to `analysis`."""
    raw = tokens(text)
    words = [w.lower() for w in raw]
    stems = [stem(w) for w in words]
    phrases = thesaurus().phrases
    capitals_only = thesaurus().capitals_only
    used = [False] * len(stems)
    i = 0
    while i < len(stems):
        for length in range(min(MAX_PHRASE, len(stems) - i), 0, -1):
            concept = phrases.get(tuple(stems[i : i + length]))
            if length == 1 and stems[i] in capitals_only and not raw[i].isupper():
                concept = None
            if concept is not None:
                analysis.add(f"c:{concept}", weight * CONCEPT_BOOST, thesaurus().labels[concept])
                for j in range(i, i + length):
                    used[j] = True
                i += length
                break
        else:
            i += 1
    kept: list[tuple[str, str]] = []
    for word, stemmed, in_phrase in zip(words, stems, used, strict=True):
        if word in STOP_WORDS or word in NAME_WORDS or len(word) < 2:
            kept.append(("", ""))
            continue
        if in_phrase:
            kept.append(("", ""))
            continue
        analysis.add(f"w:{stemmed}", weight, word)
        kept.append((word, stemmed))
        if ngrams and len(word) >= 6:
            padded = f"_{word}_"
            for k in range(len(padded) - 3):
                analysis.add(f"g:{padded[k : k + 4]}", weight * NGRAM_WEIGHT, word)
    for (first, _), (second, _) in zip(kept, kept[1:], strict=False):
        if first and second:
            joined = stem(first + second)
            concept = phrases.get((joined,))
            if concept is not None:
                analysis.add(f"c:{concept}", weight * CONCEPT_BOOST, thesaurus().labels[concept])
            else:
                analysis.add(f"w:{joined}", weight * JOINED_WEIGHT, f"{first} {second}")


def analyse_fields(fields: dict[str, str]) -> Analysis:
    """Features of several named fields (title, summary, tags, problem, user_needs,
    description, or query), each weighted by FIELD_WEIGHTS."""
    analysis = Analysis()
    for name, text in fields.items():
        if text:
            analyse_field(analysis, text, FIELD_WEIGHTS.get(name, 1.0), ngrams=name in NGRAM_FIELDS)
    return analysis


def analyse_query(text: str) -> Analysis:
    return analyse_fields({"query": text})


def item_fields(item: Any, tag_names: list[str]) -> dict[str, str]:
    """The text fields of an item the matcher reads."""
    return {
        "title": item.title,
        "summary": item.summary,
        "tags": ", ".join(tag_names),
        "problem": item.problem,
        "user_needs": item.user_needs,
        "description": item.description,
    }
