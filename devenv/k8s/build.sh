#!/usr/bin/env bash
# Builds the member-cluster binaries from the Go module proxy into a cache outside the repo, keyed by version:
#   $CACHE/k8s-<v>/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}
#   $CACHE/etcd-<v>/bin/etcd
#   $CACHE/kwok-<v>/bin/{kwok,kwokctl}
# A component is rebuilt only when its bin/ directory is missing; bin/ is moved into place only after a full build, so an
# interrupted build never leaves a half-populated cache. Prints the bin directories as KEY=DIR lines on stdout.
set -euo pipefail

K8S_VERSION=${FLOTILLA_K8S_VERSION:-1.34.4}
ETCD_VERSION=${FLOTILLA_ETCD_VERSION:-3.6.16}
KWOK_VERSION=${FLOTILLA_KWOK_VERSION:-0.8.0}
CACHE=${FLOTILLA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flotilla}
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

log() { printf '[build-k8s] %s\n' "$*" >&2; }

# Serialise concurrent callers (two test projects starting at once) on one lock per cache.
mkdir -p "$CACHE"
exec 9>"$CACHE/.build.lock"
flock 9

build_k8s() {
  local dir="$CACHE/k8s-$K8S_VERSION" minor patch
  [ -x "$dir/bin/kube-apiserver" ] && return 0
  minor=$(cut -d. -f2 <<<"$K8S_VERSION"); patch=$(cut -d. -f3 <<<"$K8S_VERSION")
  log "building Kubernetes v$K8S_VERSION (cold build, several minutes)"
  rm -rf "$dir/wrap" "$dir/bin.tmp" && mkdir -p "$dir/wrap" "$dir/bin.tmp"
  cd "$dir/wrap"
  go mod init local/k8s-wrap >/dev/null 2>&1
  go mod edit -go=1.24.0 -godebug=default=go1.24
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  # The staging modules are read from upstream's go.mod rather than hard-coded: the list changes between minors.
  for m in $(sed -n 's|^[[:space:]]*\(k8s.io/[^ ]*\) => \./staging/.*|\1|p' "$gomod"); do
    go mod edit -replace="$m=$m@v0.$minor.$patch"
  done
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubectl) pkgs=()
  for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  go get -tool "${pkgs[@]/%/@v$K8S_VERSION}"
  # Without the version ldflags the binaries report v0.0.0 and kwokctl picks flags for the wrong release.
  local ld="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
  ld+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitVersion=v$K8S_VERSION"
  ld+=" -X k8s.io/component-base/version.gitTreeState=clean"
  go build -trimpath -ldflags "$ld" -o "$dir/bin.tmp/" "${pkgs[@]}"
  mv "$dir/bin.tmp" "$dir/bin"
}

build_etcd() {
  local dir="$CACHE/etcd-$ETCD_VERSION"
  [ -x "$dir/bin/etcd" ] && return 0
  log "building etcd v$ETCD_VERSION"
  # A module of its own, so minimal version selection cannot move Kubernetes' etcd client or grpc.
  rm -rf "$dir/wrap" "$dir/bin.tmp" && mkdir -p "$dir/wrap" "$dir/bin.tmp"
  cd "$dir/wrap"
  go mod init local/etcd-wrap >/dev/null 2>&1
  go get -tool "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$dir/bin.tmp/etcd" go.etcd.io/etcd/server/v3
  mv "$dir/bin.tmp" "$dir/bin"
}

# kwokctl drops its default node and pod stages as soon as a config brings a stage of its own (ours simulates an
# ingress load balancer), so the defaults are kept beside the binaries, taken from the same module version.
save_kwok_stages() {
  local dir="$CACHE/kwok-$KWOK_VERSION" src
  [ -f "$dir/stages/pod-ready.yaml" ] && return 0
  src=$(go mod download -json "sigs.k8s.io/kwok@v$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  rm -rf "$dir/stages.tmp" && mkdir -p "$dir/stages.tmp"
  cp "$src/kustomize/stage/node/fast/node-initialize.yaml" "$src/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
     "$src"/kustomize/stage/pod/fast/pod-{ready,complete,delete}.yaml "$dir/stages.tmp/"
  mv "$dir/stages.tmp" "$dir/stages"
}

build_kwok() {
  local dir="$CACHE/kwok-$KWOK_VERSION"
  [ -x "$dir/bin/kwokctl" ] && return 0
  log "building kwok v$KWOK_VERSION"
  rm -rf "$dir/bin.tmp" && mkdir -p "$dir/bin.tmp"
  GOBIN="$dir/bin.tmp" go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@v$KWOK_VERSION"
  mv "$dir/bin.tmp" "$dir/bin"
}

build_etcd
build_kwok
save_kwok_stages
build_k8s
echo "K8S_BIN=$CACHE/k8s-$K8S_VERSION/bin"
echo "ETCD_BIN=$CACHE/etcd-$ETCD_VERSION/bin"
echo "KWOK_BIN=$CACHE/kwok-$KWOK_VERSION/bin"
echo "KWOK_STAGES=$CACHE/kwok-$KWOK_VERSION/stages"
