# Shared set-up for .ci/site, .ci/test and .ci/run: sourced, not run.
# Creates .venv (once) and installs claimline with its test dependencies into it;
# reinstalls only when pyproject.toml changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.claimline-installed"
  local want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> installing claimline and its dependencies into .venv"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[test]"
    echo "$want" > "$stamp"
  fi
}

# Browser tests drive Debian's Chromium through Playwright (Playwright's own browser download cannot
# work here) and run axe-core from npm inside the page.
AXE_VERSION="4.14.1"
AXE_DIR="$VENV/axe"

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  if [ "$(id -u)" != "0" ]; then
    echo "!! /usr/bin/chromium is missing and this is not root: the browser tests will be skipped." >&2
    echo "!! Install Debian's chromium package (apt-get install chromium) to run them." >&2
    return 0
  fi
  echo "==> installing Debian's chromium for the browser tests"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

ensure_axe() {
  if [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then return; fi
  echo "==> installing axe-core $AXE_VERSION from npm for the accessibility tests"
  mkdir -p "$AXE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@$AXE_VERSION" >/dev/null
}
