"""Bilingual labels for the library's enums, and reading an enum from what a person writes.

Enum values are the stable wire and storage format (English ``snake_case``); labels are for
people and exist in Vietnamese and English. Labels are registered once per enum with
:func:`register_labels`, which refuses an enum with a member left unlabelled.

:meth:`LabelledEnum.parse` reads a member from its value, its name, its Vietnamese or English
label, or one of its documented aliases (``khuyencong/data/aliases.toml``: the words people
use, "máy móc", "handicraft", "union"), ignoring case, diacritics, ``_`` and ``-``. Each enum's
words are folded once into an index, so a parse costs one fold and one dictionary lookup (the
CSV importer calls it for every cell).
"""

from __future__ import annotations

import enum
import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Self, TypeVar

from khuyencong.exceptions import ValidationError
from khuyencong.messages import LANGS, Lang, get_language, resolve_language, text
from khuyencong.units import fold

__all__ = ["LabelledEnum", "Lang", "register_labels"]

# Keyed by (enum class, value): members of different str enums with the same value compare
# equal (Fund.LOCAL == ProjectKind.LOCAL == "local"), so the member alone is not a safe key.
_LABELS: dict[tuple[type[enum.Enum], object], tuple[str, str]] = {}

E = TypeVar("E", bound="LabelledEnum")

_SEPARATORS = str.maketrans({"_": " ", "-": " ", "–": " ", "'": "", "’": "", ".": " "})
_SEEN_MAX = 4096
"""Texts remembered per enum as written (beyond them, each parse folds its text again)."""


def word_key(text: str) -> str:
    """The key a word is looked up by: folded (no case, no diacritics), with ``_`` and ``-``
    read as spaces and apostrophes dropped.

    >>> word_key("Máy-móc"), word_key("COOPERATIVE_UNION"), word_key("People's")
    ('may moc', 'cooperative union', 'peoples')
    """
    return fold(text.translate(_SEPARATORS))


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a Vietnamese and an English label.

    >>> from khuyencong.domain import LegalForm
    >>> LegalForm.COOPERATIVE.value, LegalForm.COOPERATIVE.label_vi, LegalForm.COOPERATIVE.label_en
    ('cooperative', 'Hợp tác xã', 'Cooperative')
    """

    @property
    def label_vi(self) -> str:
        """The Vietnamese label."""
        return _LABELS[type(self), self.value][0]

    @property
    def label_en(self) -> str:
        """The English label."""
        return _LABELS[type(self), self.value][1]

    def label(self, lang: Lang | None = None) -> str:
        """The label in ``lang`` (``"vi"`` or ``"en"``; the language in force by default)."""
        return _LABELS[type(self), self.value][LANGS.index(resolve_language(lang))]

    @classmethod
    def parse(cls, value: object) -> Self:
        """The member named by ``value``: its value, its name, its Vietnamese or English label,
        or a documented alias, without regard to case, diacritics, ``_`` or ``-``.

        Args:
            value: A member, or the text a person wrote.

        Returns:
            The member.

        Raises:
            khuyencong.exceptions.ValidationError: If ``value`` names no member (the message
                lists the accepted values; its path is ``$``).

        >>> from khuyencong.domain import LegalForm, Sector, SupportContent
        >>> SupportContent.parse("máy móc"), SupportContent.parse("advanced machinery")
        (<SupportContent.MACHINERY: 'machinery'>, <SupportContent.MACHINERY: 'machinery'>)
        >>> Sector.parse("handicraft"), LegalForm.parse("Liên hiệp hợp tác xã")
        (<Sector.HANDICRAFTS: 'handicrafts'>, <LegalForm.COOPERATIVE_UNION: 'cooperative_union'>)
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            member = cls._value2member_map_.get(value)
            if member is not None:
                return member  # type: ignore[return-value]
            seen = _seen(cls)
            member = seen.get(value)
            if member is None:
                member = _index(cls).get(word_key(value))
                if member is not None:
                    if len(seen) >= _SEEN_MAX:
                        seen.clear()
                    seen[value] = member
            if member is not None:
                return member  # type: ignore[return-value]
        raise _unknown(cls, value)

    @classmethod
    def words(cls) -> dict[Self, tuple[str, ...]]:
        """The aliases of each member (beyond its value, name and labels), as registered.

        >>> from khuyencong.domain import LegalForm
        >>> LegalForm.words()[LegalForm.COOPERATIVE_UNION]
        ('union', 'cooperative union', 'liên hiệp HTX')
        """
        aliases = _aliases().get(cls.__name__, {})
        return {m: tuple(aliases.get(m.value, ())) for m in cls}

    @classmethod
    def _missing_(cls, value: object) -> None:
        """Refuse an unknown value with the library's error (the constructor stays strict:
        values are the wire format; :meth:`parse` reads labels and aliases)."""
        raise _unknown(cls, value)


def _unknown(cls: type[LabelledEnum], value: object) -> ValidationError:
    """The error for a value that names no member: Vietnamese lists the labels, English the
    values (both are accepted, with the aliases)."""
    lang = get_language()
    # Vietnamese labels hold commas, so they are separated by semicolons.
    accepted = "; ".join(m.label_vi for m in cls) if lang == "vi" else ", ".join(cls)
    return ValidationError.single("$", value, text("rules.enum_unknown", lang, accepted=accepted))


@functools.cache
def _aliases() -> dict[str, dict[str, tuple[str, ...]]]:
    """The aliases of ``data/aliases.toml``: enum name → member value → words."""
    path = resources.files("khuyencong") / "data" / "aliases.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        name: {value: tuple(words) for value, words in members.items()}
        for name, members in data.items()
    }


@functools.cache
def _index(cls: type[LabelledEnum]) -> Mapping[str, LabelledEnum]:
    """Every word that names a member of ``cls``, as a key, built once.

    Raises:
        TypeError: If one word names two members, or an alias names an unknown member (a
            defect of the shipped data, caught by the tests).
    """
    aliases = _aliases().get(cls.__name__, {})
    unknown = sorted(set(aliases) - {m.value for m in cls})
    if unknown:
        msg = f"aliases.toml [{cls.__name__}]: no members {', '.join(unknown)}"
        raise TypeError(msg)
    index: dict[str, LabelledEnum] = {}
    for member in cls:
        words = (member.value, member.name, member.label_vi, member.label_en)
        for word in (*words, *aliases.get(member.value, ())):
            key = word_key(word)
            other = index.setdefault(key, member)
            if other is not member:
                msg = f"{cls.__name__}: {word!r} names both {other.name} and {member.name}"
                raise TypeError(msg)
    return index


@functools.cache
def _seen(cls: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    """Texts already parsed for ``cls``, as written (a CSV column repeats a few values)."""
    return {}


def register_labels(enum_cls: type[E], labels: Mapping[E, tuple[str, str]]) -> type[E]:
    """Attach ``(vi, en)`` labels to every member of ``enum_cls``.

    Raises:
        TypeError: If a member has no label, so that no enum ships half-labelled.
    """
    missing = [m.value for m in enum_cls if m not in labels]
    if missing:
        msg = f"{enum_cls.__name__}: members without labels: {', '.join(missing)}"
        raise TypeError(msg)
    _LABELS.update({(enum_cls, member.value): pair for member, pair in labels.items()})
    return enum_cls
