//go:build tools

// Package tools pins the commands build.sh compiles from k8s.io/kubernetes, so `go mod tidy` keeps
// every dependency they need in go.mod and go.sum.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	_ "k8s.io/kubectl/pkg/cmd"
)
