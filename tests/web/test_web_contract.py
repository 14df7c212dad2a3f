"""The service's OpenAPI contract: the repository's copy is what the server serves, the schemas
read from the library's types match what the converter writes, and a fuzz run finds no server
error other than the documented gaps (501: a legal value the server lacks).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.converters import unstructure
from khuyencong.testing import strategies as kst

from .conftest import Server

schemathesis = pytest.importorskip("schemathesis")
jsonschema_rs = pytest.importorskip("jsonschema_rs")

from khuyencong.web import openapi_document, openapi_text  # noqa: E402

CONTRACT = Path(__file__).parents[2] / "docs/openapi.json"
DOCUMENTED_5XX = {501}
"""The only server-class answers the fuzz accepts: the server lacks a legal value (or holds no
rules for the date asked). A store that does not answer (503) cannot happen here."""


class TestContract:
    def test_the_repository_holds_the_contract_the_server_serves(self, server: Server) -> None:
        """docs/openapi.json is what /openapi.json answers; regenerate it with
        ``khuyencong serve --openapi docs/openapi.json`` when the API changes."""
        with server.client() as client:
            served = client.get("/openapi.json").json()
        assert json.loads(CONTRACT.read_text(encoding="utf-8")) == served

    def test_the_file_is_written_as_the_command_writes_it(self) -> None:
        """The kept file is byte for byte what the command writes (stable, reviewable diffs)."""
        assert CONTRACT.read_text(encoding="utf-8") == openapi_text()

    def test_it_is_an_openapi_3_1_document_with_examples(self) -> None:
        """Every operation has an id and a success answer; request bodies carry examples."""
        document = openapi_document()
        operations = [op for path in document["paths"].values() for op in path.values()]
        assert document["openapi"] == "3.1.0"
        assert all(op["operationId"] and "200" in op["responses"] for op in operations)
        bodies = [
            op["requestBody"]["content"]["application/json"]
            for op in operations
            if "requestBody" in op and "application/json" in op["requestBody"]["content"]
        ]
        with_examples = [b for b in bodies if "example" in b]
        assert len(with_examples) >= len(bodies) - 3  # the no-argument rules have none

    def test_every_library_error_has_a_documented_status(self) -> None:
        """A problem type the service answers with is listed for the operations that can."""
        document = openapi_document()
        eligibility = document["paths"]["/v1/eligibility"]["post"]["responses"]
        assert {"200", "400", "404", "413", "415", "422", "429", "500", "501"} <= set(eligibility)


@functools.cache
def _validator(name: str) -> Any:
    document = openapi_document()
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(schema)


class TestDerivedSchemas:
    @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.one_of(
            st.tuples(st.just("Establishment"), kst.establishments()),
            st.tuples(st.just("Project"), kst.projects()),
            st.tuples(st.just("SupportRecord"), kst.support_records()),
            st.tuples(st.just("AwardEntry"), kst.award_entries()),
            st.tuples(st.just("Artisan"), kst.artisans()),
            st.tuples(st.just("Citation"), kst.citations()),
        )
    )
    def test_what_the_converter_writes_fits_the_schema(self, named: tuple[str, Any]) -> None:
        """For any domain object, the converter's JSON is valid under the derived schema."""
        name, obj = named
        errors = [str(e) for e in _validator(name).iter_errors(unstructure(obj))]
        assert errors == []


@attrs.define
class FuzzRun:
    """What a fuzz run sent and got: operations, examples, statuses, failures."""

    operations: int = 0
    examples: int = 0
    statuses: Counter[int] = attrs.field(factory=Counter)
    failures: list[str] = attrs.field(factory=list)

    @property
    def server_errors(self) -> int:
        """How many answers were 5xx (documented or not)."""
        return sum(n for status, n in self.statuses.items() if status >= 500)


def fuzz(url: str, token: str, max_examples: int) -> FuzzRun:
    """Send generated requests, valid and invalid, to every operation of the contract served
    at ``url``, checking every answer against the contract; return what happened."""
    from hypothesis import Phase  # noqa: PLC0415
    from hypothesis.errors import Unsatisfiable  # noqa: PLC0415
    from schemathesis import checks  # noqa: PLC0415  (checks load lazily)
    from schemathesis.generation import GenerationMode  # noqa: PLC0415

    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    # Every request carries the token (``auth`` below), so a case that "leaves out" the
    # Authorization header is sent with it: not an invalid request. Missing and bad tokens are
    # tested in test_web.py.
    schema.config.generation.update(with_security_parameters=False)
    run = FuzzRun()
    auth = {"Authorization": f"Bearer {token}"}
    for result in schema.get_all_operations():
        operation = result.ok()
        run.operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=max_examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case: Any) -> None:
                response = case.call(headers=auth)
                run.examples += 1
                run.statuses[response.status_code] += 1
                case.validate_response(
                    response,
                    checks=[
                        checks.status_code_conformance,
                        checks.content_type_conformance,
                        checks.response_schema_conformance,
                        checks.negative_data_rejection,
                    ],
                )
                status = response.status_code
                assert status < 500 or status in DOCUMENTED_5XX, response.text[:500]
                assert "Traceback" not in response.text

            try:
                check()
            except Unsatisfiable:  # nothing of the operation can be made invalid
                continue
            except Exception as exc:  # every failure is collected, then shown
                run.failures.append(f"{operation.label} [{mode}]: {exc}"[:2_000])
    return run


class TestFuzz:
    @pytest.mark.slow
    def test_no_server_error_but_the_documented_gaps(self, server: Server) -> None:
        """Generated requests, valid and invalid, to every operation get documented statuses,
        content types and bodies that fit the contract, and no 5xx other than the documented
        answer for a legal value the server lacks (501)."""
        run = fuzz(server.url, server.token, max_examples=5)
        print(  # the closing note's figures, with -s
            f"fuzz: {run.operations} operations, {run.examples} requests, "
            f"{run.server_errors} answers 5xx (all 501), "
            f"statuses {dict(sorted(run.statuses.items()))}"
        )
        assert run.failures == [], "\n\n".join(run.failures)
        paths = openapi_document()["paths"]
        served = [op for path, ops in paths.items() if path != "/openapi.json" for op in ops]
        assert run.operations == len(served)  # the contract itself is not fuzzed
        assert {s for s in run.statuses if s >= 500} <= DOCUMENTED_5XX
