"""The exception hierarchy: one root, natural built-ins, context as attributes."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from khuyencong import exceptions as ex
from khuyencong.messages import language


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
        assert "2019-01-01" in str(err)
        assert "28/2018/TT-BTC" in str(err)
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
        """Several problems are listed one per line, each with its path."""
        err = ex.ValidationError([ex.Problem("$.a", "bad"), ex.Problem("$.b", "worse", 3)])
        assert str(err) == "2 problems:\n  - $.a: bad\n  - $.b: worse (got 3)"
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
        assert "none (final state)" in str(err)

    def test_not_found_may_carry_a_hint(self) -> None:
        """A lookup failure can suggest what to do."""
        assert str(ex.NotFoundError("unit", "1", "try find()")) == "no unit '1': try find()"


class TestStoreErrorsCrossProcesses:
    @pytest.mark.parametrize(
        "error",
        [
            ex.BudgetExceededError("local/24/2019", 5, 3, project_id="P-1"),
            ex.LifecycleError("P-1", "draft", "settled", ["submitted"], "cannot"),
            ex.DanglingReferenceError("support record", [(2, "SR-1", "establishment_id", "E-9")]),
            ex.StoreOptionError("timeout", "abc", "not a number"),
        ],
        ids=lambda e: type(e).__name__,
    )
    def test_a_pickled_error_keeps_its_context(self, error: Exception) -> None:
        """An error sent back from a worker process (pickled) keeps its message and attributes."""
        back = pickle.loads(pickle.dumps(error))
        assert (type(back), str(back)) == (type(error), str(error))
        assert vars(back) == vars(error)
