"""The HTTP service, talked to over HTTP on 127.0.0.1: each endpoint answers as the library does.

Every test sends real requests to a real uvicorn server (see ``conftest.py``) and compares the
answer with what the library itself decides for the same input.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from khuyencong.converters import structure, unstructure
from khuyencong.domain import Dataset, Establishment, Fund, Project, SupportContent
from khuyencong.rules import check_eligibility, for_province, support_amount
from khuyencong.storage import open_store, store_dataset

from .conftest import Server, configured, start

pytest.importorskip("starlette")

EXAMPLES = Path(__file__).parents[2] / "src/khuyencong/data/examples/bac_ninh_2026/check"
COOPERATIVE: dict[str, Any] = json.loads(
    (EXAMPLES / "cooperative-in-a-commune.json").read_text(encoding="utf-8")
)
TODAY = dt.date(2026, 12, 7)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def problem(response: Any) -> dict[str, Any]:
    """The problem details of an error answer, checking it is one."""
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    return body


class TestEligibility:
    def test_the_answer_is_the_librarys_decision(self, server: Server) -> None:
        """The service decides an establishment exactly as check_eligibility does that day."""
        expected = check_eligibility(structure(COOPERATIVE, Establishment), TODAY)
        with server.client() as client:
            response = client.post(
                "/v1/eligibility", params={"on": "2026-12-07"}, json={"establishment": COOPERATIVE}
            )
        assert response.status_code == 200
        assert response.json()["result"] == expected.to_data()

    def test_the_explanation_follows_accept_language(self, server: Server) -> None:
        """A Vietnamese client reads Vietnamese, an English one English, with the same verdict."""
        decision = check_eligibility(structure(COOPERATIVE, Establishment), TODAY)
        answers = {}
        for lang in ("vi", "en"):
            with server.client(**{"accept-language": lang}) as client:
                response = client.post(
                    "/v1/eligibility",
                    params={"on": "2026-12-07"},
                    json={"establishment": COOPERATIVE},
                )
            assert response.headers["content-language"] == lang
            answers[lang] = response.json()["text"]
        assert answers == {"vi": decision.render("vi"), "en": decision.render("en")}

    def test_failed_conditions_are_the_reasons(self, server: Server) -> None:
        """A cooperative with four members before 1/7/2024 fails on members, and says so."""
        small = {**COOPERATIVE, "members": 4, "location": {"map_id": "2021-11", "code": "07525"}}
        with server.client(**{"accept-language": "en"}) as client:
            response = client.post(
                "/v1/eligibility", params={"on": "2024-06-30"}, json={"establishment": small}
            )
        body = response.json()
        assert body["result"]["outcome"] is False
        assert body["reasons"] == [
            "a cooperative needs at least 7 official members; it has 4",
        ]

    def test_an_artisan_is_decided_too(self, server: Server) -> None:
        """A person holding a title is a beneficiary from 15/10/2025, through the same call."""
        artisan = {
            "id": "NN-01",
            "name": "Nguyễn Văn A",
            "title": "meritorious_artisan",
            "craft": "mây tre đan",
            "location": {"map_id": "2025-reform", "code": "07582"},
            "awarded_on": "2020-01-01",
        }
        with server.client() as client:
            response = client.post(
                "/v1/eligibility", params={"on": "2026-12-07"}, json={"establishment": artisan}
            )
        assert (response.status_code, response.json()["result"]["subject"]) == (200, "NN-01")

    def test_invalid_input_lists_every_problem_with_its_path(self, server: Server) -> None:
        """A misspelt field and a wrong type are both named, with their $.paths."""
        bad = {**COOPERATIVE, "member": 4, "members": "four"}
        with server.client(**{"accept-language": "en"}) as client:
            response = client.post("/v1/eligibility", json={"establishment": bad})
        body = problem(response)
        assert (response.status_code, body["type"]) == (422, "/problems/validation")
        assert sorted(p["path"] for p in body["problems"]) == [
            "$.establishment.member",
            "$.establishment.members",
        ]

    def test_an_object_where_a_list_belongs_is_refused(self, server: Server) -> None:
        """Sectors sent as an object are refused at their path: an object is not the list of
        its keys (it once was, and the establishment was decided on them)."""
        bad = {**COOPERATIVE, "sectors": {"agro_food_processing": True}}
        with server.client(**{"accept-language": "en"}) as client:
            response = client.post("/v1/eligibility", json={"establishment": bad})
        body = problem(response)
        assert (response.status_code, body["type"]) == (422, "/problems/validation")
        assert [p["path"] for p in body["problems"]] == ["$.establishment.sectors"]
        assert body["problems"][0]["message"].startswith("must be a list")

    def test_a_value_the_law_leaves_unknown_is_the_servers_gap(self, server: Server) -> None:
        """An establishment in no known sector cannot be decided under 235/2025: 501, naming
        the parameter and the document that should supply it."""
        other = {**COOPERATIVE, "sectors": ["other"]}
        with server.client(**{"accept-language": "en"}) as client:
            response = client.post(
                "/v1/eligibility", params={"on": "2025-11-01"}, json={"establishment": other}
            )
        body = problem(response)
        assert (response.status_code, body["type"], body["parameter"]) == (
            501,
            "/problems/not-configured",
            "eligibility.unlisted_sectors_excluded",
        )
        assert "235/2025" in body["document"]
        assert "server's gap" in body["detail"]

    def test_a_date_before_the_rules_is_not_covered(self, server: Server) -> None:
        """The library holds no rules for 2000: 501 with the dates it does hold."""
        with server.client() as client:
            response = client.post(
                "/v1/eligibility", params={"on": "2000-01-01"}, json={"establishment": COOPERATIVE}
            )
        body = problem(response)
        assert (response.status_code, body["type"]) == (501, "/problems/not-covered")
        assert body["coverage"].startswith("2012-07-05")

    def test_a_province_with_no_documents_is_not_found(self, server: Server) -> None:
        """Hà Nội ships no provincial document: asking for its rules is a 404 saying so."""
        with server.client() as client:
            response = client.post(
                "/v1/eligibility", params={"province": "01"}, json={"establishment": COOPERATIVE}
            )
        assert (response.status_code, problem(response)["type"]) == (404, "/problems/not-found")


class TestQueryParameters:
    def test_a_misspelt_parameter_is_refused_naming_it(self, server: Server) -> None:
        """``?provice=24`` is not heard as the province: it is a 400 naming the parameter and
        the ones the address takes, never an answer for the national rules."""
        with server.client(**{"Accept-Language": "en"}) as client:
            response = client.post(
                "/v1/eligibility", params={"provice": "24"}, json={"establishment": COOPERATIVE}
            )
        body = problem(response)
        assert (response.status_code, body["type"]) == (400, "/problems/unknown-parameter")
        assert [(p["path"], p["value"]) for p in body["problems"]] == [("query.provice", "24")]
        assert "on, province" in body["detail"]

    def test_the_refusal_reads_in_vietnamese_by_default(self, server: Server) -> None:
        """Without Accept-Language the problem is in Vietnamese, naming the parameter."""
        with server.client() as client:
            response = client.get("/v1/provinces", params={"limit": "5"})
        body = problem(response)
        assert response.status_code == 400
        assert "limit" in body["detail"]
        assert body["title"] == "Tham số truy vấn không được nhận"

    def test_known_parameters_are_still_read(self, server: Server) -> None:
        """Parameters the address takes are read as before."""
        with server.client() as client:
            response = client.get("/v1/units", params={"name": "luc ngan"})
        assert response.status_code == 200


class TestEligibilityBatch:
    def test_each_item_is_decided_as_by_one_call(self, server: Server) -> None:
        """A batch answers item by item, in order, as single calls would."""
        small = {**COOPERATIVE, "id": "HTX-2", "members": 4}
        items = [{"establishment": COOPERATIVE}, {"establishment": small}]
        with server.client() as client:
            batch = client.post(
                "/v1/eligibility/batch", params={"on": "2026-12-07"}, json={"items": items}
            )
            singles = [
                client.post("/v1/eligibility", params={"on": "2026-12-07"}, json=item).json()
                for item in items
            ]
        assert batch.json()["results"] == singles

    def test_an_undecidable_item_gets_a_problem_and_the_others_an_answer(
        self, server: Server
    ) -> None:
        """One item the law cannot decide does not sink the batch."""
        items = [
            {"establishment": COOPERATIVE},
            {"establishment": {**COOPERATIVE, "sectors": ["other"]}},
        ]
        with server.client() as client:
            response = client.post(
                "/v1/eligibility/batch", params={"on": "2025-11-01"}, json={"items": items}
            )
        first, second = response.json()["results"]
        assert (first["result"]["outcome"], second["problem"]["status"]) == (True, 501)

    def test_too_many_items_are_refused_before_any_decision(self, tmp_path: Path) -> None:
        """A batch over the configured maximum is refused, naming the limit."""
        config, _ = configured(tmp_path, max_batch=2)
        running = start(config)
        try:
            with Server(running.url, "", config).client(**{"accept-language": "en"}) as client:
                response = client.post(
                    "/v1/eligibility/batch",
                    json={"items": [{"establishment": COOPERATIVE}] * 3},
                )
        finally:
            running.stop()
        body = problem(response)
        assert (response.status_code, body["problems"][0]["path"]) == (422, "$.items")
        assert "at most 2" in body["problems"][0]["message"]


class TestSupportAmountEndpoint:
    def test_the_amount_is_the_librarys(self, server: Server) -> None:
        """Machinery at 900 million đồng today: the library's amount, with its citation."""
        expected = support_amount(SupportContent.MACHINERY, 900_000_000, TODAY)
        with server.client(**{"accept-language": "en"}) as client:
            response = client.post(
                "/v1/support-amount",
                params={"on": "2026-12-07"},
                json={"content": "machinery", "eligible_cost": 900_000_000},
            )
        body = response.json()
        assert body == {"result": unstructure(expected), "text": expected.render("en")}

    def test_a_provinces_documents_apply_when_asked(self, server: Server) -> None:
        """Bắc Giang's 2019 decision sets local-fund levels: province=24 on the 2021 map."""
        on = dt.date(2020, 6, 1)
        expected = support_amount(
            SupportContent.MACHINERY, 900_000_000, on, rules=for_province("24", on), fund=Fund.LOCAL
        )
        with server.client() as client:
            response = client.post(
                "/v1/support-amount",
                params={"on": "2020-06-01", "province": "24"},
                json={"content": "machinery", "eligible_cost": 900_000_000, "fund": "local"},
            )
        assert response.json()["result"]["amount"] == expected.amount

    def test_a_float_is_refused_as_money(self, server: Server) -> None:
        """Money is whole đồng: 1.5 is refused with its path."""
        with server.client() as client:
            response = client.post(
                "/v1/support-amount", json={"content": "machinery", "eligible_cost": 1.5}
            )
        assert problem(response)["problems"][0]["path"] == "$.eligible_cost"


