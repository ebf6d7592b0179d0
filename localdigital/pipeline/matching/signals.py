"""Structured signals that add to the text similarity of two items, each with a reason.

A signal is a function of the source document and a candidate returning a bonus and a short
reason, or None. The Pipeline registers "same service area" and "same kind of problem"; later
capabilities add theirs in their AppConfig.ready, for example:

    signals.register("same-systems", same_systems_signal)

where `same_systems_signal(source, candidate)` looks up both organisations' systems registers and
returns `(0.05, "both run Idox Uniform")`. Bonuses are small beside the text score, so a signal
re-orders close candidates rather than inventing matches.
"""

from collections.abc import Callable

from localdigital.pipeline.matching.index import Document

Signal = Callable[[Document, Document], tuple[float, str] | None]
_signals: dict[str, Signal] = {}


def register(name: str, signal: Signal) -> None:
    _signals[name] = signal


def apply(source: Document, candidate: Document) -> tuple[float, list[str]]:
    """The summed bonus of every registered signal and their reasons, in registration order."""
    total, reasons = 0.0, []
    for signal in _signals.values():
        result = signal(source, candidate)
        if result is not None:
            total += result[0]
            reasons.append(result[1])
    return total, reasons


def _same_service_area(source: Document, candidate: Document) -> tuple[float, str] | None:
    if source.service_area_id and source.service_area_id == candidate.service_area_id:
        label = source.labels.get(f"a:{source.service_area_id}", "")
        return 0.06, f"same service area: {label}" if label else "same service area"
    return None


def _both_problems(source: Document, candidate: Document) -> tuple[float, str] | None:
    if source.kind == candidate.kind == "problem":
        return 0.03, "also a problem another council has"
    return None


def _same_region(source: Document, candidate: Document) -> tuple[float, str] | None:
    if source.region and source.region == candidate.region:
        return 0.01, f"also in {source.region}"
    return None


register("same-service-area", _same_service_area)
register("both-problems", _both_problems)
register("same-region", _same_region)
