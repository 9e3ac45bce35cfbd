#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: installs what the
# tests need when missing (Debian's chromium and CJK fonts for the browser
# tests, the npm front-end bundle), then gofmt, go vet and the tests on
# SQLite and PostgreSQL (GONGJIAN_TEST_PG, default the local server).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
	echo "== installing ${need_apt[*]} (Debian packages)"
	sudo_cmd=""
	[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "== front-end bundle"
go run ./internal/web/assets/vendorcopy

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test (SQLite and PostgreSQL)"
export GONGJIAN_TEST_PG="${GONGJIAN_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
# The race detector runs on the packages whose own code runs concurrently
# (store, service, server, jobs, auth …). The browser tests, the CLI, the
# demo and the roster reader run without it, beside the rest: they drive
# the same store and service code the other packages test under -race, and
# the detector made their data loads the suite's longest legs (decision
# 0017). Their output follows the race leg's so the legs do not interleave.
plain='/e2e$|/internal/cli$|/internal/demo$|/internal/roster$'
e2e_log=$(mktemp)
plain_log=$(mktemp)
go test -count=1 -timeout 30m ./e2e >"$e2e_log" 2>&1 &
e2e_pid=$!
go test -count=1 -timeout 30m $(go list ./... | grep -E "$plain" | grep -v '/e2e$') >"$plain_log" 2>&1 &
plain_pid=$!
status=0
go test -race -count=1 -timeout 30m $(go list ./... | grep -Ev "$plain") || status=$?
wait "$plain_pid" || status=$?
wait "$e2e_pid" || status=$?
cat "$plain_log" "$e2e_log"
rm -f "$plain_log" "$e2e_log"
exit "$status"
