#!/usr/bin/env bash
# Builds the local testbed's binaries from Go modules (docs: shared/design/TESTBED.md §2, docs/testbed.md).
#
#   bash tools/build.sh                    build every tool (prints `cached` for the ones already built)
#   bash tools/build.sh pin <tool> [ver]   regenerate tools/<tool>/go.mod+go.sum (review, then commit)
#
# Each tool is built from its wrapper module tools/<name>/ (go.mod + go.sum hold the pin) into
# <cache>/<name>@<version>/, via a temporary directory that is renamed into place; the stamp is written
# last, so an interrupted run leaves nothing half-done. <cache>/testbed.json is written at the very end.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/tools"
CACHE=${KUSION_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kusion-testbed}
EXTRAS=",${KUSION_TESTBED_EXTRAS:-},"

# ---- pins ------------------------------------------------------------------------------------------
K8S_VERSION=v1.36.3
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.8.0
TOFU_VERSION=v1.12.6
TOFU_HCL_REPLACE='github.com/hashicorp/hcl/v2@v2.20.1=github.com/opentofu/hcl/v2@v2.20.2-0.20251021132045-587d123c2828'
VERSITYGW_VERSION=v1.7.0
OPA_VERSION=v1.22.2
# Fallback provider (§2.5): the random/null/local commits are not served by the module proxy.
KUSIONTEST_VERSION=0.1.0
PROVIDER_HOST=kusion.test
PROVIDER_NAMESPACE=kusion

KWOK_STAGES=(
  kustomize/stage/node/fast/node-initialize.yaml
  kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
  kustomize/stage/pod/fast/pod-ready.yaml
  kustomize/stage/pod/fast/pod-complete.yaml
  kustomize/stage/pod/fast/pod-delete.yaml
)

log() { printf 'testbed: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- pin mode --------------------------------------------------------------------------------------
pin_tool() {
  local tool=$1 ver=${2:-}
  export GOFLAGS= GOTOOLCHAIN=local
  local dir="$TOOLS/$tool"
  mkdir -p "$dir"
  cd "$dir"
  case $tool in
    kubernetes)
      local k=${ver:-$K8S_VERSION}
      local s=v0.${k#v1.}
      rm -f go.mod go.sum && go mod init "kusion.invalid/testbed/kubernetes"
      local gomod
      gomod=$(go mod download -json "k8s.io/kubernetes@$k" | node -p 'JSON.parse(require("fs").readFileSync(0,"utf8")).GoMod')
      local m
      for m in $(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print $1 }' "$gomod" | sort -u); do
        go mod edit -replace="$m=$m@$s"
      done
      go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$k" "k8s.io/kubernetes/cmd/kube-controller-manager@$k" \
        "k8s.io/kubernetes/cmd/kube-scheduler@$k" "k8s.io/kubernetes/cmd/kubectl@$k"
      ;;
    etcd) rm -f go.mod go.sum && go mod init kusion.invalid/testbed/etcd && go get -tool "go.etcd.io/etcd/server/v3@${ver:-$ETCD_VERSION}" ;;
    kwok) rm -f go.mod go.sum && go mod init kusion.invalid/testbed/kwok && go get -tool "sigs.k8s.io/kwok/cmd/kwok@${ver:-$KWOK_VERSION}" ;;
    opentofu)
      rm -f go.mod go.sum && go mod init kusion.invalid/testbed/opentofu
      go mod edit -replace="$TOFU_HCL_REPLACE"
      go get -tool "github.com/opentofu/opentofu/cmd/tofu@${ver:-$TOFU_VERSION}"
      ;;
    versitygw) rm -f go.mod go.sum && go mod init kusion.invalid/testbed/versitygw && go get -tool "github.com/versity/versitygw/cmd/versitygw@${ver:-$VERSITYGW_VERSION}" ;;
    opa) rm -f go.mod go.sum && go mod init kusion.invalid/testbed/opa && go get -tool "github.com/open-policy-agent/opa@${ver:-$OPA_VERSION}" ;;
    tf-provider-kusiontest) ;; # holds its own source; its go.mod is edited by hand
    *) die "pin: unknown tool '$tool' (kubernetes, etcd, kwok, opentofu, versitygw, opa, tf-provider-kusiontest)" ;;
  esac
  go mod tidy
  log "pinned $tool; review tools/$tool/go.mod and go.sum, then commit them"
}

