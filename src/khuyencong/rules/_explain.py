"""Explanations: every decision lists every condition it checked, and why.

A :class:`Condition` says what was required, what was found, whether it held, the citation it
rests on, and a message in Vietnamese and English. A :class:`Decision` is the outcome of a
rule for one subject on one date: it holds when *all* its conditions hold. Conditions are kept
compact (plain tuples) while rules run and are materialised only when read, so that a batch of
100,000 decisions stays cheap; failed conditions come first.

Decisions render as text (:meth:`Decision.render`, ``"vi"`` or ``"en"``) and as JSON through the
library's converter (:func:`khuyencong.converters.dumps`).

>>> import datetime as dt
>>> from khuyencong.domain import Citation
>>> cite = Citation("17/2023/QH15", "4", "7")
>>> d = Decision("cooperative", dt.date(2024, 7, 1), "HTX-1",
...              [("cooperative.members", False, 5, 4, cite, None)])
>>> d.outcome
False
>>> print(d.render("en"))
HTX-1 — cooperative on 2024-07-01: NO
  ✗ a cooperative needs at least 5 official members; it has 4 [17/2023/QH15, Art. 4(7) [V]]
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from khuyencong.converters import converter, structure, unstructure
from khuyencong.domain import Citation, LabelledEnum, Lang, format_vnd

__all__ = ["Condition", "Decision", "Fact", "Text", "format_value", "register_messages"]

Fact = tuple[str, bool, Any, Any, Citation, str | None]
"""A compact condition: ``(code, held, required, found, citation, exception_label)``."""

_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "cooperative.members": (
        "hợp tác xã có {found} thành viên chính thức, đạt tối thiểu {required}",
        "hợp tác xã cần ít nhất {required} thành viên chính thức; hiện có {found}",
        "the cooperative has {found} official members, at least {required}",
        "a cooperative needs at least {required} official members; it has {found}",
    ),
}


def register_messages(messages: Mapping[str, tuple[str, str, str, str]]) -> None:
    """Register message templates: ``code → (vi held, vi failed, en held, en failed)``.

    Templates may use ``{required}`` and ``{found}``, formatted for the language.
    """
    _MESSAGES.update(messages)
    _CONDITIONS.clear()


@attrs.frozen
class Text:
    """A short text in both languages, for a condition's required or found value.

    >>> format_value(Text("xã", "commune"), "en")
    'commune'
    """

    vi: str
    en: str

    def __str__(self) -> str:
        return self.en


def format_value(value: object, lang: Lang = "vi") -> str:
    """A value as a reader would write it: labels for enums, đồng for money, dates as ISO.

    >>> format_value(("commune", "township"), "en")
    'commune, township'
    >>> from khuyencong.domain import LegalForm
    >>> format_value(LegalForm.COOPERATIVE, "vi")
    'Hợp tác xã'
    """
    if isinstance(value, LabelledEnum):
        return value.label(lang)
    if isinstance(value, Text):
        return value.vi if lang == "vi" else value.en
    if isinstance(value, enum.Enum):
        label = getattr(value, f"label_{lang}", None)
        return str(label) if label is not None else str(value.value)
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, Money):
        return format_vnd(value.amount, lang)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat() if lang == "en" else value.strftime("%d/%m/%Y")
    if isinstance(value, tuple | list | frozenset | set):
        items = sorted(value, key=str) if isinstance(value, frozenset | set) else value
        return ", ".join(format_value(v, lang) for v in items) or "—"
    if value is None:
        return "—"
    return str(value)


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


@attrs.frozen
class Money:
    """An amount of đồng inside an explanation (so that it renders as money)."""

    amount: int

    def __str__(self) -> str:
        return str(self.amount)


def _neutral(value: object) -> str:
    """A language-neutral text of a value, for JSON (enum values, ISO dates, integers)."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        items = sorted(value, key=str) if isinstance(value, frozenset | set) else value
        return ", ".join(_neutral(v) for v in items)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


