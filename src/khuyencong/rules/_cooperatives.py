"""Cooperative validity: member minimums of cooperatives, unions and groups, by date.

A cooperative needs at least 7 official members under the 2012 law (Luật HTX 23/2012/QH13
Điều 3.1) and 5 from 1 July 2024 (Luật HTX 17/2023/QH15 Điều 4.7); a union 4 (2012 law Điều 3.2)
then 3 member cooperatives (Điều 4.8); a cooperative group 3 members under Nghị định
151/2007/NĐ-CP until 24/11/2019, 2 under Nghị định 77/2019/NĐ-CP Điều 3.1 from 25/11/2019 and
under 17/2023 Điều 4.21 from 1/7/2024. Before 1/7/2013 (the 2003 law) the minimums are [U]
defaults. The values come from the data files.

The member minimum exists here once: :func:`check_cooperative` and the membership condition of
eligibility (:func:`khuyencong.rules.check_eligibility`) both build it with
:func:`member_minimum_fact`.

>>> import datetime as dt
>>> member_minimum_fact(LegalForm.COOPERATIVE, 6, RuleSet.national().at(dt.date(2024, 6, 30)))[1]
False
>>> member_minimum_fact(LegalForm.COOPERATIVE, 6, RuleSet.national().at(dt.date(2024, 7, 1)))[1]
True
"""

from __future__ import annotations

import datetime as dt

from khuyencong.domain import LegalForm
from khuyencong.exceptions import ValidationError
from khuyencong.messages import text
from khuyencong.rules._arguments import Arguments, dated
from khuyencong.rules._explain import Decision, Fact
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = ["COOPERATIVE_KINDS", "check_cooperative", "member_minimum_fact"]

_PARAM = {
    LegalForm.COOPERATIVE: "cooperative.min_members",
    LegalForm.COOPERATIVE_UNION: "cooperative_union.min_members",
    LegalForm.COOPERATIVE_GROUP: "cooperative_group.min_members",
}
_CODE = {
    LegalForm.COOPERATIVE: "cooperative.members",
    LegalForm.COOPERATIVE_UNION: "cooperative_union.members",
    LegalForm.COOPERATIVE_GROUP: "cooperative_group.members",
}
COOPERATIVE_KINDS = frozenset(_PARAM)
"""The legal forms with a member minimum: cooperatives, unions of cooperatives, groups."""


def member_minimum_fact(form: LegalForm, members: int | None, rules: DatedRules) -> Fact:
    """The member-minimum condition for a cooperative kind on the rules' date.

    Raises:
        KeyError: If ``form`` is not a cooperative kind.
        khuyencong.exceptions.NotConfiguredError: If the minimum is unknown on that date.
    """
    minimum, citation = rules.cited(_PARAM[form])
    held = members is not None and members >= minimum
    return (_CODE[form], held, minimum, members, citation, None)


def check_cooperative(
    form: LegalForm | str,
    members: int | None,
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
    subject: str = "",
) -> Decision:
    """Whether a cooperative, union or group has the members the law requires on ``on``.

    Args:
        form: Cooperative, union of cooperatives or cooperative group (a member, or text such
            as ``"HTX"`` or ``"union"``).
        members: Official members (member cooperatives for a union).
        on: The date.
        rules: A rule set or its view dated ``on`` (national baseline by default).
        subject: An identifier for the decision.

    Raises:
        ValidationError: For an argument of the wrong kind, naming it (a form that is not a
            cooperative kind names ``form``).

    >>> check_cooperative(LegalForm.COOPERATIVE, 4, dt.date(2024, 7, 1)).outcome
    False
    >>> check_cooperative("union", 3, dt.date(2024, 7, 1), rules=RuleSet.national()).outcome
    True
    """
    args = Arguments()
    form = args.member(LegalForm, form, "form")
    args.optional_count(members, "members")
    args.day(on)
    args.rules(rules)
    args.instance(subject, "subject", str)
    args.check()
    if form not in _PARAM:
        raise ValidationError.single("$.form", form.value, text("rules.not_a_cooperative_kind"))
    return Decision(
        "cooperative",
        on,
        subject or form.value,
        [member_minimum_fact(form, members, dated(rules, on))],
    )