class TestProjectChecks:
    def test_requests_against_maxima(self, server: Server) -> None:
        """A request above the computed maximum fails its condition."""
        project = {
            "id": "DA-1",
            "title": "Máy móc",
            "kind": "single_beneficiary",
            "beneficiary_ids": ["BN-HTX-01"],
            "contents": [
                {"content": "machinery", "eligible_cost": 900_000_000, "requested": 400_000_000}
            ],
            "fund": "national",
            "province": {"map_id": "2025-reform", "code": "24"},
            "plan_year": 2026,
            "lead_agency": "Cục Công Thương địa phương",
        }
        with server.client() as client:
            response = client.post(
                "/v1/projects/check-amounts", params={"on": "2026-12-07"}, json={"project": project}
            )
        result = response.json()["result"]
        assert (result["outcome"], result["conditions"][0]["code"]) == (False, "project.requested")

    def test_first_advance_and_deadlines(self, server: Server) -> None:
        """70% of the support once more than half is invested; a settlement 15 days after the
        last acceptance."""
        with server.client() as client:
            advance = client.post(
                "/v1/projects/first-advance",
                params={"on": "2016-05-01"},
                json={"content": "machinery", "support": 200_000_000, "progress": "0.71"},
            ).json()["result"]
            deadline = client.post(
                "/v1/projects/settlement-deadline", json={"last_acceptance": "2016-05-02"}
            ).json()["result"]
        assert (advance["amount"], deadline) == (140_000_000, "2016-05-17")

    def test_a_percentage_given_as_progress_is_the_requests_problem(self, server: Server) -> None:
        """A value the rule cannot use (progress 40, a percentage where a share from 0 to 1
        belongs) is a 422 validation problem naming the argument, never a server error."""
        with server.client() as client:
            response = client.post(
                "/v1/projects/first-advance",
                params={"on": "2016-05-01"},
                json={"content": "cluster_infrastructure", "support": 10**9, "progress": "40"},
            )
        body = problem(response)
        assert (response.status_code, body["type"]) == (422, "/problems/validation")
        assert [p["path"] for p in body["problems"]] == ["$.progress"]