if [[ ${1:-} == pin ]]; then
  [[ -n ${2:-} ]] || die "usage: tools/build.sh pin <tool> [version]"
  pin_tool "$2" "${3:-}"
  exit 0
fi
[[ $# -eq 0 ]] || die "usage: tools/build.sh [pin <tool> [version]]"

# ---- prerequisites ---------------------------------------------------------------------------------
missing=()
for c in go node openssl flock sha256sum; do command -v "$c" >/dev/null || missing+=("$c"); done
((${#missing[@]} == 0)) || die "missing prerequisites: ${missing[*]} (install them first)"
mkdir -p "$CACHE"
free_kb=$(df -Pk "$CACHE" | awk 'NR==2 { print $4 }')
if ((free_kb < 10 * 1024 * 1024)) && [[ ! -f $CACHE/testbed.json ]]; then
  die "less than 10 GB free under $CACHE ($((free_kb / 1024 / 1024)) GB): the cold build needs 3-6 GB of Go build cache plus modules"
fi

export CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath" GOTOOLCHAIN=local
GO_VERSION=$(go version)
GNU_TIME=
if [[ -x /usr/bin/time ]] && /usr/bin/time --version 2>&1 | grep -q GNU; then GNU_TIME=/usr/bin/time; fi

exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "waiting for another build holding $CACHE/.lock"
  flock 9
fi

# ---- helpers ---------------------------------------------------------------------------------------
fmt_secs() { local s=$1; if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi; }
fmt_kb() { awk -v k="$1" 'BEGIN { if (k >= 1048576) printf "%.1f GB", k / 1048576; else printf "%d MB", k / 1024 }'; }

# stamp <wrapper dir> <recipe>: sha256 of what decides the output.
stamp_of() {
  local dir=$1 recipe=$2
  {
    (cd "$dir" && find . -type f ! -name '*.md' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    printf '%s\n%s\nCGO_ENABLED=%s GOFLAGS=%s\n%s\n' "$GO_VERSION" "$recipe" "$CGO_ENABLED" "$GOFLAGS" "$(uname -m)"
  } | sha256sum | cut -d' ' -f1
}

hint_for() {
  local logf=$1
  if grep -qE 'not available|unknown revision|invalid version|no matching versions|404 Not Found|403 Forbidden' "$logf"; then
    echo "a module or version is not served by the Go module proxy: see TESTBED.md §2.5 (fallbacks)"
  elif grep -qE 'requires go >=|go: .*requires go|toolchain not available' "$logf"; then
    echo "the pin needs a newer Go than $(go env GOVERSION): see TESTBED.md §2.6 (prefer the previous pin)"
  elif grep -qi 'no space left' "$logf"; then
    echo "the disk is full: free space (Go build cache: go clean -cache; this cache: $CACHE)"
  elif grep -qE 'signal: killed|out of memory|cannot allocate memory' "$logf"; then
    echo "the build ran out of memory: close other programs, or build with GOMAXPROCS=1"
  else
    echo "see the log above"
  fi
}

# Measured cold figures (docs/testbed.md), shown while building.
declare -A COLD_HINT=([kubernetes]='15-35 min' [opentofu]='8-30 min' [opa]='5-10 min' [etcd]='2-10 min')
TOTAL=0
STEP=0
declare -a TOOL_LIST=(opentofu tf-provider-kusiontest versitygw opa etcd kwok kubernetes)
TOTAL=${#TOOL_LIST[@]}

# run_tool <name> <version> <wrapper> <recipe> <verify-fn> <build-fn> <install-fn>
#   build-fn TMP LOG builds into $TMP; verify-fn DIR checks the version of what is in DIR (cached or new);
#   install-fn TMP DEST moves the result into place (default: rename TMP to DEST).
run_tool() {
  local name=$1 version=$2 wrapper=$3 recipe=$4 verify=$5 build=$6 install=${7:-}
  STEP=$((STEP + 1))
  local label
  label="[$STEP/$TOTAL] $name $version "
  while ((${#label} < 44)); do label+=.; done
  local dest="$CACHE/$name@$version"
  local stamp t_check=${EPOCHREALTIME/,/.}
  stamp=$(stamp_of "$wrapper" "$recipe")
  if [[ -f $dest/.stamp && $(cat "$dest/.stamp") == "$stamp" ]] && "$verify" "$dest" >/dev/null 2>&1; then
    log "$label cached ($(awk -v a="$t_check" -v b="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.1f s", b - a }'))"
    return 0
  fi
  local tmp
  tmp=$(mktemp -d "$CACHE/.tmp-$name.XXXXXX")
  local logf="$tmp/build.log"
  log "$label building (${COLD_HINT[$name]:+cold: ${COLD_HINT[$name]} on 2 cores; }log: $dest/build.log)"
  local t0=$SECONDS rc=0
  (cd "$wrapper" && "$build" "$tmp" "$logf") >>"$logf" 2>&1 || rc=$?
  if ((rc == 0)); then "$verify" "$tmp" >>"$logf" 2>&1 || rc=$?; fi
  local secs=$((SECONDS - t0))
  if ((rc != 0)); then
    mkdir -p "$dest" && cp "$logf" "$dest/build.log"
    log "$label FAILED: $name $version, exit status $rc after $(fmt_secs "$secs"); last 30 lines of $dest/build.log:"
    tail -n 30 "$logf" | sed 's/^/    /' >&2
    log "hint: $(hint_for "$logf")"
    rm -rf "$tmp"
    exit "$rc"
  fi
  local rss=
  if [[ -f $tmp/.maxrss ]]; then rss=", peak RSS $(fmt_kb "$(sort -n "$tmp/.maxrss" | tail -n 1)")"; rm -f "$tmp/.maxrss"; fi
  rm -f "$dest/.stamp"
  if [[ -n $install ]]; then "$install" "$tmp" "$dest"; else rm -rf "$dest" && mv "$tmp" "$dest"; fi
  printf '%s\n' "$stamp" >"$dest/.stamp"
  log "$label built in $(fmt_secs "$secs")$rss"
}

# gobuild TMP ARGS...: `go build` under GNU time when available, recording the peak RSS in TMP/.maxrss.
gobuild() {
  local tmp=$1
  shift
  if [[ -n $GNU_TIME ]]; then
    "$GNU_TIME" -f '%M' -a -o "$tmp/.maxrss" go build "$@"
  else
    go build "$@"
  fi
}

k8s_ldflags() {
  local k=$K8S_VERSION minor=${K8S_VERSION#v1.}
  minor=${minor%%.*}
  local ldf="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=$k -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  printf '%s' "$ldf"
}

# ---- recipes ---------------------------------------------------------------------------------------
build_etcd() { mkdir -p "$1/bin" && gobuild "$1" -ldflags '-s -w' -o "$1/bin/etcd" go.etcd.io/etcd/server/v3; }
verify_etcd() { "$1/bin/etcd" --version | grep -F "etcd Version: ${ETCD_VERSION#v}"; }

build_kubernetes() {
  mkdir -p "$1/bin" && gobuild "$1" -ldflags "$(k8s_ldflags)" -o "$1/bin/" k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}
verify_kubernetes() {
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    "$1/bin/$b" --version | grep -Fx "Kubernetes $K8S_VERSION"
  done
  "$1/bin/kubectl" version --client | grep -F "Client Version: $K8S_VERSION"
}

build_kwok() {
  mkdir -p "$1/bin" "$1/stages"
  gobuild "$1" -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" -o "$1/bin/kwok" sigs.k8s.io/kwok/cmd/kwok
  local src f
  src=$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
  for f in "${KWOK_STAGES[@]}"; do cp "$src/$f" "$1/stages/" && chmod 644 "$1/stages/$(basename "$f")"; done
}
verify_kwok() {
  "$1/bin/kwok" --version | grep -F "${KWOK_VERSION#v}"
  local f
  for f in "${KWOK_STAGES[@]}"; do [[ -s $1/stages/$(basename "$f") ]]; done
}

# Without version.dev=no the binary calls itself v1.12.6-dev (the upstream release build sets it the same way).
TOFU_LDFLAGS='-s -w -X github.com/opentofu/opentofu/version.dev=no'
build_opentofu() { mkdir -p "$1/bin" && gobuild "$1" -ldflags "$TOFU_LDFLAGS" -o "$1/bin/tofu" github.com/opentofu/opentofu/cmd/tofu; }
# Run with no CLI configuration: a TF_CLI_CONFIG_FILE in the caller's environment must not affect the check.
verify_opentofu() {
  env -u TF_CLI_CONFIG_FILE -u TOFU_CLI_CONFIG_FILE HOME="$1" "$1/bin/tofu" version | grep -Fx "OpenTofu $TOFU_VERSION"
}

build_versitygw() {
  mkdir -p "$1/bin" && gobuild "$1" -ldflags "-s -w -X main.Version=$VERSITYGW_VERSION" -o "$1/bin/versitygw" \
    github.com/versity/versitygw/cmd/versitygw
}
verify_versitygw() { "$1/bin/versitygw" --version | grep -F "$VERSITYGW_VERSION"; }

build_opa() { mkdir -p "$1/bin" && gobuild "$1" -ldflags '-s -w' -o "$1/bin/opa" github.com/open-policy-agent/opa; }
verify_opa() { "$1/bin/opa" version | grep -Fx "Version: ${OPA_VERSION#v}"; }

MIRROR="$CACHE/providers/mirror"
KUSIONTEST_REL="$PROVIDER_HOST/$PROVIDER_NAMESPACE/kusiontest/$KUSIONTEST_VERSION/linux_amd64/terraform-provider-kusiontest_v$KUSIONTEST_VERSION"
build_kusiontest() {
  mkdir -p "$1/bin" && gobuild "$1" -ldflags "-s -w -X main.version=$KUSIONTEST_VERSION" -o "$1/bin/terraform-provider-kusiontest" .
}
verify_kusiontest() {
  local b="$1/bin/terraform-provider-kusiontest"
  [[ -x $b ]] || return 1
  # A plugin run by hand says it is a plugin and exits 1: proof enough that the binary starts.
  "$b" 2>&1 | grep -qi plugin
  if [[ $1 == "$CACHE"/tf-provider-kusiontest@* ]]; then cmp -s "$b" "$MIRROR/$KUSIONTEST_REL"; fi
}
install_kusiontest() {
  local tmp=$1 dest=$2
  rm -rf "$dest" && mv "$tmp" "$dest"
  mkdir -p "$(dirname "$MIRROR/$KUSIONTEST_REL")"
  cp "$dest/bin/terraform-provider-kusiontest" "$MIRROR/$KUSIONTEST_REL.tmp"
  mv -f "$MIRROR/$KUSIONTEST_REL.tmp" "$MIRROR/$KUSIONTEST_REL"
}

# ---- build -----------------------------------------------------------------------------------------
T_START=$SECONDS
rm -rf "$CACHE"/.tmp-* # leftovers of an interrupted run (we hold the lock)
# Quick tools first, so that a session can use tofu, versitygw and opa while Kubernetes compiles.
run_tool opentofu "$TOFU_VERSION" "$TOOLS/opentofu" "ldflags=$TOFU_LDFLAGS" verify_opentofu build_opentofu
run_tool tf-provider-kusiontest "$KUSIONTEST_VERSION" "$TOOLS/tf-provider-kusiontest" "ldflags=-s -w version; mirror=$KUSIONTEST_REL" \
  verify_kusiontest build_kusiontest install_kusiontest
run_tool versitygw "$VERSITYGW_VERSION" "$TOOLS/versitygw" "ldflags=-s -w version" verify_versitygw build_versitygw
run_tool opa "$OPA_VERSION" "$TOOLS/opa" "ldflags=-s -w" verify_opa build_opa
run_tool etcd "$ETCD_VERSION" "$TOOLS/etcd" "ldflags=-s -w" verify_etcd build_etcd
run_tool kwok "$KWOK_VERSION" "$TOOLS/kwok" "ldflags=-s -w version; stages=${KWOK_STAGES[*]}" verify_kwok build_kwok
run_tool kubernetes "$K8S_VERSION" "$TOOLS/kubernetes" "ldflags=$(k8s_ldflags)" verify_kubernetes build_kubernetes
[[ $EXTRAS != *,tf-kubernetes,* ]] || log "KUSION_TESTBED_EXTRAS=tf-kubernetes: not available (provider commit not served); skipped"

# ---- OpenTofu CLI configuration: the mirror only, no direct {} (TESTBED.md §4) ----------------------
TFRC="$CACHE/providers/tofu.tfrc"
cat >"$TFRC.tmp" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.opentofu.org/hashicorp/*", "$PROVIDER_HOST/*/*"]
  }
}
EOF
mv -f "$TFRC.tmp" "$TFRC"

# ---- testbed.json: what the TypeScript harness reads ----------------------------------------------
TB_CACHE=$CACHE TB_K8S=$K8S_VERSION TB_ETCD=$ETCD_VERSION TB_KWOK=$KWOK_VERSION TB_TOFU=$TOFU_VERSION \
  TB_VGW=$VERSITYGW_VERSION TB_OPA=$OPA_VERSION TB_KT=$KUSIONTEST_VERSION TB_KT_SOURCE="$PROVIDER_HOST/$PROVIDER_NAMESPACE/kusiontest" \
  TB_STAGES="${KWOK_STAGES[*]}" TB_GO="$GO_VERSION" node -e '
const e = process.env, c = e.TB_CACHE, p = (...s) => [c, ...s].join("/");
const k = `${c}/kubernetes@${e.TB_K8S}/bin`;
const manifest = {
  schemaVersion: 1,
  cache: c,
  goVersion: e.TB_GO,
  etcd: { version: e.TB_ETCD, bin: p(`etcd@${e.TB_ETCD}`, "bin", "etcd") },
  kubernetes: {
    version: e.TB_K8S,
    kubeApiserver: `${k}/kube-apiserver`,
    kubeControllerManager: `${k}/kube-controller-manager`,
    kubeScheduler: `${k}/kube-scheduler`,
    kubectl: `${k}/kubectl`,
  },
  kwok: {
    version: e.TB_KWOK,
    bin: p(`kwok@${e.TB_KWOK}`, "bin", "kwok"),
    stages: e.TB_STAGES.split(" ").map((s) => p(`kwok@${e.TB_KWOK}`, "stages", s.split("/").pop())),
  },
  tofu: {
    version: e.TB_TOFU,
    bin: p(`opentofu@${e.TB_TOFU}`, "bin", "tofu"),
    cliConfigFile: p("providers", "tofu.tfrc"),
    mirror: p("providers", "mirror"),
    providers: [{ source: e.TB_KT_SOURCE, version: e.TB_KT }],
  },
  versitygw: { version: e.TB_VGW, bin: p(`versitygw@${e.TB_VGW}`, "bin", "versitygw") },
  opa: { version: e.TB_OPA, bin: p(`opa@${e.TB_OPA}`, "bin", "opa") },
};
const fs = require("fs");
fs.writeFileSync(p("testbed.json.tmp"), JSON.stringify(manifest, null, 2) + "\n");
fs.renameSync(p("testbed.json.tmp"), p("testbed.json"));
'
log "wrote $CACHE/testbed.json ($(fmt_secs $((SECONDS - T_START))) in all)"
