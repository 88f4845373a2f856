"""Lighthouse (mobile) on every public page type of a running site; prints the four scores per URL.

Usage (from the repository root, against a running site; `make prod` serves the demo the production
way at http://127.0.0.1:8080/, which is the default):
    .venv/bin/python bench/lighthouse.py [BASE_URL] [--only TEXT] [--runs N] [--keep-json]

Lighthouse is installed on first use from the npm registry into bench/node_modules (pinned below;
12.x is the last line that runs on Debian 12's Node 20). Chromium is Debian's /usr/bin/chromium
(CHROME_PATH). Pages of each type are found by following the site's own links from a few start
pages, so the script works on any installation with the demo's URL structure.

Targets (DESIGN.md, issue 13): performance >= 95, accessibility 100, best practices 100, SEO 100;
SEO is not counted on pages that ask not to be indexed (search results), where Lighthouse's
"is-crawlable" audit fails by design. With --runs N each page is measured N times and the median
performance is reported (the simulated throttling of a shared machine varies by a few points).
Exit status 1 when a page misses a target.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

BENCH = Path(__file__).resolve().parent
LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


@dataclass(frozen=True)
class Target:
    name: str
    path: str


@dataclass
class Result:
    target: Target
    scores: dict[str, int]
    noindex: bool
    failing: list[str] = field(default_factory=list)
    metrics: str = ""

    def misses(self) -> list[str]:
        return [
            category
            for category, minimum in TARGETS.items()
            if self.scores.get(category, 0) < minimum and not (category == "seo" and self.noindex)
        ]


def ensure_lighthouse() -> None:
    """Installs the pinned Lighthouse into bench/node_modules unless it is there already."""
    package = BENCH / "node_modules" / "lighthouse" / "package.json"
    if package.exists() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is missing (Debian: apt-get install npm): Lighthouse cannot be installed.")
    print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {BENCH / 'node_modules'} …", flush=True)
    subprocess.run(  # noqa: S603 - a fixed command
        [
            npm,
            "install",
            "--prefix",
            str(BENCH),
            "--no-save",
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        check=True,
    )


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - the site under test
        return response.read().decode("utf-8", "replace")


def first_link(base: str, page: str, pattern: str) -> str | None:
    """The first link on `page` whose path matches `pattern` (a regular expression)."""
    for href in re.findall(r'href="(/[^"#]*)"', fetch(urljoin(base, page))):
        if re.fullmatch(pattern, href.replace("&amp;", "&")):
            return href.replace("&amp;", "&")
    return None


def targets(base: str) -> list[Target]:
    """One URL per public page type, the variable ones taken from the site's own links."""
    found = [
        Target("home", "/"),
        Target("strategy", "/zukunftsprofil/"),
        Target("chapter", "/zukunftsprofil/ausgangslage/"),
        Target("strategy one-page view", "/zukunftsprofil/gesamt/"),
        Target("area page", "/zukunftsprofil/handlungsfeld-klima/"),
        Target("catalogue", "/projektkatalog/"),
        Target("catalogue filtered", "/projektkatalog/?area=klima&status=in-umsetzung"),
        Target("catalogue text query", "/projektkatalog/?q=Radweg"),
        Target("overview (Umsetzungsstand)", "/projektkatalog/umsetzungsstand/"),
        Target("search results (noindex)", "/suche/?q=Klima"),
        Target("dialogues", "/zukunftsdialoge/"),
        Target("ideas", "/ideen/"),
        Target("idea form", "/ideen/einreichen/"),
        Target("budget", "/haushalt/"),
        Target("reports", "/berichte/"),
        Target("accessibility statement", "/barrierefreiheit/"),
        Target("easy language", "/leichte-sprache/"),
        Target("embed (open data)", "/einbetten/"),
        Target("en: home", "/en/"),
        Target("en: catalogue", "/en/projektkatalog/"),
        Target("en: area page", "/en/zukunftsprofil/handlungsfeld-klima/"),
    ]
    discovered = [
        ("entry", "/projektkatalog/", r"/projektkatalog/eintrag/[^/]+/[^/]+/"),
        ("goal", "/zukunftsprofil/handlungsfeld-klima/", r"/projektkatalog/ziel/[^/]+/"),
        ("dialogue", "/zukunftsdialoge/", r"/zukunftsdialoge/[a-z0-9-]+/"),
        ("idea", "/ideen/", r"/ideen/idee/\d+/"),
        ("budget year/area", "/haushalt/", r"/haushalt/\d{4}/\d+/"),
        ("report", "/berichte/", r"/berichte/bericht/[^/]+/"),
        ("en: entry", "/en/projektkatalog/", r"/en/projektkatalog/eintrag/[^/]+/[^/]+/"),
    ]
    for name, page, pattern in discovered:
        path = first_link(base, page, pattern)
        if path is None:
            print(f"!!! no {name} page found on {page}", file=sys.stderr)
        else:
            found.append(Target(name, path))
    return found


