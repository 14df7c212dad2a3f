"""Build the documentation site and check it the way a browser would.

Runs ``mkdocs build --strict`` into a temporary directory, serves it on 127.0.0.1 with the
standard library's HTTP server, and checks that

- every HTML page of the site answers 200;
- every internal link and resource (``href``/``src`` on the same site) answers 200;
- every internal link to an anchor (``page/#section``) finds that ``id`` on the target page.

With ``--screenshots DIR`` it also takes headless Chromium screenshots of a few key pages (the
home page, the tutorial, a reference page, the glossary and a search) into ``DIR`` for a person
to look at; Chromium must be installed (Debian: ``apt-get install chromium``).

Exit status 0 when everything is fine, 1 when something is broken (each problem is printed).
No network access is needed: the theme's fonts are disabled and all assets are local.

Usage::

    python scripts/check_site.py [--site-dir DIR] [--no-build] [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent

SCREENSHOT_PAGES = {
    "home": "",
    "tutorial": "tutorial/",
    "tutorial-vi": "vi/tutorial/",
    "reference-domain": "reference/domain/",
    "glossary": "glossary/",
    "search": "?q=h%E1%BB%A3p+t%C3%A1c+x%C3%A3",
}


class _Links(HTMLParser):
    """Collects link targets and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in ("href", "src") and tag in ("a", "link", "script", "img"):
                self.links.append(value)


def build(site_dir: Path) -> None:
    """Build the site with ``mkdocs build --strict`` (raises if the build fails)."""
    subprocess.run(  # noqa: S603  (fixed arguments: this interpreter and mkdocs)
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        check=True,
    )


def serve(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``site_dir`` on a free port of 127.0.0.1; returns the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (stdlib's name)
        pass


def fetch(url: str) -> tuple[int, str]:
    """The status and (for HTML) the text of ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (our own server)
            body = response.read()
            kind = response.headers.get_content_type()
            return response.status, body.decode("utf-8") if kind == "text/html" else ""
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def check(site_dir: Path, base: str) -> list[str]:
    """Every broken page, link and anchor of the site served at ``base``."""
    problems: list[str] = []
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for page in pages:
        url = urljoin(base, page.removesuffix("index.html"))
        status, text = fetch(url)
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        parser = _Links()
        parser.feed(text)
        ids[url] = parser.ids
        links[url] = parser.links
    checked: dict[str, int] = {}
    for page_url, targets in links.items():
        for target in targets:
            absolute = urljoin(page_url, target)
            if urlsplit(absolute).netloc != urlsplit(base).netloc:
                continue  # external: not checked, so that CI needs no network
            address, fragment = urldefrag(absolute)
            if address not in checked:
                checked[address] = fetch(address)[0]
            if checked[address] != 200:
                problems.append(f"{page_url}: link to {target} answers HTTP {checked[address]}")
                continue
            if fragment and address in ids and unquote(fragment) not in ids[address]:
                problems.append(f"{page_url}: link to {target}: no element with id {fragment!r}")
    print(f"checked {len(pages)} pages and {len(checked)} distinct internal addresses")
    return problems


def screenshots(base: str, out_dir: Path) -> None:
    """Headless Chromium screenshots of the key pages into ``out_dir``."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found; no screenshots taken", file=sys.stderr)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, path in SCREENSHOT_PAGES.items():
        with tempfile.TemporaryDirectory() as profile:
            target = out_dir / f"{name}.png"
            subprocess.run(  # noqa: S603  (fixed arguments; the URL is our own local server)
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    f"--user-data-dir={profile}",
                    "--virtual-time-budget=15000",
                    f"--screenshot={target}",
                    "--window-size=1280,1600",
                    urljoin(base, path),
                ],
                check=False,
                capture_output=True,
                timeout=120,
            )
            print(f"{target}: {'ok' if target.exists() else 'MISSING'}")


def main(argv: list[str] | None = None) -> int:
    """Build, serve and check the site; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site-dir", type=Path, help="build into (or, with --no-build, check) DIR")
    parser.add_argument("--no-build", action="store_true", help="check an already built site")
    parser.add_argument("--screenshots", type=Path, metavar="DIR", help="save screenshots here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site_dir: Path = args.site_dir or Path(tmp) / "site"
        if not args.no_build:
            build(site_dir)
        server, base = serve(site_dir)
        try:
            problems = check(site_dir, base)
            if args.screenshots:
                screenshots(base, args.screenshots)
        finally:
            server.shutdown()
    for problem in problems:
        print(problem)
    print("site OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
