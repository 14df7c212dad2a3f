"""Bilingual labels for the library's enums.

Enum values are the stable wire and storage format (English ``snake_case``); labels are for
people and exist in Vietnamese and English. Labels are registered once per enum with
:func:`register_labels`, which refuses an enum with a member left unlabelled.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TypeVar

from khuyencong.messages import Lang

__all__ = ["LabelledEnum", "Lang", "register_labels"]

# Keyed by (enum class, value): members of different str enums with the same value compare
# equal (Fund.LOCAL == ProjectKind.LOCAL == "local"), so the member alone is not a safe key.
_LABELS: dict[tuple[type[enum.Enum], object], tuple[str, str]] = {}

E = TypeVar("E", bound="LabelledEnum")


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

    def label(self, lang: Lang = "vi") -> str:
        """The label in ``lang`` (``"vi"`` or ``"en"``)."""
        return self.label_vi if lang == "vi" else self.label_en


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
