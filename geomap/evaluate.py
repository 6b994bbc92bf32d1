"""Score mention predictions against a gold corpus (GeoWebNews style).

Recognition: precision, recall and F1, strict (the same span) and lenient
(overlapping spans; each gold toponym takes the first unused overlapping
prediction). Resolution, on the gold toponyms with coordinates that were
found: accuracy within 161 km, mean and median error, and the AUC of the
scaled log error (Gritta et al. 2019; lower is better), a missing prediction
point counting as the largest possible error. End to end: the share of all
gold toponyms with coordinates found and placed within 161 km.

Where the errors are, so the next push is measured too: false positives
(predictions overlapping no gold toponym) by a cause read off the text and
the record, wrong resolutions (161 km or more off) by distance band, and how
the gold toponyms found are typed (a metonymic "Moscow said" should be
associative, a literal one literal).
The causes, tried in this order: ``demonym``; ``in_a_longer_name`` (a
capitalised word right before or after it: "Tom [Chilton]", "[Hamas]
Political Bureau" - people, organisations, titles); ``through_an_alias``
(the text is not the place's own name: "Kelly" taken for Harvest);
``all_capitals`` ("NATO"); ``lone_name`` (the rest: "Centre", "El Niño").
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .gazetteer.names import name_key
from .geo import distance_km
from .models import MENTION_TYPES, mention_type_of_gold

__all__ = ["ERROR_BANDS", "FALSE_POSITIVE_CAUSES", "EvaluationResult", "score_mentions"]

MAX_ERROR_KM = 20039.0
ACCURACY_KM = 161.0
#: Why a prediction matched no gold toponym (see the module docstring), in the order tried.
FALSE_POSITIVE_CAUSES = ("demonym", "in_a_longer_name", "through_an_alias", "all_capitals", "lone_name")
#: Bands of a wrong resolution's error in km: [low, high).
ERROR_BANDS = ((161, 500), (500, 2000), (2000, 5000), (5000, math.inf))
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’&-]*[ \t]+$")  # not a sentence's last word
_CAPITALISED_AFTER = re.compile(r"^[ \t]+[A-Z]")


@dataclass
class _Tally:
    gold: int = 0
    found: int = 0
    with_coordinates: int = 0
    errors: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "gold": self.gold,
            "recall": _ratio(self.found, self.gold),
            "with_coordinates": self.with_coordinates,
            "resolved_scored": len(self.errors),
        }
        out.update(_error_summary(self.errors))
        out["end_to_end161"] = _ratio(sum(e < ACCURACY_KM for e in self.errors), self.with_coordinates)
        return out


@dataclass
class EvaluationResult:
    """The figures of one evaluation; ``as_dict`` gives them flat, as score.py prints them."""

    gold: int
    predicted: int
    strict_tp: int
    lenient_tp: int
    errors: list[float]
    gold_with_coordinates: int
    by_type: dict[str, _Tally]
    false_positives: Counter[str] = field(default_factory=Counter)
    #: Of the gold toponyms found: (the mention type the gold type stands for, the type geomap gave) -> count.
    typed: Counter[tuple[str, str]] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        sp, sr = _ratio(self.strict_tp, self.predicted), _ratio(self.strict_tp, self.gold)
        lp, lr = _ratio(self.lenient_tp, self.predicted), _ratio(self.lenient_tp, self.gold)
        out: dict[str, Any] = {
            "gold": self.gold,
            "predicted": self.predicted,
            "strict_p": sp,
            "strict_r": sr,
            "strict_f1": _f1(sp, sr),
            "lenient_p": lp,
            "lenient_r": lr,
            "lenient_f1": _f1(lp, lr),
            "resolved_scored": len(self.errors),
        }
        out.update(_error_summary(self.errors))
        hits = sum(e < ACCURACY_KM for e in self.errors)
        out["end_to_end161"] = _ratio(hits, self.gold_with_coordinates)
        out["by_type"] = {kind: tally.summary() for kind, tally in sorted(self.by_type.items())}
        out["false_positives_by_cause"] = {cause: self.false_positives[cause] for cause in FALSE_POSITIVE_CAUSES}
        out["wrong_resolutions_by_km"] = _bands(self.errors)
        out["types_found"] = {
            gold: {given: self.typed[gold, given] for given in MENTION_TYPES}
            for gold in ("literal", "associative", "demonym")
        }
        return out


def score_mentions(
    gold: Iterable[Mapping[str, Any]],
    predictions: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    gold_field: str = "toponyms",
) -> EvaluationResult:
    """Score ``predictions`` (article id -> mention records) against ``gold`` documents.

    A gold document has ``id``, ``text`` and ``gold_field``: a list of
    ``{start, end, lat?, lon?, type?}``. Predictions need ``start``, ``end``
    and, to be scored for resolution, ``lat``/``lon``.
    """
    n_gold = n_pred = strict_tp = lenient_tp = with_coordinates = 0
    errors: list[float] = []
    by_type: dict[str, _Tally] = defaultdict(_Tally)
    false_positives: Counter[str] = Counter()
    typed: Counter[tuple[str, str]] = Counter()
    for document in gold:
        toponyms = document.get(gold_field) or []
        predicted = _unique_spans(predictions.get(str(document["id"]), []))
        spans = {(p["start"], p["end"]) for p in predicted}
        n_pred += len(predicted)
        n_gold += len(toponyms)
        used: set[int] = set()
        for toponym in toponyms:
            tally = by_type[toponym.get("type") or "untyped"]
            tally.gold += 1
            strict_tp += (toponym["start"], toponym["end"]) in spans
            gold_point = _point(toponym)
            if gold_point is not None:
                with_coordinates += 1
                tally.with_coordinates += 1
            match = next(
                (
                    i
                    for i, p in enumerate(predicted)
                    if i not in used and p["start"] < toponym["end"] and toponym["start"] < p["end"]
                ),
                None,
            )
            if match is None:
                continue
            used.add(match)
            lenient_tp += 1
            tally.found += 1
            if toponym.get("type") is not None:
                typed[mention_type_of_gold(toponym["type"]), str(predicted[match].get("type"))] += 1
            if gold_point is not None:
                predicted_point = _point(predicted[match])
                error = _km(gold_point, predicted_point) if predicted_point else MAX_ERROR_KM
                errors.append(error)
                tally.errors.append(error)
        text = document.get("text")
        for i, record in enumerate(predicted):
            if i not in used and not any(t["start"] < record["end"] and record["start"] < t["end"] for t in toponyms):
                false_positives[_false_positive_cause(record, text)] += 1
    return EvaluationResult(
        gold=n_gold,
        predicted=n_pred,
        strict_tp=strict_tp,
        lenient_tp=lenient_tp,
        errors=errors,
        gold_with_coordinates=with_coordinates,
        by_type=dict(by_type),
        false_positives=false_positives,
        typed=typed,
    )


def _false_positive_cause(record: Mapping[str, Any], text: str | None) -> str:
    """Why a prediction may have matched no gold toponym: the first of FALSE_POSITIVE_CAUSES that fits."""
    if record.get("type") == "demonym":
        return "demonym"
    start, end = int(record["start"]), int(record["end"])
    if text is not None and (
        _CAPITALISED_BEFORE.search(text, max(0, start - 40), start) or _CAPITALISED_AFTER.match(text[end : end + 2])
    ):
        return "in_a_longer_name"
    surface, name = str(record.get("text") or ""), record.get("name")
    if name and name_key(surface) != name_key(str(name)):
        return "through_an_alias"
    if surface.replace(".", "").replace(" ", "").isupper():
        return "all_capitals"
    return "lone_name"


def _bands(errors: list[float]) -> dict[str, int]:
    """Resolutions 161 km or more off, per ERROR_BANDS ("161-500", ..., "5000+")."""
    out = {}
    for low, high in ERROR_BANDS:
        label = f"{low}+" if math.isinf(high) else f"{low}-{high}"
        out[label] = sum(low <= e < high for e in errors)
    return out


def _unique_spans(records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    ordered = sorted(records, key=lambda r: (r["start"], r["end"]))
    seen: set[tuple[int, int]] = set()
    out = []
    for record in ordered:
        key = (record["start"], record["end"])
        if key not in seen:
            seen.add(key)
            out.append(record)
    return out


def _point(record: Mapping[str, Any]) -> tuple[float, float] | None:
    if record.get("lat") is not None and record.get("lon") is not None:
        return float(record["lat"]), float(record["lon"])
    return None


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return distance_km(*a, *b)


def _error_summary(errors: list[float]) -> dict[str, float]:
    if not errors:
        return {}
    return {
        "acc161": sum(e < ACCURACY_KM for e in errors) / len(errors),
        "mean_km": statistics.fmean(errors),
        "median_km": statistics.median(errors),
        "auc": statistics.fmean(math.log(e + 1) / math.log(MAX_ERROR_KM) for e in errors),
    }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