@attrs.frozen
class Condition:
    """One condition a rule checked.

    Attributes:
        code: A stable identifier of the condition (``cooperative.members``).
        held: Whether it held.
        required: What the rule required (language-neutral text).
        found: What was found (language-neutral text).
        citation: The provision it rests on.
        message_vi: Why, in Vietnamese.
        message_en: Why, in English.
        exception: The label of the exception that made it hold, if one did.
    """

    code: str
    held: bool
    required: str
    found: str
    citation: Citation
    message_vi: str
    message_en: str
    exception: str | None = None

    def message(self, lang: Lang = "vi") -> str:
        """The message in ``lang``."""
        return self.message_vi if lang == "vi" else self.message_en


def _materialise(fact: Fact) -> Condition:
    code, held, required, found, citation, exception = fact
    templates = _MESSAGES.get(code)
    values = {
        "vi": {"required": format_value(required, "vi"), "found": format_value(found, "vi")},
        "en": {"required": format_value(required, "en"), "found": format_value(found, "en")},
    }
    if templates is None:
        vi = f"{code}: {'đạt' if held else 'không đạt'}"
        en = f"{code}: {'held' if held else 'failed'}"
    else:
        vi = (templates[0] if held else templates[1]).format(**values["vi"])
        en = (templates[2] if held else templates[3]).format(**values["en"])
    if exception:
        vi += f" (ngoại lệ: {exception})"
        en += f" (exception: {exception})"
    return Condition(code, held, _neutral(required), _neutral(found), citation, vi, en, exception)


_CONDITIONS: dict[int, tuple[Fact, Condition]] = {}
"""Conditions already materialised, by the identity of their fact.

Rules share fact tuples between records (memoised per date, unit, sector set...), so a batch's
explanations are mostly the same few facts: each is formatted once. An entry keeps its fact
alive, so an id is never reused while it is cached; the cache is emptied when it grows large
and when message templates change.
"""
_CONDITIONS_MAX = 65_536


def _condition(fact: Fact) -> Condition:
    hit = _CONDITIONS.get(id(fact))
    if hit is not None and hit[0] is fact:
        return hit[1]
    condition = _materialise(fact)
    if len(_CONDITIONS) >= _CONDITIONS_MAX:
        _CONDITIONS.clear()
    _CONDITIONS[id(fact)] = (fact, condition)
    return condition


