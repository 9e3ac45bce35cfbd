#!/usr/bin/env bash
# The people-query benchmark of issue #4 over HTTP: for each size, a fresh
# database with the Guannan demo and N generated people, personal API
# tokens for the county officer (whole county) and the Hangzhou mobile
# committee's secretary (its subtree and nothing else), `gongjian serve`
# on a free loopback port, and bench/peopleload driving CLIENTS clients
# for each kind of query. Results go to stdout and to $WORK/results.md.
#
#   bench/people.sh [sqlite|postgres] [N ...]      default: sqlite 200000
#   CLIENTS=16 DURATION=10s WARMUP=2s WORK=/tmp/x bench/people.sh postgres 200000 1000000
#
# PostgreSQL: a fresh database gongjian_people_N on 127.0.0.1 (createdb,
# user postgres, as the tests use), dropped after its run unless KEEP=1;
# PGHOST, PGPORT, PGUSER override. The load time of each size and the
# load average (`uptime`) before and after every run go into the table:
# other work on the machine takes the server's CPU.
# The load tool runs on the same machine as the server and takes its
# share of the CPU: the figures are a lower bound of the server alone.
set -euo pipefail

kind=${1:-sqlite}
shift || true
sizes=${*:-200000}
clients=${CLIENTS:-16}
duration=${DURATION:-10s}
warmup=${WARMUP:-2s}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d /tmp/gongjian-people.XXXXXX)}
mkdir -p "$work"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

case $kind in
sqlite | postgres) ;;
*)
	echo "usage: bench/people.sh [sqlite|postgres] [N ...]" >&2
	exit 2
	;;
esac

echo "building into $work" >&2
(cd "$root" && go build -o "$work/gongjian" ./cmd/gongjian && go build -o "$work/peopleload" ./bench/peopleload)
gj="$work/gongjian"

server=""
stop() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
		server=""
	fi
}
trap stop EXIT

results="$work/results.md"
notes=()
{
	echo "## $(date +%F) — people queries over HTTP ($kind)"
	echo
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB;" \
		"$(go version | cut -d' ' -f3); $clients clients for $duration after $warmup of warm-up, per kind of query"
	echo
} >"$results"

for n in $sizes; do
	key="$work/people-$n.key"
	rm -f "$key"
	if [ "$kind" = sqlite ]; then
		rm -f "$work/people-$n.db"*
		db="sqlite:$work/people-$n.db"
	else
		name="gongjian_people_$n"
		dropdb --if-exists "$name"
		createdb "$name"
		db="postgres://$PGUSER@$PGHOST:$PGPORT/$name?sslmode=disable"
	fi
	common=(--db "$db" --secret-file "$key" --lang en)

	echo "loading the demo with $n people" >&2
	before=$(cut -d' ' -f1-3 /proc/loadavg)
	start=$(date +%s)
	"$gj" demo --load-only --people "$n" "${common[@]}" >/dev/null
	loaded="$kind, $n people: demo loaded in $(($(date +%s) - start)) s (load average before $before, after $(cut -d' ' -f1-3 /proc/loadavg))"
	echo "$loaded" >&2
	notes+=("$loaded")

	for account in county hangzhou; do
		"$gj" user token "$account" --label "people benchmark" --days 1 "${common[@]}" >"$work/$account.token"
	done

	log="$work/serve-$kind-$n.log"
	"$gj" serve "${common[@]}" --addr 127.0.0.1:0 --rate-limits off 2>"$log" >/dev/null &
	server=$!
	addr=""
	for _ in $(seq 1 300); do
		addr=$(grep -o '"addr":"127.0.0.1:[0-9]*"' "$log" | head -1 | cut -d'"' -f4 || true)
		[ -n "$addr" ] && break
		sleep 0.2
	done
	if [ -z "$addr" ]; then
		echo "the server did not start; see $log" >&2
		exit 1
	fi

	for account in county hangzhou; do
		echo "measuring $kind, $n people, as $account" >&2
		before=$(cut -d' ' -f1-3 /proc/loadavg)
		"$work/peopleload" run -url "http://$addr" -token-file "$work/$account.token" -people "$n" -clients "$clients" \
			-duration "$duration" -warmup "$warmup" -label "$kind $n $account" -server-pid "$server" \
			>"$work/run-$kind-$n-$account.md"
		note="$kind, $n people, $account: load average before $before, after $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "$note" >&2
		notes+=("$note")
		# One header for the whole table.
		if ! grep -q '^| scope' "$results"; then
			head -2 "$work/run-$kind-$n-$account.md" >>"$results"
		fi
		tail -n +3 "$work/run-$kind-$n-$account.md" >>"$results"
	done
	stop
	if [ "$kind" = postgres ] && [ -z "${KEEP:-}" ]; then
		dropdb --if-exists "$name"
	fi
done

{
	echo
	for note in "${notes[@]}"; do
		echo "- $note"
	done
} >>"$results"
cat "$results"
echo "results in $results" >&2
