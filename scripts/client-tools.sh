#!/usr/bin/env bash
# Optional: installs the third-party Azure clients the sandbox is tested against (the Azure CLI,
# the Azure SDK for Python, the Python azure-devops client) from Debian's packages. Tests that need
# them skip themselves, with the reason, where they are missing; this script only makes them run.
# Best effort: it never fails the caller, and it does nothing when the clients are already there.
set -uo pipefail
if command -v az >/dev/null 2>&1 && /usr/bin/python3 -c 'import azure.identity, azure.mgmt.resource, azext_devops' 2>/dev/null; then
  echo "client tools: az and the Python SDK are installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "client tools: no apt-get here; the az / Python SDK tests will skip"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "client tools: not root and no sudo; the az / Python SDK tests will skip"
    exit 0
  fi
fi
echo "client tools: installing azure-cli, python3-azure, python3-azext-devops from Debian"
export DEBIAN_FRONTEND=noninteractive
if timeout 900 $SUDO apt-get update -qq >/dev/null 2>&1 &&
  timeout 900 $SUDO apt-get install -y -qq azure-cli python3-azure python3-azext-devops >/dev/null 2>&1; then
  echo "client tools: installed"
else
  echo "client tools: install failed; the az / Python SDK tests will skip"
fi
exit 0