class TestAwardsAndOcop:
    def test_stars_and_pass_mark(self, server: Server) -> None:
        """89.5 points is four OCOP stars; 70 passes the product award."""
        with server.client() as client:
            stars = client.post("/v1/ocop/stars", json={"score": "89.5"}).json()["result"]
            passed = client.post(
                "/v1/awards/passes", params={"on": "2019-05-01"}, json={"score": "70"}
            ).json()["result"]
        assert (stars, passed) == (4, True)

    def test_an_entry_without_the_lower_certificate(self, server: Server) -> None:
        """A provincial entry with no commune certificate and a commune round held fails."""
        entry = {
            "id": "BC-1",
            "product_name": "Vải sấy",
            "establishment_id": "BN-HTX-01",
            "product_group": "processed_agro_food",
            "level": "province",
            "round_year": 2026,
        }
        with server.client() as client:
            response = client.post(
                "/v1/awards/check-entry", params={"on": "2026-06-01"}, json={"entry": entry}
            )
        assert response.json()["result"]["outcome"] is False


class TestUnitEndpoints:
    def test_find_by_name_without_diacritics(self, server: Server) -> None:
        """ "luc ngan" finds Xã Lục Ngạn on the post-reform map."""
        with server.client() as client:
            response = client.get("/v1/units", params={"name": "luc ngan"})
        assert [u["full_name"] for u in response.json()] == ["Xã Lục Ngạn"]

    def test_reform_mapping(self, server: Server) -> None:
        """Thị trấn Chũ (2021) became Phường Chũ of Bắc Ninh."""
        with server.client() as client:
            response = client.get("/v1/units/2021-11/07525/reform")
        body = response.json()
        assert (body["new_commune"]["full_name"], body["new_province"]["name"]) == (
            "Phường Chũ",
            "Bắc Ninh",
        )

    def test_an_unknown_code_or_map(self, server: Server) -> None:
        """An unknown code is a 404; an unknown map a 422 naming the path parameter."""
        with server.client() as client:
            missing = client.get("/v1/units/2021-11/99999")
            bad_map = client.get("/v1/units/2030/01")
        assert (missing.status_code, bad_map.status_code) == (404, 422)
        assert problem(bad_map)["problems"][0]["path"] == "path.map_id"


