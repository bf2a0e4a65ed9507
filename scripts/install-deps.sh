#!/usr/bin/env bash
# Installs what building, running and testing the project needs beyond the Rust
# toolchain, Node.js + npm and python3. Idempotent: when everything is present
# it only checks, in a few seconds. One line per step.
#
#   - the wasm32-unknown-unknown rustup target
#   - trunk (TRUNK_VERSION below)
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
#     (wasm-bindgen for Trunk, wasm-bindgen-test-runner for the wasm tests)
#   - Debian packages: chromium, chromium-driver (for the wasm tests), socat
#   - npm packages of interop/ and tests/browser/
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
APT_PACKAGES=(chromium chromium-driver socat)
NPM_DIRS=(interop tests/browser)

step() { printf '[install-deps] %s\n' "$*"; }

# `cargo install` of an exact version; with the crate's own lockfile when that
# resolves, otherwise (a locked dependency version missing from the registry)
# with fresh resolution.
cargo_install() {
  local crate=$1 version=$2
  if ! cargo install --quiet "$crate" --version "$version" --locked; then
    step "$crate $version: --locked failed, retrying with fresh dependency resolution"
    cargo install --quiet "$crate" --version "$version"
  fi
}

# The version a tool prints as the second word of `TOOL --version`, or nothing.
tool_version() {
  command -v "$1" >/dev/null 2>&1 || return 0
  "$1" --version 2>/dev/null | awk 'NR == 1 { print $2 }'
}

# --- Rust target --------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rust target wasm32-unknown-unknown: present"
else
  step "rust target wasm32-unknown-unknown: adding"
  rustup target add wasm32-unknown-unknown
fi

# --- trunk --------------------------------------------------------------------
found=$(tool_version trunk)
if [ "$found" = "$TRUNK_VERSION" ]; then
  step "trunk $TRUNK_VERSION: present"
else
  step "trunk $TRUNK_VERSION: installing (found: ${found:-none}; takes several minutes)"
  cargo_install trunk "$TRUNK_VERSION"
fi

# --- wasm-bindgen-cli -----------------------------------------------------------
if [ ! -f Cargo.lock ]; then
  step "Cargo.lock: missing, generating it"
  cargo generate-lockfile --quiet
fi
bindgen_version=$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = / { name = $3 }
  /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  step "wasm-bindgen: not in Cargo.lock; is a browser app in the workspace?" >&2
  exit 1
fi
trunk_pin=$(sed -n 's/^wasm_bindgen *= *"\(.*\)"/\1/p' Trunk.toml)
if [ "$trunk_pin" != "$bindgen_version" ]; then
  step "Trunk.toml pins wasm_bindgen = \"$trunk_pin\" but Cargo.lock has $bindgen_version: make them equal" >&2
  exit 1
fi
# The crate installs both: wasm-bindgen (Trunk runs it) and
# wasm-bindgen-test-runner (scripts/test-wasm-client.sh runs it).
found=$(tool_version wasm-bindgen)
found_runner=$(tool_version wasm-bindgen-test-runner)
if [ "$found" = "$bindgen_version" ] && [ "$found_runner" = "$bindgen_version" ]; then
  step "wasm-bindgen-cli $bindgen_version: present"
else
  step "wasm-bindgen-cli $bindgen_version: installing (found: ${found:-none}; takes a few minutes)"
  cargo_install wasm-bindgen-cli "$bindgen_version"
fi

# --- Debian packages ---------------------------------------------------------------
missing=()
for package in "${APT_PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" != installed ]; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  step "apt packages ${APT_PACKAGES[*]}: present"
else
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  step "apt packages ${missing[*]}: installing"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- npm packages ---------------------------------------------------------------
for dir in "${NPM_DIRS[@]}"; do
  if [ ! -f "$dir/package.json" ]; then
    step "npm $dir: no package.json, skipped"
    continue
  fi
  lock="$dir/package-lock.json"
  # npm writes node_modules/.package-lock.json on every install.
  installed="$dir/node_modules/.package-lock.json"
  if [ -f "$installed" ] && { [ ! -f "$lock" ] || [ ! "$lock" -nt "$installed" ]; }; then
    step "npm $dir: up to date"
  elif [ -f "$lock" ]; then
    step "npm $dir: npm ci"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    step "npm $dir: npm install (no lockfile)"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
done

step "done"
