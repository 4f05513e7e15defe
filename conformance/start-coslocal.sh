# Sourced by the conformance runners (run.sh of each suite). start_coslocal <seed file> starts a fresh
# coslocal from this tree on a random loopback port, with its data in a new temporary directory, and waits
# until it listens; it sets `work` (that directory), `port` and `server` (its pid). On exit the server and
# the pids a runner adds to `also_stop` are stopped, and the directory is removed.
start_coslocal() {
  local repo
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  work=$(mktemp -d)
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  (cd "$repo" && exec node --import tsx src/cli.ts serve --port "$port" --data-dir "$work/data" --seed "$1") >"$work/server.log" 2>&1 &
  server=$!
  also_stop=
  trap 'kill $server $also_stop 2>/dev/null; wait $server $also_stop 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 100); do
    grep -q 'listening' "$work/server.log" && break
    sleep 0.2
  done
}
