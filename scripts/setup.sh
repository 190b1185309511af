#!/usr/bin/env bash
# Installs what posestream needs on a fresh Debian machine (JDK 17, Maven, Node.js; the npm packages the tests
# use) and nothing that is already there. Safe to run again: each step checks first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

# npm projects: installed from their lock files, again only when the lock changed.
for project in schemas/src/test/node; do
  dir="$root/$project"
  stamp="$dir/node_modules/.posestream-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: npm ci in $project" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
    cp "$dir/package-lock.json" "$stamp"
  fi
done
