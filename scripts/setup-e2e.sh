#!/usr/bin/env bash
# `npm run setup:e2e`: installs what the test suites need beyond `npm ci`, so that a following
# `npm test` runs every suite on a fresh Debian machine. `npm test` itself installs nothing.
#   Debian: chromium (end-to-end tests), ripgrep + libkrb5-dev (code-server), neovim (a second LSP client)
#   npm:    code-server 4.100.3 in .vscode-test/ (scripts/install-code-server.sh, from the npm registry)
#   Python: a venv in .vscode-test/pandas-venv with pandas and Pillow (the rich preview tests)
# As root it installs what is missing with apt-get; otherwise it says what to install. Whatever is
# still missing, the tests that need it say that they are skipped and why (under CI=true they fail).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in chromium ripgrep libkrb5-dev neovim; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup:e2e: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup:e2e: missing Debian packages: ${missing[*]} (sudo apt-get install -y ${missing[*]}); the suites that need them will say they are skipped" >&2
  fi
fi

if command -v rg >/dev/null 2>&1; then
  bash scripts/install-code-server.sh
else
  echo "setup:e2e: ripgrep is missing, so code-server is not installed; the end-to-end suite will say it is skipped" >&2
fi

# A Python with pandas and Pillow for the artifact-preview tests of data frames and images
# (the bundled runtime itself needs neither). Uses pip's configured package index; where a
# local mirror is configured as an extra index it becomes the only one, so pip does not spend
# minutes retrying an unreachable PyPI.
venv=".vscode-test/pandas-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import pandas, PIL" >/dev/null 2>&1; then
  rm -rf "$venv"
  mkdir -p .vscode-test
  index_args=()
  extra=$(python3 -m pip config get global.extra-index-url 2>/dev/null || true)
  if [ -n "$extra" ]; then
    read -r -a urls <<<"$extra"
    index_args+=(--index-url "${urls[0]}")
    for u in "${urls[@]:1}"; do index_args+=(--extra-index-url "$u"); done
  fi
  if python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "${index_args[@]}" pandas pillow >/dev/null 2>&1; then
    echo "setup:e2e: made $venv (pandas, Pillow) for the preview tests"
  else
    rm -rf "$venv"
    echo "setup:e2e: could not install pandas and Pillow into $venv; the data-frame and image preview test will say it is skipped" >&2
  fi
fi
