"""The exception hierarchy: one root, natural built-ins, context as attributes."""

from __future__ import annotations

import datetime as dt
import inspect
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong import exceptions as ex
from khuyencong.messages import Text, language


class TestHierarchy:
    @pytest.mark.parametrize(
        ("error", "builtin"),
        [
            (ex.ValidationError.single("$.x", 1, "bad"), ValueError),
            (ex.NotFoundError("unit", "99999"), LookupError),
            (
                ex.NotConfiguredError("support.brand.cap", dt.date(2019, 1, 1), "28/2018/TT-BTC"),
                LookupError,
            ),
            (ex.CoverageError("p", dt.date(2013, 1, 1), "2014-04-08..2018-05-10"), LookupError),
            (ex.IllegalTransitionError("project X", "draft", "settled", ["submitted"]), ValueError),
            (ex.RuleConflictError("location", ["a", "b"]), ValueError),
            (ex.BudgetExceededError("local/24/2019", 150, 100), ValueError),
            (ex.UnitMappingError("07525", "split", ["1", "2"]), LookupError),
            (ex.DataFileError("x.toml", [ex.Problem("$.a", "bad")]), ValueError),
            (ex.SchemaVersionError("newer"), RuntimeError),
            (ex.ConcurrencyError("stale"), RuntimeError),
        ],
        ids=lambda v: type(v).__name__,
    )
    def test_every_error_is_a_khuyencong_error_and_a_natural_builtin(
        self, error: Exception, builtin: type[Exception]
    ) -> None:
        """Callers may catch KhuyenCongError, or the built-in they would naturally expect."""
        assert isinstance(error, ex.KhuyenCongError)
        assert isinstance(error, builtin)
        assert str(error)


class TestMessages:
    def test_not_configured_names_the_parameter_date_and_document(self) -> None:
        """An unknown legal value says which parameter, on which date, from which document."""
        err = ex.NotConfiguredError("support.brand.cap", dt.date(2019, 1, 1), "28/2018/TT-BTC")
        assert "support.brand.cap" in str(err)
        assert "01/01/2019" in str(err)  # Vietnamese, the default
        assert "28/2018/TT-BTC" in str(err)
        with language("en"):
            err = ex.NotConfiguredError("support.brand.cap", dt.date(2019, 1, 1), "28/2018/TT-BTC")
        assert "2019-01-01" in err.args[0]
        assert (err.parameter, err.on, err.source_document) == (
            "support.brand.cap",
            dt.date(2019, 1, 1),
            "28/2018/TT-BTC",
        )

    def test_budget_errors_name_the_envelope_and_the_shortfall(self) -> None:
        """A refused commitment says which envelope and by how much it falls short."""
        with language("en"):
            err = ex.BudgetExceededError("local/24/2019", 150_000_000, 100_000_000)
        assert err.shortfall == 50_000_000
        assert "local/24/2019" in str(err)
        assert "50,000,000" in str(err)
        with language("vi"):
            vi = ex.BudgetExceededError("local/24/2019", 150_000_000, 100_000_000)
        assert "thiếu 50.000.000 đ" in str(vi)

    def test_a_validation_error_lists_every_problem(self) -> None:
        """Several problems are listed one per line, each with its path, in the language in
        force."""
        problems = [ex.Problem("$.a", "bad"), ex.Problem("$.b", "worse", 3)]
        with language("en"):
            err = ex.ValidationError(problems)
        assert str(err) == "2 problems:\n  - $.a: bad\n  - $.b: worse (got 3)"
        with language("vi"):
            vi = ex.ValidationError(problems)
        assert str(vi) == "2 lỗi:\n  - $.a: bad\n  - $.b: worse (giá trị: 3)"
        assert err.paths == ("$.a", "$.b")
        merged = ex.ValidationError.merge([err, ex.ValidationError.single("$.c", None, "x")])
        assert merged.paths == ("$.a", "$.b", "$.c")

    def test_prefixing_places_problems_inside_a_document(self) -> None:
        """A nested object's problems are located under the path of the object."""
        err = ex.ValidationError([ex.Problem("$", "whole"), ex.Problem("$.b", "part")])
        assert err.prefixed("$.items[2]").paths == ("$.items[2]", "$.items[2].b")
        assert ex.ValidationError([ex.Problem("b", "x")]).prefixed("$.a").paths == ("$.a.b",)

    def test_a_validation_error_needs_a_problem(self) -> None:
        """An empty ValidationError is a programming error."""
        with pytest.raises(ValueError, match="at least one problem"):
            ex.ValidationError([])

    def test_illegal_transitions_from_final_states_say_so(self) -> None:
        """From a final state nothing is allowed, and the message says so."""
        err = ex.IllegalTransitionError("project X", "settled", "draft", [])
        assert "trạng thái cuối" in str(err)
        with language("en"):
            assert "none (final state)" in str(err)

    def test_not_found_may_carry_a_hint(self) -> None:
        """A lookup failure can suggest what to do, in the language shown (the hint as given,
        or in both languages)."""
        err = ex.NotFoundError("unit", "1", Text("thử find()", "try find()"))
        assert str(err) == "không có đơn vị hành chính “1”: thử find()"
        with language("en"):
            assert str(err) == "no administrative unit “1”: try find()"
        assert str(ex.NotFoundError("gizmo", "g-1")) == "không có gizmo “g-1”"

    def test_messages_follow_the_language_shown_and_survive_pickling(self) -> None:
        """A not-found or an illegal step reads in the language in force when it is shown,
        also after a trip through pickle (a process pool)."""
        for err in (
            ex.NotFoundError("map", "2030"),
            ex.IllegalTransitionError(
                Text("đề án P-1", "project P-1"),
                "draft",
                "settled",
                ["submitted"],
                labels={
                    "draft": Text("Dự thảo", "Draft"),
                    "settled": Text("Quyết toán", "Settled"),
                },
            ),
        ):
            again = pickle.loads(pickle.dumps(err))
            with language("en"):
                english = str(again)
            assert str(again) == str(err)
            assert english != str(err)
            assert not any(w in english for w in ("không", "đề án", "Dự thảo"))