class TestParameters:
    def test_a_parameter_with_its_citation(self, server: Server) -> None:
        """The machinery cap from 11/5/2018 is 300 million, citing 28/2018/TT-BTC Điều 8.4."""
        with server.client() as client:
            response = client.get(
                "/v1/parameters/support.national.machinery.cap", params={"on": "2026-12-07"}
            )
        body = response.json()
        assert (body["value"], body["citation"]["document"], body["citation"]["article"]) == (
            300_000_000,
            "28/2018/TT-BTC",
            "8",
        )

    def test_every_parameter_in_force(self, server: Server) -> None:
        """The list holds one entry per parameter, unknown ones flagged, none twice."""
        with server.client() as client:
            entries = client.get("/v1/parameters", params={"on": "2026-12-07"}).json()
        names = [e["parameter"] for e in entries]
        assert names == sorted(set(names))
        assert any(not e["configured"] for e in entries)

    def test_the_shipped_provinces(self, server: Server) -> None:
        """Bắc Giang ships its 2014 and 2019 decisions."""
        with server.client() as client:
            provinces = client.get("/v1/provinces").json()
        bac_giang = next(p for p in provinces if p["name"] == "Bắc Giang")
        assert "30/2019/QĐ-UBND" in [d["number"] for d in bac_giang["documents"]]


def _import_example(server: Server) -> None:
    """Store the Bắc Giang example's establishments and support records through the service,
    and its projects (which the records name, and the service does not import) beside it."""
    folder = Path(__file__).parents[2] / "src/khuyencong/data/examples/bac_giang_2017_2020"
    with server.writer() as client:
        for kind in ("establishments", "support_records"):
            if kind == "support_records":
                _store_projects(server, folder / "projects.json")
            data = (folder / f"{kind}.json").read_bytes()
            response = client.post(
                f"/v1/imports/{kind}", content=data, headers={"content-type": "application/json"}
            )
            assert response.status_code in (200, 409), response.text


