#!/usr/bin/env bash
# `make run`: the API pod's two servers on this machine, as the chart runs them minus TLS.
#
#   edge     http://127.0.0.1:$PORT        (default 8080; what you call)
#   gunicorn http://127.0.0.1:$API_PORT    (default PORT+1; only the edge calls it)
#   gateway  http://127.0.0.1:$GATEWAY_PORT (default PORT+2), only when DEEPSEEK_OLLAMA_URL is set
#
# Identity comes from X-Remote-User as ks-apiserver sends it (no caller verification: there is no
# ks-apiserver here). With DEEPSEEK_OLLAMA_URL=http://host:11434 a local model gateway runs in front
# of that ollama with a throw-away console key, so POST .../chat/completions streams as the named user,
# metered as user:<name> by the gateway, exactly the in-cluster path (docs/api.md, "Local run").
set -euo pipefail
PORT=${PORT:-8080}
API_PORT=${API_PORT:-$((PORT + 1))}
GATEWAY_PORT=${GATEWAY_PORT:-$((PORT + 2))}
BIN=${BIN:-.venv/bin}
work=$(mktemp -d "${TMPDIR:-/tmp}/deepseek-run.XXXXXX")
pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT INT TERM

wait_for() {  # URL: until it answers 200 (the edge must not answer for a gunicorn still booting)
  "$BIN/python" - "$1" <<'PY'
import sys, time, urllib.request
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(f"{sys.argv[1]} did not answer within 60 s")
PY
}

DEEPSEEK_BIND=127.0.0.1:$API_PORT "$BIN/gunicorn" --config backend/gunicorn.conf.py 'deepseek_ext.api:create_app()' &
pids+=($!)
wait_for "http://127.0.0.1:$API_PORT/readyz"

edge_args=(--listen "127.0.0.1:$PORT" --upstream "http://127.0.0.1:$API_PORT" --no-verify-caller)
if [[ -n "${DEEPSEEK_OLLAMA_URL:-}" ]]; then
  key=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))')
  printf 'console: %s\n' "$key" > "$work/keys.yaml"
  printf '%s\n' "$key" > "$work/console-key"
  gateway_args=(--listen "127.0.0.1:$GATEWAY_PORT" --ollama-url "$DEEPSEEK_OLLAMA_URL" --keys-file "$work/keys.yaml")
  if "$BIN/deepseek-ext" gateway --help | grep -q -- --trusted-proxy-keys; then
    gateway_args+=(--trusted-proxy-keys console)
  fi
  "$BIN/deepseek-ext" gateway "${gateway_args[@]}" &
  pids+=($!)
  edge_args+=(--gateway-url "http://127.0.0.1:$GATEWAY_PORT" --gateway-console-key-file "$work/console-key")
  echo "make run: chat goes through a local gateway to $DEEPSEEK_OLLAMA_URL"
fi
"$BIN/deepseek-ext" edge "${edge_args[@]}" &
pids+=($!)
wait -n
