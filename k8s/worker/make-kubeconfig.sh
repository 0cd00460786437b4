#!/usr/bin/env bash
# Writes a kubeconfig for the broker from the worker cluster's token Secret (k8s/worker).
# Usage: k8s/worker/make-kubeconfig.sh <kube-context-of-worker> <name> > remote.yaml
set -euo pipefail
ctx=${1:?kube context of the worker cluster}
name=${2:?name of the cluster in the kubeconfig}
ns=heliotrope-jobs
server=$(kubectl config view --raw -o jsonpath="{.clusters[?(@.name==\"$(kubectl config view --raw -o jsonpath="{.contexts[?(@.name==\"$ctx\")].context.cluster}")\")].cluster.server}")
ca=$(kubectl --context "$ctx" -n "$ns" get secret heliotrope-broker-token -o jsonpath='{.data.ca\.crt}')
token=$(kubectl --context "$ctx" -n "$ns" get secret heliotrope-broker-token -o jsonpath='{.data.token}' | base64 -d)
cat <<YAML
apiVersion: v1
kind: Config
clusters:
- name: $name
  cluster: {server: "$server", certificate-authority-data: "$ca"}
users:
- name: heliotrope-broker
  user: {token: "$token"}
contexts:
- name: $name
  context: {cluster: $name, user: heliotrope-broker, namespace: $ns}
current-context: $name
YAML
