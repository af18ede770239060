# Sourced by scripts/dev.sh and .ci/run: puts a Node.js >= 22 first on PATH. Uses the machine's
# node when it is already 22+, else installs node@22 from the npm registry into .ci/node22
# (the npm package ships a real Node binary).
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! node --version 2>/dev/null | grep -Eq '^v(2[2-9]|[3-9][0-9])\.'; then
  _dir="${AKS_BOOTSTRAP_NODE_DIR:-$_root/.ci/node22}"
  if ! "$_dir/node_modules/.bin/node" --version 2>/dev/null | grep -q '^v22\.'; then
    echo "Installing Node.js 22 from the npm registry into $_dir ..." >&2
    npm install --prefix "$_dir" --no-save --no-package-lock --no-audit --no-fund node@22 >/dev/null
  fi
  export PATH="$_dir/node_modules/.bin:$PATH"
fi
unset _root _dir
