"""Build the packaged administrative-unit data of ``khuyencong.units``.

Reads the shared snapshots in ``shared/data/admin_units/`` (three map snapshots of different
shapes and the merger CSV) and writes compact, uniform files into
``src/khuyencong/data/units/``:

- ``map_2021-11.json``, ``map_2025-07.json``, ``map_2025-reform.json``: one file per map, rows
  ``[code, type_index, parent_code, name, name_en]`` (plus ``full_name`` only where it is not
  the type's Vietnamese prefix followed by the name);
- ``reform_2025.json``: the parsed merger (old province → new province; old commune → new
  commune with a status ``one`` / ``split`` / ``ambiguous`` / ``unmatched``; 2021 codes that
  are gone from the 2025 map → their 2025 unit where the data allows it).

The output is deterministic (sorted, no timestamps): re-running it on the same input gives
byte-identical files. Usage::

    python scripts/build_unit_data.py [--source DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from khuyencong.units._text import fold, match_key  # noqa: E402  (needs the src path above)

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "admin_units"
OUT = ROOT / "src" / "khuyencong" / "data" / "units"

NOTICE = (
    "Data from thanglequoc/vietnamese-provinces-database, MIT licence, "
    "Copyright (c) 2021 Thang Le Quoc; reshaped by scripts/build_unit_data.py. "
    "See the NOTICE file beside this file for the full licence text."
)

#: Unit types in a fixed order; rows store the index. Values are ``UnitType`` values.
TYPES = [
    "centrally_run_city",
    "province",
    "municipal_city",
    "provincial_city",
    "urban_district",
    "town",
    "rural_district",
    "ward",
    "township",
    "commune",
    "special_zone",
]
#: The Vietnamese prefix of the full name of each type.
PREFIX = {
    "centrally_run_city": "Thành phố",
    "province": "Tỉnh",
    "municipal_city": "Thành phố",
    "provincial_city": "Thành phố",
    "urban_district": "Quận",
    "town": "Thị xã",
    "rural_district": "Huyện",
    "ward": "Phường",
    "township": "Thị trấn",
    "commune": "Xã",
    "special_zone": "Đặc khu",
}
#: The 2021 dataset's ``administrative_unit_id``.
TYPE_2021 = {
    "1": "centrally_run_city",
    "2": "province",
    "3": "municipal_city",
    "4": "provincial_city",
    "5": "urban_district",
    "6": "town",
    "7": "rural_district",
    "8": "ward",
    "9": "township",
    "10": "commune",
}
#: The 2026 dataset's ``AdministrativeUnitId`` (per level).
TYPE_2026_PROVINCE = {1: "centrally_run_city", 2: "province"}
TYPE_2026_COMMUNE = {3: "ward", 4: "commune", 5: "special_zone"}

Unit = dict[str, str | None]


def nfc(text: str) -> str:
    """NFC-normalise and trim a source string."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_prefix(full_name: str, candidates: list[str]) -> tuple[str, str]:
    """Split ``full_name`` into (prefix, name) using the first matching prefix."""
    for prefix in sorted(candidates, key=len, reverse=True):
        if full_name.startswith(prefix + " "):
            return prefix, full_name[len(prefix) + 1 :]
    msg = f"unknown unit type prefix in {full_name!r}"
    raise SystemExit(msg)


