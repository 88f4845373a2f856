#!/usr/bin/env bash
# Mutation testing (mutmut 3, configured in pyproject.toml [tool.mutmut]): the permission rules,
# the facet counting, the import's apply step and the progress roll-up are mutated one change at a
# time; each mutant runs the tests that call the mutated function (mutmut records which ones in a
# clean run first). Prints the share of mutants the tests kill, per module, and the survivors.
#
# Slow and CPU heavy (run by hand, not in CI): `nice -n 10 bash bench/mutation.sh`.
# Runs on SQLite: each mutant's test session gets a database of its own in memory, made from the
# schema snapshot in about a second (two mutants run at once and must not meet in one database,
# which with PostgreSQL and --reuse-db they did). The demo is loaded once, by the first session
# that needs it, and kept in mutants/ for the others (tests/conftest.py, _demo_snapshot), with
# its media files: the tests see the data the unmutated code made, the mutated code acts on it.
# Arguments select mutants by name pattern, e.g. `bash bench/mutation.sh 'catalogue.models.tree.*'`
# for the roll-up alone. MUTATION_WORKERS (default 2) mutants run at once. Results stay in mutants/ (make clean removes
# it); a second run only retests what changed. `.venv/bin/mutmut show <name>` prints a mutant.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
MUTMUT=.venv/bin/mutmut

$PY -m cms.compilemessages >/dev/null
mkdir -p mutants
# A demo kept from an earlier run may be of older code: every run starts with a fresh one.
rm -rf mutants/kept-demo.sqlite3 mutants/test-media
export DATABASE_URL="sqlite:///$PWD/mutants/db-test.sqlite3" DJANGO_SETTINGS_MODULE=cms.settings.test \
  ZUKUNFTSPROFIL_KEPT_DEMO_SNAPSHOT="$PWD/mutants/kept-demo.sqlite3" ZUKUNFTSPROFIL_TEST_MEDIA="$PWD/mutants/test-media"

# A mutant can turn a walk up the tree into an endless one that fills the memory (one took 13 GB
# before it was stopped): a process limited to 8 GB fails with MemoryError instead, which its test
# reports, and the mutant counts as killed.
ulimit -v 8000000

status=0
nice -n 10 "$MUTMUT" run --max-children "${MUTATION_WORKERS:-2}" "$@" || status=$?

"$MUTMUT" results --all true | $PY -c '
import collections
import sys

MODULES = {
    "catalogue.permissions": ("permissions", 85),
    "catalogue.public.facets": ("facet counting", 75),
    "catalogue.imports.applying": ("import, apply step", 85),
    "catalogue.models.tree": ("roll-up (tree walk)", 75),
}
# Functions that run once per process, before mutmut forks the mutants: their mutants never take
# effect, so they "survive" whatever the tests do. Reported apart, and checked by hand instead
# (docs/testing.md).
ONCE_PER_PROCESS = {
    "catalogue.permissions.x_translation_guard_urls": "builds URL patterns when the URL conf loads",
}
# A mutant whose tests ran into the time or memory limit, or were stopped, was detected as well.
DETECTED = ("killed", "caught by type check", "timeout", "segfault")
counts = collections.defaultdict(collections.Counter)
survivors = collections.defaultdict(list)
apart = collections.Counter()
for line in sys.stdin:
    name, _, status = line.strip().rpartition(": ")
    module = next((m for m in MODULES if name.startswith(m + ".")), None)
    if module is None:
        continue
    function = name.rpartition("__mutmut_")[0]
    if function in ONCE_PER_PROCESS:
        apart[function] += 1
        continue
    counts[module][status] += 1
    if status not in DETECTED and status != "not checked":
        survivors[module].append(f"{name} ({status})")

failed = False
# No single quotes in this program: bash passes it in single quotes.
print("\n" + "module".ljust(28), *(word.rjust(width) for word, width in (("killed", 6), ("tried", 6), ("score", 7), ("target", 6), ("not run", 8))))
for module, (label, target) in MODULES.items():
    not_run = counts[module]["not checked"]
    tried = sum(counts[module].values()) - not_run
    killed = sum(counts[module][status] for status in DETECTED)
    score = 100 * killed / tried if tried else 0.0
    failed |= score < target or not_run > 0
    mark = "" if score >= target else "  BELOW TARGET"
    print(f"{module:<28} {killed:>6} {tried:>6} {score:>6.1f}% {target:>5}% {not_run:>8}  {label}{mark}")
for function, count in apart.items():
    print(f"(apart: {count} mutants of {function}, which {ONCE_PER_PROCESS[function]})")
for module in MODULES:
    if survivors[module]:
        print(f"\nNot killed in {module}:")
        print("\n".join(f"  {entry}" for entry in sorted(survivors[module])))
sys.exit(1 if failed else 0)
' || status=1
exit $status
