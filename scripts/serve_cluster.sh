#!/usr/bin/env bash
# Serve the app from N Streamlit processes behind nginx (Debian's package) with sticky sessions.
#
#   scripts/serve_cluster.sh run   N [options] [-- streamlit flags]   # foreground; Ctrl-C stops all
#   scripts/serve_cluster.sh start N [options] [-- streamlit flags]   # background; prints URL, DIR, PIDS
#   scripts/serve_cluster.sh stop  DIR                                # stop what `start` started
#
# Options: --port P (nginx, default 8080; 0 = a free port), --app FILE (default app.py), --dir DIR (state dir,
# default a new /tmp/st-cluster.*), --listen ADDR (default 127.0.0.1; nginx's listen address).
#
# Each backend is `streamlit run` on its own loopback port with the production flags below (and
# whatever follows `--`). nginx:
#   - pins a browser to one backend with a cookie (`st_affinity`, a random id nginx sets on the
#     first response) hashed consistently over the backends: the websocket, the page, and the
#     `/media` downloads a session created all go to the process that holds the session;
#     removing a backend moves only that backend's share. Not ip_hash: a school's students
#     share one public address behind NAT and would all land on the same process.
#   - upgrades `/_stcore/stream` to a websocket and keeps it open for a day
#     (proxy_read_timeout; Streamlit pings every 30 s anyway), unbuffered;
#   - passes Host through (Streamlit checks the websocket's Origin against it);
#   - adds `X-Upstream` (the backend's address) to responses, for the load test only:
#     bench/load.py reads it to report the spread and check stickiness. The README's nginx
#     example is this configuration without it; leave it out of a public server.
# Every scenario lives in the URL, so nothing else is shared between processes. The backends
# share one cookie secret (XSRF tokens then validate on any of them).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"  # PYTHON: another interpreter with the requirements (the tests pass theirs)
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"

# Production settings for every backend (see bench/LOAD.md for what each is worth).
PROD_FLAGS=(
  --server.headless true
  --server.fileWatcherType none
  --server.runOnSave false
  --runner.postScriptGC false
  --client.toolbarMode viewer
  --client.showErrorDetails none
  --server.enableXsrfProtection true
  --browser.gatherUsageStats false
)

usage() { sed -n '2,9p' "$0" >&2; exit 2; }

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_healthy() {  # url timeout_s
  local i
  for i in $(seq 1 $(( $2 * 5 ))); do
    if "$PY" - "$1" <<'EOF' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=1).read()
EOF
    sleep 0.2
  done
  echo "error: $1 not healthy after $2 s" >&2
  return 1
}

stop_dir() {
  local dir="$1" pid
  [ -d "$dir" ] || { echo "error: no such dir $dir" >&2; return 1; }
  if [ -f "$dir/nginx.pid" ]; then
    kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  fi
  if [ -f "$dir/backends.pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$dir/backends.pids"
    sleep 1
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$dir/backends.pids"
  fi
  rm -f "$dir/backends.pids" "$dir/backends.addrs" "$dir/nginx.pid"
  echo "stopped $dir"
}

start_cluster() {
  local n="$1"; shift
  local port=8080 app="app.py" dir="" listen="127.0.0.1" extra=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --app) app="$2"; shift 2 ;;
      --dir) dir="$2"; shift 2 ;;
      --listen) listen="$2"; shift 2 ;;
      --) shift; extra=("$@"); break ;;
      *) usage ;;
    esac
  done
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage
  if [ "$port" = 0 ] || [ "$port" = auto ]; then port="$(free_port)"; fi
  [ -x "$NGINX" ] || { echo "error: nginx not found (apt-get install nginx)" >&2; exit 1; }
  dir="${dir:-$(mktemp -d /tmp/st-cluster.XXXXXX)}"
  mkdir -p "$dir"/tmp
  : > "$dir/backends.pids"
  : > "$dir/backends.addrs"
  local secret
  secret="$("$PY" -c 'import secrets; print(secrets.token_hex(32))')"

  local servers="" i bport
  for i in $(seq 1 "$n"); do
    bport="$(free_port)"
    (cd "$ROOT" && STREAMLIT_SERVER_COOKIE_SECRET="$secret" exec "$PY" -m streamlit run "$app" \
        --server.address 127.0.0.1 --server.port "$bport" "${PROD_FLAGS[@]}" "${extra[@]}" \
        > "$dir/backend-$i.log" 2>&1) &
    echo $! >> "$dir/backends.pids"
    servers+="    server 127.0.0.1:$bport max_fails=3 fail_timeout=10s;"$'\n'
    echo "127.0.0.1:$bport" >> "$dir/backends.addrs"
  done
  while read -r a; do wait_healthy "http://$a/_stcore/health" 60; done < "$dir/backends.addrs"

  # nginx workers: one per core is nginx's default; here they share the cores with the
  # backends, and one worker carries a classroom's websockets with room to spare.
  cat > "$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;

  # WebSocket upgrade; plain requests keep the upstream keepalive connection.
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  # Session affinity: the browser's st_affinity cookie, or (first visit) this request's id,
  # which the response then sets as the cookie.
  map \$cookie_st_affinity \$st_affinity { '' \$request_id; default \$cookie_st_affinity; }
  map \$cookie_st_affinity \$st_set_affinity { '' "st_affinity=\$request_id; Path=/; HttpOnly; SameSite=Lax"; default ''; }

  upstream streamlit {
    hash \$st_affinity consistent;
$servers    keepalive 16;
  }

  server {
    listen $listen:$port;
    location / {
      proxy_pass http://streamlit;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_read_timeout 1d;
      proxy_send_timeout 1d;
      proxy_buffering off;
      add_header Set-Cookie \$st_set_affinity always;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
EOF
  if [ "$(id -u)" = 0 ]; then
    # nginx's workers drop to `nobody`: let them use the temp dirs.
    chmod 755 "$dir"; chown -R nobody "$dir/tmp" 2>/dev/null || chmod -R 777 "$dir/tmp"
  fi
  "$NGINX" -t -q -e "$dir/error.log" -c "$dir/nginx.conf" -p "$dir"
  "$NGINX" -e "$dir/error.log" -c "$dir/nginx.conf" -p "$dir"
  wait_healthy "http://127.0.0.1:$port/_stcore/health" 20
  echo "URL http://$listen:$port"
  echo "DIR $dir"
  echo "PIDS $(paste -sd, "$dir/backends.pids")"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start)
    [ $# -ge 1 ] || usage
    start_cluster "$@"
    ;;
  run)
    [ $# -ge 1 ] || usage
    out="$(start_cluster "$@")"
    echo "$out"
    dir="$(echo "$out" | sed -n 's/^DIR //p')"
    trap 'stop_dir "$dir"; exit 0' INT TERM
    echo "serving; Ctrl-C stops"
    while :; do sleep 3600 & wait $!; done  # `wait` returns at once on a signal; a plain sleep would not
    ;;
  stop)
    [ $# -eq 1 ] || usage
    stop_dir "$1"
    ;;
  *) usage ;;
esac