def ascii_name(text: str) -> str:
    """Strip diacritics keeping case."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def unit(  # noqa: PLR0917  (mirrors the columns of a row, called once per source shape)
    code: str, unit_type: str, parent: str | None, name: str, name_en: str, full: str
) -> Unit:
    """One unit as a dict (names NFC)."""
    return {
        "code": code,
        "type": unit_type,
        "parent": parent,
        "name": nfc(name),
        "name_en": nfc(name_en),
        "full_name": nfc(full),
    }


def read_2021(path: Path) -> list[Unit]:
    """The November 2021 three-level snapshot."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[Unit] = []
    for p in data["provinces"]:
        out.append(
            unit(
                p["code"],
                TYPE_2021[p["administrative_unit_id"]],
                None,
                p["name"],
                p["name_en"],
                p["full_name"],
            )
        )
        for d in p["districts"]:
            out.append(
                unit(
                    d["code"],
                    TYPE_2021[d["administrative_unit_id"]],
                    p["code"],
                    d["name"],
                    d["name_en"],
                    d["full_name"],
                )
            )
            out.extend(
                unit(
                    w["code"],
                    TYPE_2021[w["administrative_unit_id"]],
                    d["code"],
                    w["name"],
                    w["name_en"],
                    w["full_name"],
                )
                for w in d["wards"]
            )
    return out


def read_2025(path: Path) -> list[Unit]:
    """The 12 July 2025 three-level snapshot (types derived from the full-name prefix)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[Unit] = []
    for p in data:
        full = nfc(p["FullName"])
        prefix, name = split_prefix(full, ["Thành phố", "Tỉnh"])
        ptype = "centrally_run_city" if prefix == "Thành phố" else "province"
        out.append(unit(p["Code"], ptype, None, name, ascii_name(name), full))
        for d in p["District"] or []:
            full = nfc(d["FullName"])
            prefix, name = split_prefix(full, ["Thành phố", "Quận", "Huyện", "Thị xã"])
            if prefix == "Thành phố":
                dtype = "municipal_city" if ptype == "centrally_run_city" else "provincial_city"
            else:
                dtype = {"Quận": "urban_district", "Huyện": "rural_district"}.get(prefix, "town")
            out.append(unit(d["Code"], dtype, p["Code"], name, ascii_name(name), full))
            for w in d["Ward"] or []:
                full = nfc(w["FullName"])
                prefix, name = split_prefix(full, ["Phường", "Thị trấn", "Xã"])
                wtype = {"Phường": "ward", "Thị trấn": "township"}.get(prefix, "commune")
                out.append(unit(w["Code"], wtype, d["Code"], name, ascii_name(name), full))
    return out


def read_2026(path: Path) -> list[Unit]:
    """The July 2026 two-level (post-reform) snapshot."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[Unit] = []
    for p in data:
        ptype = TYPE_2026_PROVINCE[p["AdministrativeUnitId"]]
        out.append(unit(p["Code"], ptype, None, p["Name"], p["NameEn"], p["FullName"]))
        out.extend(
            unit(
                w["Code"],
                TYPE_2026_COMMUNE[w["AdministrativeUnitId"]],
                p["Code"],
                w["Name"],
                w["NameEn"],
                w["FullName"],
            )
            for w in p["Wards"]
        )
    return out