class Decision:
    """The outcome of one rule for one subject on one date, with every condition checked.

    The outcome is the conjunction of the conditions (a decision without conditions holds).
    Conditions are materialised on first read; failed ones come first.

    Args:
        rule: The rule's name (``eligibility``, ``support_conditions``, ...).
        on: The date the rule was applied on.
        subject: What was decided about (an establishment or project id).
        facts: The compact conditions (see :data:`Fact`).
        conditions: Already materialised conditions (when read back from JSON).
        outcome: The conjunction of the facts, when the caller has it already.
        regime: The documents whose rules were applied (``eligibility.regime``), if known.
        rules_on: The date whose rules were applied, when it differs from ``on`` (a project
            approved before a new regime keeps the rules of its approval date).
    """

    __slots__ = ("_conditions", "_facts", "on", "outcome", "regime", "rule", "rules_on", "subject")

    def __init__(
        self,
        rule: str,
        on: dt.date,
        subject: str,
        facts: Sequence[Fact] = (),
        *,
        conditions: Sequence[Condition] | None = None,
        outcome: bool | None = None,
        regime: str | None = None,
        rules_on: dt.date | None = None,
    ) -> None:
        self.rule = rule
        self.on = on
        self.subject = subject
        self.regime = regime
        self.rules_on = None if rules_on == on else rules_on
        self._facts = tuple(facts)
        if conditions is not None:
            self._conditions: tuple[Condition, ...] | None = _failed_first(conditions)
            self.outcome: bool = all(c.held for c in conditions)
        else:
            self._conditions = None
            if outcome is None:
                outcome = True
                for fact in self._facts:
                    if not fact[1]:
                        outcome = False
                        break
            self.outcome = outcome

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """Every condition checked, failed ones first."""
        if self._conditions is None:
            self._conditions = _failed_first([_condition(f) for f in self._facts])
        return self._conditions

    @property
    def failed(self) -> tuple[Condition, ...]:
        """The conditions that did not hold."""
        return tuple(c for c in self.conditions if not c.held)

    @property
    def failed_codes(self) -> tuple[str, ...]:
        """The codes of the failed conditions (cheap: no materialisation)."""
        if self._conditions is not None:
            return tuple(c.code for c in self._conditions if not c.held)
        return tuple(f[0] for f in self._facts if not f[1])

    def render(self, lang: Lang = "vi") -> str:
        """The decision as readable text in ``lang``."""
        if lang == "vi":
            verdict = "ĐẠT" if self.outcome else "KHÔNG ĐẠT"
            head = f"{self.subject} — {self.rule} ngày {self.on.strftime('%d/%m/%Y')}: {verdict}"
        else:
            verdict = "YES" if self.outcome else "NO"
            head = f"{self.subject} — {self.rule} on {self.on.isoformat()}: {verdict}"
        regime = self.regime_text(lang)
        lines = [f"{head} — {regime}" if regime else head]
        for c in self.conditions:
            mark = "✓" if c.held else "✗"
            lines.append(f"  {mark} {c.message(lang)} [{c.citation.text(lang)}]")
        return "\n".join(lines)

    def regime_text(self, lang: Lang = "vi") -> str:
        """Which rules were applied, as a reader would say it (``""`` when not recorded)."""
        if self.regime is None:
            return ""
        if self.rules_on is None:
            return f"áp dụng {self.regime}" if lang == "vi" else f"under {self.regime}"
        if lang == "vi":
            return (
                f"áp dụng {self.regime} theo quy định tại ngày phê duyệt "
                f"{self.rules_on.strftime('%d/%m/%Y')}"
            )
        return f"under {self.regime}, the rules of the approval date {self.rules_on.isoformat()}"

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data (dates as ISO text, citations as tables)."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "on": self.on.isoformat(),
            "subject": self.subject,
            "outcome": self.outcome,
            "conditions": [unstructure(c) for c in self.conditions],
        }
        if self.regime is not None:
            data["regime"] = self.regime
        if self.rules_on is not None:
            data["rules_on"] = self.rules_on.isoformat()
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Decision:
        """Read back what :meth:`to_data` wrote.

        Raises:
            khuyencong.exceptions.ValidationError: If the data is not a decision.
        """
        raw = structure(dict(data), _DecisionData)
        return cls(
            raw.rule,
            raw.on,
            raw.subject,
            conditions=raw.conditions,
            regime=raw.regime,
            rules_on=raw.rules_on,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return (
            self.rule,
            self.on,
            self.subject,
            self.outcome,
            self.regime,
            self.rules_on,
            self.conditions,
        ) == (
            other.rule,
            other.on,
            other.subject,
            other.outcome,
            other.regime,
            other.rules_on,
            other.conditions,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        failed = ", ".join(self.failed_codes) or "none"
        return (
            f"Decision({self.rule!r}, {self.on.isoformat()}, {self.subject!r}, "
            f"outcome={self.outcome}, failed=[{failed}])"
        )


@attrs.frozen
class _DecisionData:
    rule: str
    on: dt.date
    subject: str
    outcome: bool
    conditions: tuple[Condition, ...]
    regime: str | None = None
    rules_on: dt.date | None = None


def _failed_first(conditions: Iterable[Condition]) -> tuple[Condition, ...]:
    items = list(conditions)
    return tuple([c for c in items if not c.held] + [c for c in items if c.held])


converter.register_unstructure_hook(Decision, Decision.to_data)
converter.register_structure_hook(Decision, lambda data, _: Decision.from_data(data))