def _store_projects(server: Server, path: Path) -> None:
    """The projects of ``path`` not yet in the service's store, brought in as the library does."""
    projects = structure(json.loads(path.read_text(encoding="utf-8")), tuple[Project, ...])
    with open_store(server.config.store) as store:
        new = tuple(p for p in projects if p.id not in store.projects)
        store_dataset(store, Dataset(projects=new), actor="tests", reason="the example")


class TestIndicators:
    def test_json_csv_and_html(self, server: Server) -> None:
        """52 cooperatives and 4 other establishments supported in 2017–2020, three ways."""
        _import_example(server)
        params = {"period": "2017-2020", "by": "district", "map": "2021-11"}
        with server.client(**{"accept-language": "en"}) as client:
            data = client.get("/v1/indicators/establishments_supported", params=params)
            csv = client.get(
                "/v1/indicators/establishments_supported", params={**params, "format": "csv"}
            )
            html = client.get(
                "/v1/indicators/establishments_supported", params={**params, "format": "html"}
            )
        assert data.json()["total"]["value"] == 56
        assert csv.headers["content-type"].startswith("text/csv")
        assert csv.text.splitlines()[0] == "indicator,period,district_key,district,value,records"
        assert html.text.startswith('<table class="kc-table">')
        assert "<th>District</th>" in html.text

    def test_an_unknown_indicator(self, server: Server) -> None:
        """An unknown code is a 404 naming it."""
        with server.client(**{"accept-language": "en"}) as client:
            response = client.get("/v1/indicators/nope", params={"period": "2020"})
        assert "nope" in problem(response)["detail"]


class TestPhaseReport:
    def test_report_in_both_languages(self, server: Server) -> None:
        """The Bắc Giang phase report over the store, in Vietnamese and in English."""
        _import_example(server)
        config = {
            "title_vi": "Báo cáo khuyến công",
            "title_en": "Industrial promotion report",
            "centre": "Trung tâm Khuyến công Bắc Giang",
            "province": {"map_id": "2021-11", "code": "24"},
            "period": "2017-2020",
            "legal_forms": ["cooperative"],
        }
        with server.client(**{"accept-language": "en"}) as client:
            english = client.post("/v1/reports/phase", json=config, params={"format": "md"})
            data = client.post("/v1/reports/phase", json=config).json()
        with server.client() as client:
            html = client.post("/v1/reports/phase", json=config, params={"format": "html"})
        assert english.text.startswith("# Industrial promotion report")
        assert data["results"]["establishments_supported"]["total"]["value"] == 52
        assert '<html lang="vi">' in html.text


