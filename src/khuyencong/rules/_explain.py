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
HTX-1 — cooperative membership on 2024-07-01: NO
  ✗ a cooperative needs at least 5 official members; it has 4 [17/2023/QH15, Art. 4(7) [V]]
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from khuyencong.converters import _register_library_hooks, structure, unstructure
from khuyencong.display import escape, fragment
from khuyencong.domain import (
    Citation,
    LabelledEnum,
    confidence_legend,
    format_date,
    format_vnd,
)
from khuyencong.messages import LANGS, Lang, Text, catalogue, text

__all__ = ["Condition", "Decision", "Fact", "Text", "format_value", "register_messages"]

Fact = tuple[str, bool, Any, Any, Citation, str | None]
"""A compact condition: ``(code, held, required, found, citation, exception_label)``."""

_MESSAGES: dict[str, tuple[str, str, str, str]] = {}
"""Templates registered by rules outside the library; the library's own live in explain.toml."""


def register_messages(messages: Mapping[str, tuple[str, str, str, str]]) -> None:
    """Register message templates: ``code → (vi held, vi failed, en held, en failed)``.

    The library's own conditions are in the message catalogue (``explain.toml``,
    ``explain.condition.<code>.held`` and ``.failed``); a rule written outside the library
    registers its templates here. Templates may use ``{required}`` and ``{found}``,
    formatted for the language.
    """
    _MESSAGES.update(messages)
    _CONDITIONS.clear()


def _templates(code: str) -> tuple[str, str, str, str] | None:
    """``(vi held, vi failed, en held, en failed)`` of a condition, if any is known."""
    messages = catalogue()
    held, failed = f"explain.condition.{code}.held", f"explain.condition.{code}.failed"
    if held in messages and failed in messages:
        return (*messages[held][:1], *messages[failed][:1], messages[held][1], messages[failed][1])
    return _MESSAGES.get(code)


def rule_label(rule: str, lang: Lang | None = None) -> str:
    """The name of a rule as a reader of ``lang`` says it (the rule's code if it has none)."""
    key = f"explain.rule.{rule}"
    return text(key, lang) if key in catalogue() else rule


def format_value(value: object, lang: Lang | None = None) -> str:
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
        return value.get(lang)
    if isinstance(value, enum.Enum):
        label = getattr(value, "label", None)
        return str(label(lang)) if callable(label) else str(value.value)
    if isinstance(value, bool):
        return text("explain.value.yes" if value else "explain.value.no", lang)
    if isinstance(value, Money):
        return format_vnd(value.amount, lang)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.date):
        return format_date(value, lang)
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
    if isinstance(value, Text):
        return value.en
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

    def message(self, lang: Lang | None = None) -> str:
        """The message in ``lang`` (the language in force by default)."""
        return Text(self.message_vi, self.message_en).get(lang)


def _materialise(fact: Fact) -> Condition:
    code, held, required, found, citation, exception = fact
    templates = _templates(code)
    messages: list[str] = []
    for i, lang in enumerate(LANGS):
        if templates is None:
            outcome = text("explain.decision.held" if held else "explain.decision.failed", lang)
            message = text("explain.decision.unknown_condition", lang, code=code, outcome=outcome)
        else:
            template = templates[2 * i + (0 if held else 1)]
            values = {"required": format_value(required, lang), "found": format_value(found, lang)}
            message = template.format(**values)
        if exception:
            message = text("explain.decision.exception", lang, message=message, exception=exception)
        messages.append(message)
    vi, en = messages
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

    def render(self, lang: Lang | None = None) -> str:
        """The decision as readable text in ``lang`` (the language in force by default)."""
        verdict = text("common.yes" if self.outcome else "common.no", lang)
        head = f"{self.title(lang)}: {verdict}"
        regime = self.regime_text(lang)
        lines = [f"{head} — {regime}" if regime else head]
        for c in self.conditions:
            mark = "✓" if c.held else "✗"
            lines.append(f"  {mark} {c.message(lang)} [{c.citation.text(lang)}]")
        return "\n".join(lines)

    def title(self, lang: Lang | None = None) -> str:
        """Who, which rule and when: ``HTX-1 — cooperative membership on 2024-07-01``."""
        return text(
            "explain.decision.title",
            lang,
            subject=self.subject,
            rule=rule_label(self.rule, lang),
            on=format_date(self.on, lang),
        )

    def legend(self, lang: Lang | None = None) -> str:
        """What the confidence tags of the conditions' citations mean (``""`` without any).

        >>> from khuyencong.domain import Citation
        >>> d = Decision("x", dt.date(2026, 1, 1), "A", [("c", True, 1, 1, Citation("D"), None)])
        >>> d.legend("en")
        'Confidence of the sources: [V] Verified in the legal text.'
        """
        return confidence_legend((c.citation.confidence for c in self.conditions), lang)

    def regime_text(self, lang: Lang | None = None) -> str:
        """Which rules were applied, as a reader would say it (``""`` when not recorded)."""
        if self.regime is None:
            return ""
        if self.rules_on is None:
            return text("explain.decision.regime", lang, regime=self.regime)
        rules_on = format_date(self.rules_on, lang)
        return text("explain.decision.regime_rules_on", lang, regime=self.regime, rules_on=rules_on)

    def _repr_html_(self) -> str:
        verdict = text("common.yes" if self.outcome else "common.no")
        head = self.title()
        regime = self.regime_text()
        mark = "kc-yes" if self.outcome else "kc-no"
        out = [f'<p><strong>{escape(head)}</strong>: <span class="{mark}">{escape(verdict)}</span>']
        if regime:
            out.append(f" — {escape(regime)}")
        out.append("</p>")
        if self.conditions:
            out.append("<table><thead><tr>")
            out.append(f"<th></th><th>{escape(text('explain.decision.conditions'))}</th>")
            out.append(f"<th>{escape(text('explain.decision.source'))}</th></tr></thead><tbody>")
            for c in self.conditions:
                sign = '<span class="kc-yes">✓</span>' if c.held else '<span class="kc-no">✗</span>'
                out.append(
                    f"<tr><td>{sign}</td><td>{escape(c.message())}</td>"
                    f"<td>{escape(c.citation.text())}</td></tr>"
                )
            out.append("</tbody></table>")
            out.append(f'<p class="kc-note">{escape(self.legend())}</p>')
        return fragment("".join(out))

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


# The library's own hooks: registered as a caller's would be, they would turn off the
# converter's fast paths (structuring, the stores' JSON writer) in every process importing
# the rules, though no class those paths handle holds a decision.
_register_library_hooks(Decision, Decision.to_data, lambda data, _: Decision.from_data(data))
