"""Load the Bắc Giang 2017–2020 example, compute the indicators and print the report.

Run from the repository root::

    .venv/bin/python examples/bac_giang_report.py            # Vietnamese Markdown
    .venv/bin/python examples/bac_giang_report.py en html > report.html

The data lives inside the package (``khuyencong/data/examples/bac_giang_2017_2020``) so that the
same report works from an installed wheel; ``bac_giang_2017_2020/generate.py`` regenerates it.
Storage is not used yet: the records are read into an in-memory record set.
"""

from __future__ import annotations

import sys

from khuyencong.domain import ContentGroup, LegalForm, Period
from khuyencong.indicators import Filter, compute_standard
from khuyencong.reports import (
    build_report,
    example_path,
    load_example,
    load_folder_targets,
    load_report_config,
)


def main(argv: list[str]) -> None:
    lang = "en" if "en" in argv else "vi"
    fmt = "html" if "html" in argv else "md"
    folder = example_path()
    data = load_example()
    results = compute_standard(
        data, Period.phase(2017, 2020), scope=Filter(legal_forms={LegalForm.COOPERATIVE})
    )
    by_content = results["supported_by_content"]
    summary = ", ".join(
        f"{g.value}={by_content.get(g)}"
        for g in (
            ContentGroup.TRAINING,
            ContentGroup.MODELS_TECHNOLOGY,
            ContentGroup.DESIGN_CONSULTING,
            ContentGroup.SHOWROOM,
        )
    )
    print(
        f"# establishments_supported={results['establishments_supported'].value}; {summary}",
        file=sys.stderr,
    )
    report = build_report(
        data,
        load_report_config(folder),
        lang="en" if lang == "en" else "vi",
        targets=load_folder_targets(folder),
        charts=fmt == "html",
    )
    print(report.to_html() if fmt == "html" else report.to_markdown())


if __name__ == "__main__":
    main(sys.argv[1:])
