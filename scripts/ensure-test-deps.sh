#!/usr/bin/env bash
# Makes sure what the test suites need beyond npm is on the machine, so that `npm test` alone
# runs every suite on a fresh Debian machine:
#   Debian: chromium (end-to-end tests), ripgrep + libkrb5-dev (code-server), neovim (a second LSP client)
#   npm:    code-server 4.100.3 in .vscode-test/ (scripts/install-code-server.sh, offline from the registry)
# As root it installs what is missing with apt-get; otherwise it says what to install, and the
# suites that need a missing tool say that they are skipped (under CI=true they fail instead).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in chromium ripgrep libkrb5-dev neovim; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-deps: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "ensure-test-deps: missing Debian packages: ${missing[*]} (sudo apt-get install -y ${missing[*]}); the suites that need them will say they are skipped" >&2
  fi
fi

if command -v rg >/dev/null 2>&1; then
  bash scripts/install-code-server.sh
else
  echo "ensure-test-deps: ripgrep is missing, so code-server is not installed; the end-to-end suite will say it is skipped" >&2
fi
