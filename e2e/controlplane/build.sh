#!/usr/bin/env bash
# Builds the local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kubectl) from the Go
# wrapper modules next to this script, once, into a cache outside the repository, and lays out the folder that
# fabric8 kube-api-test reads. Idempotent: when the binaries for this version exist it only refreshes the links.
#
#   BPFWASM_CACHE        cache root (default ~/.cache/bpfwasm); binaries go to $BPFWASM_CACHE/k8s/<key>/
#   KUBE_API_TEST_DIR    kube-api-test's folder (default ~/.kubeapitest); gets k8s/<version>-linux-amd64/
#                        and $BPFWASM_CACHE/k8s/current links to the binaries of the pinned version
#   BPFWASM_GO_PARALLEL  go build -p (default 2); the first build takes tens of minutes on 2 cores
#
# Prints the directory holding the binaries on its last line of stdout.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KUBE_VERSION="1.34.4"
ETCD_VERSION="3.6.15"
# The cache key includes the go.sum hashes, so a changed dependency pin rebuilds instead of reusing stale binaries.
SUMS="$(cat "$HERE/kube/go.sum" "$HERE/etcd/go.sum" "$HERE/kube/go.mod" "$HERE/etcd/go.mod" | sha256sum | cut -c1-12)"
CACHE_ROOT="${BPFWASM_CACHE:-$HOME/.cache/bpfwasm}"
BIN_DIR="$CACHE_ROOT/k8s/v${KUBE_VERSION}-etcd${ETCD_VERSION}-${SUMS}"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
LAYOUT_DIR="$KUBE_API_TEST_DIR/k8s/${KUBE_VERSION}-linux-amd64"
BINARIES=(etcd kube-apiserver kube-controller-manager kubectl)

log() { echo "controlplane: $*" >&2; }

have_all() {
  local b
  for b in "${BINARIES[@]}"; do [[ -x "$BIN_DIR/$b" ]] || return 1; done
}

# Builds one command into $BIN_DIR atomically (temporary name, then rename) so an interrupted build never leaves a
# half-written binary that a later run would mistake for a finished one.
build_one() {
  local module="$1" pkg="$2" name="$3" ldflags="$4"
  if [[ -x "$BIN_DIR/$name" ]]; then return 0; fi
  log "building $name (from $pkg) ..."
  local start=$SECONDS
  (cd "$HERE/$module" && \
    CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -p "${BPFWASM_GO_PARALLEL:-2}" -trimpath \
      -ldflags "-s -w $ldflags" -o "$BIN_DIR/.$name.tmp" "$pkg")
  mv "$BIN_DIR/.$name.tmp" "$BIN_DIR/$name"
  log "built $name in $((SECONDS - start)) s"
}

require_go() {
  # Go >= 1.21 can fetch the toolchain go.mod asks for (1.24+) from the Go proxy by itself; Debian 12's golang-go (1.19)
  # cannot. /usr/local/go is where the official tarball installs.
  if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then PATH="/usr/local/go/bin:$PATH"; fi
  command -v go >/dev/null || { log "Go is not installed: install Go >= 1.21 (https://go.dev/dl, into /usr/local/go)"; exit 1; }
  go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
  if [[ ! "$go_minor" =~ ^[0-9]+$ ]] || (( go_minor < 21 )); then
    log "$(go env GOVERSION) is too old: Go >= 1.21 is needed (it fetches the 1.24+ toolchain Kubernetes needs)"
    exit 1
  fi
}

mkdir -p "$BIN_DIR"

if ! have_all; then
  require_go
  log "building the control plane into $BIN_DIR (first time only; expect 10-30 minutes on 2 cores)"
  total=$SECONDS
  kv="-X k8s.io/component-base/version.gitVersion=v${KUBE_VERSION}"
  kv+=" -X k8s.io/component-base/version.gitMajor=${KUBE_VERSION%%.*}"
  minor="${KUBE_VERSION#*.}"; kv+=" -X k8s.io/component-base/version.gitMinor=${minor%%.*}"
  kv+=" -X k8s.io/component-base/version.gitTreeState=clean"
  # kubectl reads its version from client-go's copy of the version package.
  kv+=" -X k8s.io/client-go/pkg/version.gitVersion=v${KUBE_VERSION}"
  kv+=" -X k8s.io/client-go/pkg/version.gitMajor=${KUBE_VERSION%%.*}"
  kv+=" -X k8s.io/client-go/pkg/version.gitMinor=${minor%%.*}"
  build_one etcd . etcd ""
  build_one kube k8s.io/kubernetes/cmd/kube-apiserver kube-apiserver "$kv"
  build_one kube k8s.io/kubernetes/cmd/kube-controller-manager kube-controller-manager "$kv"
  build_one kube k8s.io/kubernetes/cmd/kubectl kubectl "$kv"
  log "control plane built in $((SECONDS - total)) s"
fi

# A stable name for the binaries of the version this checkout pins; the Java test harness reads it.
ln -sfn "$BIN_DIR" "$CACHE_ROOT/k8s/current"

# kube-api-test looks for <dir>/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl} and downloads nothing when
# that folder exists; symlinks keep one copy of the binaries.
mkdir -p "$LAYOUT_DIR"
for b in "${BINARIES[@]}"; do ln -sfn "$BIN_DIR/$b" "$LAYOUT_DIR/$b"; done
log "ready: $LAYOUT_DIR"
echo "$BIN_DIR"
