#!/usr/bin/env bash
# Installs the benchmark's peers outside Candor's workspace (alex pulls an older unified line
# that npm could hoist over the server's own): npm peers into bench/node_modules, ripgrep and
# (with --with-proselint) proselint from Debian.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/alex ] || [ ! -x node_modules/.bin/write-good ]; then
  npm install --no-audit --no-fund --no-package-lock --workspaces=false >/dev/null
fi
need=()
command -v rg >/dev/null || need+=(ripgrep)
[ -x /usr/bin/time ] || need+=(time)
if [ "${1:-}" = "--with-proselint" ]; then command -v proselint >/dev/null || need+=(python3-proselint); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "bench: please install: ${need[*]} (Debian packages)" >&2
  fi
fi