class TestStoreErrorsCrossProcesses:
    @pytest.mark.parametrize(
        "error",
        [
            ex.BudgetExceededError("local/24/2019", 5, 3, project_id="P-1"),
            ex.LifecycleError("P-1", "draft", "settled", ["submitted"], "cannot"),
            ex.DanglingReferenceError(
                "support record", [(2, "SR-1", "project_id", "P-9", "project")]
            ),
            ex.StoreOptionError("timeout", "abc", "not a number"),
        ],
        ids=lambda e: type(e).__name__,
    )
    def test_a_pickled_error_keeps_its_context(self, error: Exception) -> None:
        """An error sent back from a worker process (pickled) keeps its message and attributes."""
        back = pickle.loads(pickle.dumps(error))
        assert (type(back), str(back)) == (type(error), str(error))
        assert vars(back) == vars(error)


class TestProblem:
    def test_the_offending_value_is_framed_in_the_language_in_force(self) -> None:
        """A Vietnamese message says "giá trị", never the English "got", around the value."""
        problem = ex.Problem("$.members", "phải là số nguyên", "ba")
        with language("vi"):
            assert str(problem) == "$.members: phải là số nguyên (giá trị: 'ba')"
        with language("en"):
            assert str(problem) == "$.members: phải là số nguyên (got 'ba')"

    def test_a_missing_value_is_not_shown(self) -> None:
        """A problem about a missing value shows its path and message only."""
        assert str(ex.Problem("$.id", "required")) == "$.id: required"


class TestDuplicateIdError:
    def test_the_message_is_in_the_language_in_force(self) -> None:
        """A duplicate id names the kind of record (its label) and the id, in both languages."""
        with language("vi"):
            vi = ex.DuplicateIdError("support record", "SR-1", "bản ghi hỗ trợ")
        with language("en"):
            en = ex.DuplicateIdError("support record", "SR-1")
        assert str(vi).startswith("Bản ghi hỗ trợ 'SR-1' đã có trong kho dữ liệu")
        assert str(en).startswith("The support record 'SR-1' is already stored")
        assert (vi.kind, vi.key, vi.label) == ("support record", "SR-1", "bản ghi hỗ trợ")


_PLAIN = st.none() | st.text(max_size=12) | st.integers()
"""Offending values and keys an error may carry (comparable after a round trip)."""

_ARGUMENTS: dict[str, st.SearchStrategy[Any]] = {
    "problems": st.lists(
        st.builds(ex.Problem, st.text(max_size=12), st.text(max_size=20), _PLAIN),
        min_size=1,
        max_size=3,
    ),
    "references": st.lists(
        st.tuples(
            st.none() | st.integers(0, 99),
            st.text(min_size=1, max_size=8),
            st.text(min_size=1, max_size=8),
            st.text(min_size=1, max_size=8),
            st.sampled_from(["establishment", "project", "award entry"]),
        ),
        min_size=1,
        max_size=3,
    ),
    "key": _PLAIN,
    "value": _PLAIN,
}
"""Arguments whose declared type alone would give an invalid error (no problem at all) or an
uncomparable value (any object)."""

ERROR_CLASSES = sorted(
    (
        obj
        for name in ex.__all__
        if isinstance(obj := getattr(ex, name), type) and issubclass(obj, BaseException)
    ),
    key=lambda cls: cls.__name__,
)


def _errors_of(cls: type[BaseException]) -> st.SearchStrategy[BaseException]:
    """Instances of ``cls`` built from its constructor's own signature."""
    if all(k.__module__ == "builtins" for k in cls.__mro__ if "__init__" in vars(k)):
        return st.builds(cls, st.text(max_size=20))  # the built-in's (message) constructor
    params = inspect.signature(cls).parameters
    return st.builds(cls, **{n: s for n, s in _ARGUMENTS.items() if n in params})


class TestKhuyenCongError:
    def test_every_error_class_is_walked(self) -> None:
        """The walk below covers the whole public hierarchy, not a hand-picked few."""
        assert len(ERROR_CLASSES) == len(
            [n for n in ex.__all__ if n != "Problem"]  # every other public name is an error
        )

    @pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
    @given(data=st.data())
    def test_every_error_keeps_its_context_when_pickled(
        self, cls: type[BaseException], data: st.DataObject
    ) -> None:
        """An error sent back from a worker process (pickled) is the same error: same class,
        same message, same arguments and every attribute of its context."""
        error = data.draw(_errors_of(cls))
        back = pickle.loads(pickle.dumps(error))
        assert (type(back), str(back), back.args) == (type(error), str(error), error.args)
        assert vars(back) == vars(error)
