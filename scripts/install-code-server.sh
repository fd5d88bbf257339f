#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest release that runs on Node 20) into
# .vscode-test/code-server for the end-to-end tests, without network access beyond the npm
# registry: its postinstall would download ripgrep from GitHub, so scripts are skipped and
# Debian's /usr/bin/rg is copied in instead.
#
# Idempotent: a finished install leaves a marker file and a second run returns at once.
# Needs Debian's ripgrep and libkrb5-dev (argon2/kerberos native builds); `npm run setup:e2e` installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

version="4.100.3"
dest=".vscode-test/code-server"
marker="$dest/.installed-$version"
if [ -f "$marker" ]; then
  echo "install-code-server: code-server $version already installed in $dest"
  exit 0
fi
if ! command -v rg >/dev/null 2>&1; then
  echo "install-code-server: ripgrep (rg) is missing: apt-get install -y ripgrep" >&2
  exit 1
fi

start=$(date +%s)
rm -rf "$dest"
mkdir -p "$dest"
cd "$dest"
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
echo '{"name":"flowlens-code-server","private":true}' > package.json
npm pack "code-server@$version" --silent >/dev/null
npm i "./code-server-$version.tgz" --ignore-scripts --no-save --silent
npm rebuild argon2 --silent
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --silent
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm rebuild --foreground-scripts >/dev/null
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --silent)
cd - >/dev/null
rm -f "code-server-$version.tgz"
touch ".installed-$version"
echo "install-code-server: installed code-server $version in $dest in $(( $(date +%s) - start )) s"
