#!/usr/bin/env bash
# Installs the helm CLI that the chart tests use, built from Go modules through the Go module proxy (no other
# registry serves a helm binary here), into a cache outside the repository. Idempotent: when the binary for the
# pinned version exists it only refreshes the "current" link.
#
#   BPFWASM_CACHE   cache root (default ~/.cache/bpfwasm); helm goes to $BPFWASM_CACHE/helm/<version>/helm
#   HELM_VERSION    the helm release to build (default below)
#
# Prints the path of the helm binary on its last line of stdout.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.19.0}"
CACHE_ROOT="${BPFWASM_CACHE:-$HOME/.cache/bpfwasm}"
DIR="$CACHE_ROOT/helm/$HELM_VERSION"
BINARY="$DIR/helm"

log() { echo "install-helm: $*" >&2; }

if [[ ! -x "$BINARY" ]]; then
  command -v go >/dev/null || { log "go is not installed (needed to build helm from the Go module proxy)"; exit 1; }
  mkdir -p "$DIR"
  log "building helm $HELM_VERSION into $DIR (first time only; a few minutes on 2 cores)"
  start=$SECONDS
  # go install writes to GOBIN; a temporary GOBIN then a rename keeps an interrupted build from leaving a
  # half-written binary that a later run would take for a finished one.
  tmp="$(mktemp -d "$DIR/.build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  # helm's Makefile stamps the Kubernetes version it assumes when no cluster is asked (helm template, helm lint)
  # from the client-go it builds with; without it that version is v1.20 and charts needing newer ones fail.
  gomod="$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  client_go="$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")"   # v0.MINOR.PATCH
  kube_minor="$(echo "$client_go" | cut -d. -f2)"
  [[ "$kube_minor" =~ ^[0-9]+$ ]] || { log "cannot read k8s.io/client-go's version from $gomod"; exit 1; }
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$kube_minor"
  done
  CGO_ENABLED=0 GOBIN="$tmp" nice -n 10 go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  mv "$tmp/helm" "$BINARY"
  log "built helm $HELM_VERSION in $((SECONDS - start)) s"
fi

ln -sfn "$HELM_VERSION" "$CACHE_ROOT/helm/current"
"$BINARY" version --short >&2
echo "$BINARY"
