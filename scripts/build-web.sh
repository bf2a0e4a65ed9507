#!/usr/bin/env bash
# Builds the web front ends into dist/ (release):
#   dist/index.html   the landing page (index.html, static)
#   dist/my-home/     My Home        (my-home-wasm/, built by Trunk)
#   dist/wattt/       Wattt Insights (wattt-wasm/, built by Trunk)
#
# PUBLIC_BASE (default "/") is the URL path at which dist/ will be served.
# Needs the tools of scripts/install-deps.sh; Trunk runs offline (Trunk.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

PUBLIC_BASE=${PUBLIC_BASE:-/}
case $PUBLIC_BASE in */) ;; *) PUBLIC_BASE="$PUBLIC_BASE/" ;; esac
STAGE=target/web
# app directory in dist/ -> crate directory
APPS=("my-home:my-home-wasm" "wattt:wattt-wasm")

# Trunk runs cargo with --offline (Trunk.toml): fetch first, so a fresh
# checkout or a new dependency still builds.
echo "[build-web] cargo fetch"
cargo fetch --quiet

export TRUNK_SKIP_VERSION_CHECK=true
# Each app builds into its own stage directory (Trunk empties its --dist), and
# dist/ is only replaced once every build has succeeded.
for app in "${APPS[@]}"; do
  name=${app%%:*}
  crate=${app#*:}
  echo "[build-web] trunk build $crate -> dist/$name/ (public URL ${PUBLIC_BASE}$name/)"
  trunk --quiet build --release=true "$crate/index.html" \
    --dist "$STAGE/$name" --public-url "${PUBLIC_BASE}$name/"
done

# The landing page is plain HTML. Trunk cannot take it as a target: next to a
# Cargo.toml it expects a crate, and the root one is the workspace's.
rm -rf dist
mkdir -p dist
cp index.html dist/index.html
for app in "${APPS[@]}"; do
  name=${app%%:*}
  cp -R "$STAGE/$name" "dist/$name"
done
echo "[build-web] dist/ ready: index.html ${APPS[*]%%:*}"
