#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing: Chromium, which opens
# the backtest tearsheet in the browser test, and the servers the messaging and store tests start
# on loopback ports of their own (redis-server, rabbitmq-server, PostgreSQL). Runs apt-get only as
# root; otherwise it says what is missing and the tests that need it fail with a message.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing+=(redis-server redis-tools)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || command -v rabbitmq-server >/dev/null ||
  missing+=(rabbitmq-server)
# Debian's server binaries only: an initdb elsewhere on PATH may come without a server.
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "missing Debian packages: ${missing[*]} (install them as root with apt-get)" >&2
    exit 0
  fi
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The packages' own services are not wanted: the tests start servers of their own.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi

# As root, PostgreSQL's initdb and server run as the `postgres` system user the package creates.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