def check_types(units_2021: list[Unit], units_2025: list[Unit]) -> None:
    """The 2025 types derived from prefixes agree with the 2021 ids where names agree."""
    by_code = {u["code"]: u for u in units_2021}
    for u in units_2025:
        old = by_code.get(u["code"] or "")
        if old and old["full_name"] == u["full_name"] and old["type"] != u["type"]:
            msg = f"type mismatch for {u['code']}: {old['type']} (2021) vs {u['type']} (2025)"
            raise SystemExit(msg)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write compact, deterministic JSON (one row per line for readable diffs)."""
    head = {k: v for k, v in payload.items() if k != "rows"}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if "rows" in payload:
        rows = ",\n".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in payload["rows"]
        )
        text = text[:-1] + ',"rows":[\n' + rows + "\n]}"
    path.write_text(text + "\n", encoding="utf-8")


def write_map(map_id: str, source: str, snapshot: str, units: list[Unit]) -> None:
    """Write one packaged map file."""
    rows: list[list[Any]] = []
    for u in sorted(units, key=lambda u: (len(u["code"] or ""), u["code"])):
        utype = u["type"] or ""
        row: list[Any] = [u["code"], TYPES.index(utype), u["parent"], u["name"], u["name_en"]]
        # a full name differing only in case ("xã Bắc Sơn") is the canonical one
        if (u["full_name"] or "").casefold() != f"{PREFIX[utype]} {u['name']}".casefold():
            row.append(u["full_name"])
        rows.append(row)
    write_json(
        OUT / f"map_{map_id}.json",
        {
            "_notice": NOTICE,
            "map_id": map_id,
            "source": source,
            "snapshot_date": snapshot,
            "types": TYPES,
            "columns": ["code", "type", "parent_code", "name", "name_en", "full_name?"],
            "rows": rows,
        },
    )


# --- the merger ---------------------------------------------------------------------------

_ITEM_SPLIT = re.compile(r",\s*(?![^()]*\))")
_PAREN = re.compile(r"\(([^()]*)\)")
_PROVINCE_ALIASES = {"tphcm": "ho chi minh", "thu do ha noi": "ha noi"}
_COMMUNE_PREFIXES = ("thi tran ", "phuong ", "xa ", "dac khu ")
_DISTRICT_PREFIXES = ("thanh pho ", "thi xa ", "quan ", "huyen ")


def strip_type(key: str, prefixes: tuple[str, ...]) -> str:
    """Drop a folded type prefix."""
    for p in prefixes:
        if key.startswith(p):
            return key[len(p) :]
    return key


def province_key(text: str) -> str:
    """Folded province name without its type prefix."""
    key = match_key(text)
    key = _PROVINCE_ALIASES.get(key, key)
    key = strip_type(key, ("thanh pho ", "tinh "))
    return _PROVINCE_ALIASES.get(key, key)


_NONG_TRUONG = re.compile(r"\b(?:n t|nt)\b")


def keys(full_name: str) -> list[str]:
    """Match keys from strictest to loosest: exact (case-insensitive), folded, folded without the
    type prefix, and that with ``y`` read as ``i`` (Quý/Quí, Sỹ/Sĩ are spelling variants)."""
    exact = unicodedata.normalize("NFC", full_name).casefold().strip()
    folded = _NONG_TRUONG.sub("nong truong", match_key(full_name))
    bare = strip_type(folded, _COMMUNE_PREFIXES)
    return [exact, folded, "*" + bare, "*" + bare.replace("y", "i")]


def build_merger(  # noqa: PLR0915  (one pass over the CSV sharing its indexes; kept linear)
    source: Path, units_2021: list[Unit], units_2025: list[Unit], units_new: list[Unit]
) -> dict[str, Any]:
    """Parse the merger CSV into old → new mappings, recording every unclear case."""
    rows = list(csv.DictReader((source / "merger_2025_before_after.csv").open(encoding="utf-8")))
    old = {u["code"] or "": u for u in units_2025}
    old_prov = {
        province_key(u["full_name"] or ""): u["code"] or ""
        for u in units_2025
        if u["parent"] is None
    }
    new_prov = {
        province_key(u["full_name"] or ""): u["code"] or ""
        for u in units_new
        if u["parent"] is None
    }

    def province_of(code: str) -> str:
        u = old[code]
        while u["parent"] is not None:
            u = old[u["parent"]]
        return u["code"] or ""

    # provinces
    ti_new: dict[str, str] = {}
    ti_old: dict[str, list[str]] = {}
    province_map: dict[str, str] = {}
    for r in rows:
        if r["parent_map_code"]:
            continue
        new_code = new_prov[province_key(r["new_unit_name"])]
        ti_new[r["map_code"]] = new_code
        text = nfc(r["formed_from"])
        if fold(text) == "giu nguyen":
            names = [r["new_unit_name"]]
        else:
            names = re.split(r",\s*|\s+và\s+", text)
        olds = [old_prov[province_key(n)] for n in names]
        ti_old[r["map_code"]] = olds
        for o in olds:
            if o in province_map:
                msg = f"old province {o} listed twice"
                raise SystemExit(msg)
            province_map[o] = new_code
    if len(province_map) != len(old_prov):
        msg = "not every old province is in the merger CSV"
        raise SystemExit(msg)

    # old units indexed by (province, key) at several strictness tiers (see ``keys``)
    communes_by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    districts_by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, u in old.items():
        if len(code) == 5:
            for k in keys(u["full_name"] or ""):
                communes_by_key[province_of(code), k].append(code)
        elif len(code) == 3:
            key = match_key(u["full_name"] or "")
            districts_by_name[province_of(code), key].append(code)
            districts_by_name[province_of(code), strip_type(key, _DISTRICT_PREFIXES)].append(code)

    new_by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    for u in units_new:
        if u["parent"]:
            for k in keys(u["full_name"] or ""):
                new_by_key[u["parent"], k].append(u["code"] or "")

    def lookup(
        index: dict[tuple[str, str], list[str]], provinces: list[str], text: str
    ) -> list[str]:
        for k in keys(text):
            found = sorted({c for p in provinces for c in index.get((p, k), [])})
            if found:
                return found
        return []

    claims: dict[str, set[str]] = defaultdict(set)  # old code -> new codes (clear claims)
    partial: set[str] = set()  # old codes listed as "a part of"
    ambiguous_items: list[tuple[str, list[str]]] = []  # (new code, possible old codes)
    unresolved: list[list[str]] = []
    for r in rows:
        if not r["parent_map_code"]:
            continue
        new_province = ti_new[r["parent_map_code"]]
        found_new = lookup(new_by_key, [new_province], r["new_unit_name"])
        if len(found_new) != 1:
            unresolved.append([r["map_code"], r["new_unit_name"], "new unit not in the new map"])
            continue
        new_code = found_new[0]
        provinces = ti_old[r["parent_map_code"]]
        text = nfc(r["formed_from"])
        if fold(text) == "giu nguyen":
            items = [r["new_unit_name"]]
        else:
            items = [i.strip() for i in _ITEM_SPLIT.split(text) if i.strip()]
        for item in items:
            quals = _PAREN.findall(item)
            bare_item = _PAREN.sub("", item).strip()
            name_key = match_key(bare_item)
            if name_key.startswith(_DISTRICT_PREFIXES):
                # a whole district (the island districts became special zones)
                found = [c for p in provinces for c in districts_by_name.get((p, name_key), [])]
                if len(found) == 1:
                    claims[found[0]].add(new_code)
                else:
                    unresolved.append([new_code, item, "not a commune-level unit of the old map"])
                continue
            found = lookup(communes_by_key, provinces, bare_item)
            for qual in quals:
                qfold = fold(qual)
                if qfold.startswith(("phan con lai", "mot phan", "bao gom")):
                    if qfold.startswith("mot phan"):
                        partial.update(found)
                    continue
                qkey = match_key(re.sub(r"^thuộc\s+", "", qual.split(",")[0].strip()))
                qbare = strip_type(qkey, _DISTRICT_PREFIXES)
                found = [
                    c
                    for c in found
                    if match_key(old[old[c]["parent"] or ""]["full_name"] or "") == qkey
                    or match_key(old[old[c]["parent"] or ""]["name"] or "") == qbare
                ]
            if len(found) == 1:
                claims[found[0]].add(new_code)
            elif found:
                ambiguous_items.append((new_code, found))
            else:
                unresolved.append([new_code, item, "no old unit of that name in the province(s)"])

    # An ambiguous item ("Xã Tân Thành" where two old communes bear the name) is settled only
    # by elimination: when every candidate but one is listed elsewhere and none of them is
    # marked as split. Everything else stays ambiguous.
    maybe: dict[str, set[str]] = defaultdict(set)
    maybe_peers: dict[str, set[str]] = defaultdict(set)
    deduced: set[str] = set()
    for new_code, found in ambiguous_items:
        free = [c for c in found if c not in claims]
        if len(free) == 1 and not any(c in partial for c in found):
            claims[free[0]].add(new_code)
            deduced.add(free[0])
            continue
        for c in found:
            maybe[c].add(new_code)
            maybe_peers[c].update(found)

    communes: list[list[Any]] = []
    for code in sorted(c for c in old if len(c) == 5):
        clear, possible = claims.get(code, set()), maybe.get(code, set())
        if len(clear) == 1 and not possible and code in partial:
            note = "only a part of it is listed (in one new unit); the rest is not listed"
            communes.append([code, "split", sorted(clear), note])
        elif len(clear) == 1 and not possible and code in deduced:
            note = "deduced: its name is ambiguous, but the other same-named units are listed"
            note += " elsewhere"
            communes.append([code, "one", sorted(clear), note])
        elif len(clear) == 1 and not possible:
            communes.append([code, "one", sorted(clear), "listed by name in the merger list"])
        elif len(clear) > 1:
            note = "listed in several new units (split between them)"
            communes.append([code, "split", sorted(clear | possible), note])
        elif possible:
            peers = ", ".join(sorted(maybe_peers[code] - {code}))
            note = f"named in the merger list without a district; could also be {peers}"
            communes.append([code, "ambiguous", sorted(clear | possible), note])
        else:
            communes.append([code, "unmatched", [], "not found in the merger list"])
    districts = [
        [code, "one" if len(new) == 1 else "split", sorted(new), "district listed as a whole"]
        for code, new in sorted(claims.items())
        if len(code) == 3
    ]

    # 2021 codes gone from the 2025 map: find the 2025 unit by name within the same district
    by_district_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, u in old.items():
        if len(code) == 5:
            by_district_name[u["parent"] or "", match_key(u["name"] or "")].append(code)
    gone: list[list[Any]] = []
    for u in units_2021:
        code = u["code"] or ""
        if len(code) != 5 or code in old:
            continue
        found = by_district_name.get((u["parent"] or "", match_key(u["name"] or "")), [])
        if len(found) == 1:
            gone.append([code, found[0], "same name in the same district of the 2025 map"])
        else:
            gone.append([code, None, "merged or renamed between 2021 and 2025; no 2025 unit known"])

    return {
        "_notice": NOTICE,
        "source": "merger_2025_before_after.csv",
        "old_map": "2025-07",
        "new_map": "2025-reform",
        "provinces": sorted([o, n] for o, n in province_map.items()),
        "communes": communes,
        "districts": districts,
        "gone_2021": gone,
        "unresolved_items": sorted(unresolved),
    }


def main() -> None:
    """Build every packaged file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()
    src: Path = args.source
    OUT.mkdir(parents=True, exist_ok=True)
    f2021 = "vn_units_2021-11_three_level.json"
    f2025 = "vn_units_2025-07-12_three_level.json"
    f2026 = "vn_units_2026-07-25_two_level.json"
    u2021, u2025, u2026 = read_2021(src / f2021), read_2025(src / f2025), read_2026(src / f2026)
    check_types(u2021, u2025)
    write_map("2021-11", f2021, "2021-11-09", u2021)
    write_map("2025-07", f2025, "2025-07-12", u2025)
    write_map("2025-reform", f2026, "2026-07-25", u2026)
    merger = build_merger(src, u2021, u2025, u2026)
    path = OUT / "reform_2025.json"
    path.write_text(
        json.dumps(merger, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8",
    )
    counts: dict[str, int] = defaultdict(int)
    for row in merger["communes"]:
        counts[row[1]] += 1
    sys.stdout.write(f"communes: {dict(sorted(counts.items()))}\n")
    sys.stdout.write(f"unresolved merger items: {len(merger['unresolved_items'])}\n")
    gone_ok = sum(1 for g in merger["gone_2021"] if g[1])
    sys.stdout.write(f"2021 codes gone by 2025: {len(merger['gone_2021'])}, matched {gone_ok}\n")


if __name__ == "__main__":
    main()
