#!/usr/bin/env bash
# Installs what posestream needs on a fresh Debian machine and nothing that is already there:
# Debian packages (JDK 17, Maven, Node.js, and what each module's runtime or tests need) and the pinned
# npm projects. Safe to run again: each step checks first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# One line per need, so each module adds its own without touching the others'. "package:command" means
# the command being on PATH (installed some other way) is good enough.
apt_packages=(
  openjdk-17-jdk-headless:javac   # build and run
  maven:mvn                       # build
  nodejs:node npm:npm             # conformance tests against Confluent's JS client
  opencv-doc                      # ingest: sample video vtest.avi for the sample camera and tests
  ffmpeg                          # ingest: ffprobe/ffmpeg for bench ingest and test media
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp   # ingest: sample RTSP camera (GStreamer)
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  python3-torch python3-numpy      # models: PyTorch reference HRNet for the golden test (/usr/bin/python3)
  chromium                        # dashboard: the browser test drives Debian's chromium (playwright-core)
  docker-compose                  # deploy: the test suite validates docker-compose.yml with `docker-compose config`
)

missing=()
for entry in "${apt_packages[@]}"; do
  pkg="${entry%%:*}"; cmd="${entry#*:}"
  [ "$cmd" != "$entry" ] && command -v "$cmd" >/dev/null 2>&1 && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm projects: installed from their lock files, again only when the lock changed.
npm_projects=(
  schemas/src/test/node
  models/src/test/node            # models: pure-JS @tensorflow/tfjs for the TFJS importer's golden tests
  dashboard/src/test/node         # dashboard: playwright-core for the browser test
  app/src/test/strimzi            # deploy: Strimzi's CRD schemas (kubernetes-models) for the connect overlay's test
)
for project in "${npm_projects[@]}"; do
  dir="$root/$project"
  stamp="$dir/node_modules/.posestream-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "setup: npm ci in $project" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
    cp "$dir/package-lock.json" "$stamp"
  fi
done