def lighthouse(url: str, output: Path, attempts: int = 3) -> dict:
    """One Lighthouse report; a run that breaks off (e.g. NO_NAVSTART on a busy machine) is repeated."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=60000",
    ]
    for attempt in range(1, attempts + 1):
        finished = subprocess.run(command, env=env, check=False)  # noqa: S603 - a fixed command on the site under test
        if finished.returncode == 0:
            return json.loads(output.read_text())
        print(f"!!! Lighthouse broke off on {url} (attempt {attempt} of {attempts})", file=sys.stderr)
    raise RuntimeError(f"Lighthouse failed {attempts} times on {url}")


def failing_audits(report: dict) -> list[str]:
    """Audits that cost points: every failed one outside performance, the weak weighted ones inside."""
    audits = report["audits"]
    failing = []
    for category_id in CATEGORIES:
        for ref in report["categories"][category_id]["auditRefs"]:
            audit = audits[ref["id"]]
            score = audit.get("score")
            if score is None or audit.get("scoreDisplayMode") in {"notApplicable", "informative", "manual"}:
                continue
            limit = 0.9 if category_id == "performance" else 1
            if score < limit and (ref.get("weight", 0) > 0 or category_id != "performance"):
                shown = audit.get("displayValue") or ""
                failing.append(f"{category_id}: {ref['id']} ({round(score * 100)}) {shown}".rstrip())
    return failing


def measure(base: str, target: Target, runs: int, keep: Path | None) -> Result:
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            output = Path(tmp) / f"report-{run}.json"
            reports.append(lighthouse(urljoin(base, target.path), output))
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-")
                shutil.copy(output, keep / f"{slug}-{run}.json")
    performances = [round(r["categories"]["performance"]["score"] * 100) for r in reports]
    median_run = reports[performances.index(sorted(performances)[len(performances) // 2])]
    scores = {c: round((median_run["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    scores["performance"] = round(statistics.median(performances))
    audits = median_run["audits"]
    noindex = audits.get("is-crawlable", {}).get("score") == 0
    metrics = " ".join(
        f"{label} {audits[audit_id].get('displayValue', '?')}"
        for label, audit_id in (
            ("FCP", "first-contentful-paint"),
            ("LCP", "largest-contentful-paint"),
            ("TBT", "total-blocking-time"),
            ("CLS", "cumulative-layout-shift"),
        )
    )
    return Result(target, scores, noindex, failing_audits(median_run), metrics)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8080/")
    parser.add_argument("--only", help="measure only page types whose name contains this text")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median performance counts")
    parser.add_argument("--keep-json", action="store_true", help="keep the reports in bench/results/lighthouse/")
    args = parser.parse_args()
    ensure_lighthouse()
    keep = BENCH / "results" / "lighthouse" if args.keep_json else None
    chosen = [t for t in targets(args.base) if not args.only or args.only in t.name]
    results = []
    print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile, {args.base} ({args.runs} run(s) per page)\n")
    header = f"{'page type':28} {'perf':>4} {'a11y':>4} {'b-p':>4} {'seo':>4}  path"
    print(header)
    print("-" * len(header))
    for target in chosen:
        result = measure(args.base, target, args.runs, keep)
        results.append(result)
        s = result.scores
        seo = f"{s['seo']}*" if result.noindex else str(s["seo"])
        mark = "" if not result.misses() else "   <- " + ", ".join(result.misses())
        print(
            f"{target.name:28} {s['performance']:>4} {s['accessibility']:>4} {s['best-practices']:>4} {seo:>4}  "
            f"{target.path}{mark}",
            flush=True,
        )
    print("\n* noindex page: SEO's is-crawlable fails by design and is not counted.\n")
    for result in results:
        if result.failing:
            print(f"{result.target.name} ({result.target.path}): {result.metrics}")
            for line in result.failing:
                print(f"    {line}")
    missed = [r for r in results if r.misses()]
    print(f"\n{len(results) - len(missed)} of {len(results)} pages meet every target.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