class TestImports:
    def test_a_write_needs_a_token(self, server: Server) -> None:
        """Without a token the service is read-only: 401 with a Bearer challenge."""
        with server.client() as client:
            response = client.post(
                "/v1/imports/establishments",
                content=b"[]",
                headers={"content-type": "application/json"},
            )
        assert (response.status_code, response.headers["www-authenticate"]) == (
            401,
            'Bearer realm="khuyencong"',
        )

    def test_a_bad_row_stores_nothing_and_names_every_problem(self, server: Server) -> None:
        """One bad row in a CSV: nothing stored, every bad row listed with row and column."""
        csv = (
            "id,name,legal_form,members,map_id,unit_code,sectors\n"
            "CSV-1,HTX Một,cooperative,7,2025-reform,07582,agro_food_processing\n"
            "CSV-2,HTX Hai,cooperative,many,2025-reform,07582,agro_food_processing\n"
        )
        with server.writer(**{"accept-language": "en"}) as client:
            before = client.get("/v1/audit", params={"action": "web.import"}).json()
            response = client.post(
                "/v1/imports/establishments",
                content=csv.encode(),
                headers={"content-type": "text/csv"},
            )
            after = client.get("/v1/audit", params={"action": "web.import"}).json()
            valid_only = client.post(
                "/v1/imports/establishments",
                params={"valid_only": "true"},
                content=csv.encode(),
                headers={"content-type": "text/csv"},
            )
        body = problem(response)
        assert (response.status_code, body["type"]) == (422, "/problems/rows")
        assert [(p["row"], p["column"]) for p in body["row_problems"]] == [(3, "members")]
        assert after == before
        assert (valid_only.json()["stored"], len(valid_only.json()["problems"])) == (1, 1)

    def test_stored_records_are_audited_under_the_tokens_holder(self, tmp_path: Path) -> None:
        """A JSON import stores every record in one go, and the audit log names the holder."""
        config, token = configured(tmp_path)
        running = start(config)
        server = Server(running.url, token, config)
        records = [
            {**COOPERATIVE, "id": "J-1"},
            {**COOPERATIVE, "id": "J-2"},
        ]
        try:
            with server.writer() as client:
                stored = client.post("/v1/imports/establishments", json=records).json()
                again = client.post("/v1/imports/establishments", json=records)
                audit = client.get("/v1/audit", params={"action": "web.import"}).json()
        finally:
            running.stop()
        assert (stored["stored"], again.status_code) == (2, 409)
        assert [(e["actor"], e["details"]["records"]) for e in audit] == [
            ("Trung tâm Khuyến công Bắc Ninh", "2")
        ]

    def test_an_excel_workbook(self, tmp_path: Path) -> None:
        """The Excel template's format is read as the command line reads it."""
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["id", "name", "legal_form", "members", "map_id", "unit_code", "sectors"])
        sheet.append(
            ["X-1", "HTX Ba", "cooperative", 9, "2025-reform", "07582", "agro_food_processing"]
        )
        buffer = io.BytesIO()
        book.save(buffer)
        config, token = configured(tmp_path)
        running = start(config)
        try:
            with Server(running.url, token, config).writer() as client:
                response = client.post(
                    "/v1/imports/establishments",
                    content=buffer.getvalue(),
                    headers={
                        "content-type": "application/vnd.openxmlformats-officedocument"
                        ".spreadsheetml.sheet"
                    },
                )
        finally:
            running.stop()
        assert (response.status_code, response.json()["stored"]) == (200, 1)

    def test_a_file_that_cannot_be_read_is_a_bad_request(self, server: Server) -> None:
        """A workbook that is not one, or JSON with a key given twice, is refused with 400 and
        its own problem type, naming where; never a 500, never the server's file paths."""
        sent = [
            (b"not a zip", XLSX, "$"),
            (b'[{"id": "J-1", "id": "J-2"}]', "application/json", "$[0].id"),
            (b"\xff\xfe[", "application/json", "$"),
        ]
        for content, media, path in sent:
            with server.writer(**{"accept-language": "en"}) as client:
                response = client.post(
                    "/v1/imports/establishments", content=content, headers={"content-type": media}
                )
            body = problem(response)
            assert (response.status_code, body["type"]) == (400, "/problems/unreadable-file")
            assert [p["path"] for p in body["problems"]] == [path]
            assert "/tmp" not in response.text
            assert "khuyencong-import" not in response.text

    def test_a_table_over_the_limit_is_refused_with_the_limit(self, tmp_path: Path) -> None:
        """A CSV longer than the server's max_import_rows is refused with 413 and the limit's
        name and value, before its rows are checked."""
        config, token = configured(tmp_path, max_import_rows=3)
        running = start(config)
        rows = "id,name,legal_form,members,map_id,unit_code,sectors\n" + "".join(
            f"L-{n},HTX {n},cooperative,7,2025-reform,07582,agro_food_processing\n"
            for n in range(5)
        )
        try:
            with Server(running.url, token, config).writer() as client:
                response = client.post(
                    "/v1/imports/establishments",
                    content=rows.encode(),
                    headers={"content-type": "text/csv"},
                )
        finally:
            running.stop()
        body = problem(response)
        assert (response.status_code, body["type"]) == (413, "/problems/input-limit")
        assert (body["limit"], body["maximum"]) == ("max_rows", 3)

    def test_a_record_of_an_establishment_not_stored_is_a_bad_row(self, server: Server) -> None:
        """Support records naming an establishment the store lacks are rows refused (422
        rows, with row and column), as the command line reports them."""
        csv = (
            "id,establishment_id,content,delivered_on,local_amount\n"
            "SR-W1,KHONG-CO,design_consulting,2026-01-05,1000000\n"
        )
        with server.writer(**{"accept-language": "en"}) as client:
            response = client.post(
                "/v1/imports/support_records",
                content=csv.encode(),
                headers={"content-type": "text/csv"},
            )
        body = problem(response)
        assert (response.status_code, body["type"]) == (422, "/problems/rows")
        assert [(p["row"], p["column"], p["value"]) for p in body["row_problems"]] == [
            (2, "establishment_id", "KHONG-CO")
        ]


