#!/usr/bin/env bash
# Seconds from `make run` in a fresh clone until / answers 200 (bench/README.md, "First start").
# Usage: bench/first_start.sh COMMIT [PORT]   (run from the repository; needs a .venv to link)
set -euo pipefail
commit=${1:?which commit}
port=${2:-8421}
repo=$(git rev-parse --show-toplevel)
venv=$(readlink -f "$repo/.venv")
clone=$(mktemp -d /tmp/first-start-XXXXXX)
git clone --quiet "$repo" "$clone"
git -C "$clone" checkout --quiet "$commit"
ln -s "$venv" "$clone/.venv"
# The packages are installed: the clone's requirements files (new mtimes) must not look newer than
# the venv's install stamps, or the first step would run pip into the linked, shared venv.
touch -d @0 "$clone/requirements.txt" "$clone/requirements-test.txt"
log="$clone/make-run.log"
load=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
# A session of its own (setsid execs make: its id is the group's), so that stopping the group
# stops the server and the worker with it.
setsid bash -c 'cd "$1" && exec make run PORT="$2"' _ "$clone" "$port" >"$log" 2>&1 &
group=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)" = 200 ]; do
	sleep 0.2
	kill -0 "$group" 2>/dev/null || { echo "make run stopped:"; cat "$log"; exit 1; }
done
end=$(date +%s.%N)
sleep 1
kill -TERM -- "-$group" 2>/dev/null || true
wait "$group" 2>/dev/null || true
echo "--- output of make run ---"
cat "$log"
printf 'first 200 after %.1f s (load average before: %s)\n' "$(echo "$end - $start" | bc)" "$load"
rm -rf "$clone"
