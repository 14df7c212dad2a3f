"""Vietnamese tax identification numbers (mã số thuế).

Three shapes are accepted:

- 10 digits, the last a check digit: with weights 31, 29, 23, 19, 17, 13, 7, 5, 3 on the first
  nine digits, check = 10 − (weighted sum mod 11); a result of 10 means no valid number has
  those nine digits (checked on real public company numbers such as 0100109106, 0300588569
  and 0101248141);
- 13 digits for a dependent unit (branch), written ``NNNNNNNNNN-NNN``: a valid 10-digit parent
  number and a three-digit suffix from 001;
- 12 digits, the personal identification number that individuals and household businesses use
  as tax number from 1 July 2025 [U] (no check digit is published for it).

>>> normalise_tax_number("0100109106")
'0100109106'
>>> normalise_tax_number("0100109106 001")
'0100109106-001'
>>> tax_number_problem("0100109107")  # in the language in force, Vietnamese by default
'chữ số kiểm tra là 7 nhưng phải là 6'
>>> tax_number_problem("001085012345", allow_personal=True) is None
True
"""

from __future__ import annotations

from khuyencong.exceptions import ValidationError
from khuyencong.messages import text as message

__all__ = ["check_digit", "normalise_tax_number", "tax_number_problem"]

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or ``None`` when no valid number starts with them.

    >>> check_digit("010010910")
    6

    Raises:
        ValidationError: If ``first_nine`` is not nine digits.
    """
    given: object = first_nine  # the annotation is a promise the caller may break
    if not isinstance(given, str) or len(given) != 9 or not given.isdigit():
        raise ValidationError.single("$.first_nine", first_nine, message("domain.tax.first_nine"))
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    digit = 10 - total % 11
    return None if digit == 10 else digit


def _canonical(text: str) -> str:
    raw = "".join(text.split())
    if len(raw) == 13 and raw.isdigit():
        return f"{raw[:10]}-{raw[10:]}"
    return raw


def tax_number_problem(text: str, *, allow_personal: bool = False) -> str | None:
    """What is wrong with ``text`` as a tax number, or ``None`` if it is valid.

    Args:
        text: The tax number as typed (spaces are ignored; 13 digits may omit the dash).
        allow_personal: Accept a 12-digit personal identification number (individuals and
            household businesses).
    """
    given: object = text  # the annotation is a promise the caller may break
    if not isinstance(given, str):
        return message("rules.not_text")
    raw = _canonical(text)
    if not raw:
        return message("domain.check.tax_empty")
    main, dash, branch = raw.partition("-")
    if dash and (len(branch) != 3 or not branch.isdigit()):
        return message("domain.check.tax_branch_shape")
    if dash and branch == "000":
        return message("domain.check.tax_branch_000")
    if not main.isdigit():
        return message("domain.check.tax_digits")
    if len(main) == 12 and not dash:
        if allow_personal:
            return None
        return message("domain.check.tax_personal")
    if len(main) != 10:
        key = "tax_length_personal" if allow_personal else "tax_length"
        return message(f"domain.check.{key}", count=len(main))
    expected = check_digit(main[:9])
    if expected is None:
        return message("domain.check.tax_no_check_digit")
    if int(main[9]) != expected:
        return message("domain.check.tax_check_digit", found=main[9], expected=expected)
    return None


def normalise_tax_number(text: str, *, allow_personal: bool = False, path: str = "$") -> str:
    """The canonical form of a valid tax number.

    Raises:
        ValidationError: Naming ``path`` and what is wrong, if the number is invalid.
    """
    problem = tax_number_problem(text, allow_personal=allow_personal)
    if problem is not None:
        raise ValidationError.single(path, text, problem)
    return _canonical(text)
