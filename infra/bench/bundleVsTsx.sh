#!/bin/sh
# Is the production bundle slower at engine steps than the same sources through tsx, and is
# esbuild's keepNames (a __name() call on every class and function it names) the reason?
# Runs the engine benchmark N times in each of three forms, interleaved so that machine load hits
# them alike, and prints per form the median and the best of the runs' µs per step, wall-clock and
# CPU time (on a shared machine the CPU time is the steadier of the two), then each form's CPU time
# over tsx's in the same round:
#   bundle        node dist/bench.mjs engine                 (what `npm run bench` runs)
#   no-keep-names node dist/no-keep-names/bench.mjs engine   (the same bundle built with keepNames off)
#   tsx           npx tsx infra/bench/main.ts engine
#
#   sh infra/bench/bundleVsTsx.sh      BENCH_BUNDLE_RUNS=10 (runs per form)   BENCH_REPS=300 (engine batch size)
set -eu
cd "$(dirname "$0")/../.."
runs=${BENCH_BUNDLE_RUNS:-10}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

node infra/build.mjs --bench
node infra/build.mjs --bench --no-keep-names --outdir=dist/no-keep-names

# one engine run: "<form> <turns> <µs/step> <CPU µs/step> <round>" per conversation length
engine() {
  form=$1
  shift
  "$@" engine | awk -v form="$form" -v round="$i" '/^ +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9]+( |$)/ { print form, $1, $2, $3, round }' >>"$out"
}

i=1
while [ "$i" -le "$runs" ]; do
  # rotate the order each round: no form always runs first on a cold cache
  case $((i % 3)) in
    0) order="bundle no-keep-names tsx" ;;
    1) order="no-keep-names tsx bundle" ;;
    *) order="tsx bundle no-keep-names" ;;
  esac
  for form in $order; do
    case $form in
      bundle) engine bundle node dist/bench.mjs ;;
      no-keep-names) engine no-keep-names node dist/no-keep-names/bench.mjs ;;
      tsx) engine tsx npx tsx infra/bench/main.ts ;;
    esac
  done
  echo "round $i of $runs done" >&2
  i=$((i + 1))
done

for column in 3 4; do
  [ "$column" = 3 ] && what='wall-clock' || what='CPU'
  echo "engine $what µs per step, $runs interleaved runs per form (median / best of the runs' medians)"
  printf '%-14s %16s %16s %16s\n' form 'turn 1' 'turn 100' 'turn 1000'
  for form in bundle no-keep-names tsx; do
    line=$(printf '%-14s' "$form")
    for turns in 1 100 1000; do
      cell=$(awk -v form="$form" -v turns="$turns" -v c="$column" '$1 == form && $2 == turns { print $c }' "$out" | sort -n | awk '
        { x[NR] = $1 }
        END { m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; printf "%.1f / %.1f", m, x[1] }')
      line="$line $(printf '%16s' "$cell")"
    done
    echo "$line"
  done
done
# each form against tsx within the same round (paired: a busy spell hits both), CPU time
echo "engine CPU per step against tsx in the same round: median of the $runs rounds' ratios (lowest – highest)"
printf '%-14s %22s %22s %22s\n' form 'turn 1' 'turn 100' 'turn 1000'
for form in bundle no-keep-names; do
  line=$(printf '%-14s' "$form")
  for turns in 1 100 1000; do
    cell=$(awk -v form="$form" -v turns="$turns" '
      $2 == turns && $1 == "tsx" { t[$5] = $4 }
      $2 == turns && $1 == form { f[$5] = $4 }
      END { for (r in f) if (r in t && t[r] > 0) print f[r] / t[r] }' "$out" | sort -n | awk '
      { x[NR] = $1 }
      END { m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; printf "%.3f (%.2f – %.2f)", m, x[1], x[NR] }')
    line="$line $(printf '%22s' "$cell")"
  done
  echo "$line"
done
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