class TestRequestLimits:
    def test_a_body_over_the_limit_is_refused_unread(self, tmp_path: Path) -> None:
        """A body larger than max_body_bytes gets 413, whatever it holds."""
        config, _ = configured(tmp_path, max_body_bytes=1_000)
        running = start(config)
        try:
            with Server(running.url, "", config).client() as client:
                response = client.post(
                    "/v1/eligibility",
                    content=b"{" + b" " * 2_000 + b"}",
                    headers={"content-type": "application/json"},
                )
        finally:
            running.stop()
        assert (response.status_code, problem(response)["type"]) == (413, "/problems/too-large")

    def test_a_client_over_the_rate_is_told_when_to_come_back(self, tmp_path: Path) -> None:
        """With 3 requests a minute, the fourth is a 429 with Retry-After."""
        config, _ = configured(tmp_path, rate_limit_per_minute=3)
        running = start(config)
        try:
            with Server(running.url, "", config).client() as client:
                statuses = [client.get("/v1/provinces").status_code for _ in range(4)]
                last = client.get("/v1/provinces")
        finally:
            running.stop()
        assert statuses == [200, 200, 200, 429]
        assert int(last.headers["retry-after"]) >= 1

    def test_reading_can_require_a_token(self, tmp_path: Path) -> None:
        """An operator may close reading too; the token opens it."""
        config, token = configured(tmp_path, read_token_required=True)
        running = start(config)
        try:
            server = Server(running.url, token, config)
            with server.client() as client:
                closed = client.get("/v1/provinces").status_code
            with server.writer() as client:
                opened = client.get("/v1/provinces").status_code
        finally:
            running.stop()
        assert (closed, opened) == (401, 200)


class TestCors:
    def test_cors_is_off_by_default(self, server: Server) -> None:
        """No Access-Control header unless origins are configured."""
        with server.client(origin="https://portal.example") as client:
            response = client.get("/v1/provinces")
        assert "access-control-allow-origin" not in response.headers

    def test_a_configured_origin_may_call(self, tmp_path: Path) -> None:
        """A configured origin gets its CORS headers; another does not."""
        config, _ = configured(tmp_path, cors_origins=("https://portal.example",))
        running = start(config)
        try:
            server = Server(running.url, "", config)
            with server.client(origin="https://portal.example") as client:
                allowed = client.get("/v1/provinces").headers.get("access-control-allow-origin")
            with server.client(origin="https://other.example") as client:
                other = client.get("/v1/provinces").headers.get("access-control-allow-origin")
        finally:
            running.stop()
        assert (allowed, other) == ("https://portal.example", None)


class TestProblems:
    def test_no_stack_trace_in_any_answer(self, server: Server) -> None:
        """Broken JSON, a deep nesting and an unknown path all answer with a problem only."""
        with server.client() as client:
            answers = [
                client.post(
                    "/v1/eligibility",
                    content=b"{not json",
                    headers={"content-type": "application/json"},
                ),
                client.post(
                    "/v1/eligibility",
                    content=b"[" * 100_000 + b"]" * 100_000,
                    headers={"content-type": "application/json"},
                ),
                client.get("/v1/nothing-here"),
                client.delete("/v1/eligibility"),
            ]
        assert [a.status_code for a in answers] == [400, 400, 404, 405]
        for answer in answers:
            assert "Traceback" not in answer.text
            problem(answer)

    def test_a_problem_type_describes_itself(self, server: Server) -> None:
        """GET on a problem's type answers with its title in the request's language."""
        with server.client(**{"accept-language": "en"}) as client:
            response = client.get("/problems/not-configured")
        assert response.text == "The server lacks a legal value (501)\n"

    def test_health(self, server: Server) -> None:
        """The health answer names the library's version and the store's schema."""
        with server.client() as client:
            body = client.get("/v1/health").json()
        assert body["status"] == "ok"
        assert body["schema_version"] >= 1
