#!/usr/bin/env bash
# Install the real servers the tests talk to: redis-server (Debian) and consul (Debian bullseye's
# static binary, unpacked into .tools/ without touching the machine's package sources), and the
# container tools (podman, runc, debootstrap), and CPython 3.13 (scripts/python313.sh).
# Idempotent: a second run does nothing. Prints the directory to put on PATH for consul.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
consul_dir="$tools/consul"
consul_bin="$consul_dir/usr/bin/consul"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
ensure_apt_lists() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq >/dev/null
    apt_updated=1
  fi
}

if ! command -v redis-server >/dev/null 2>&1; then
  ensure_apt_lists
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # Debian starts a system redis on 6379; the tests start their own on free ports.
  as_root systemctl disable --now redis-server >/dev/null 2>&1 || true
fi

# The container test builds and runs an image with podman (runc: crun fails on this kind of host)
# from a stand-in base image that debootstrap makes; see tests/product/test_container.py.
for tool in podman runc debootstrap; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    ensure_apt_lists
    DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
      podman runc debootstrap >/dev/null
    break
  fi
done

# wrk drives the generated-service benchmark (benchmarks/bench_service.py).
if ! command -v wrk >/dev/null 2>&1; then
  ensure_apt_lists
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

if [ ! -x "$consul_bin" ]; then
  # The archive URI comes from the machine's own apt configuration; no host is hard-coded here.
  uri="$(bash "$root/scripts/debian_archive.sh")"
  work="$tools/apt-bullseye"
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$consul_dir"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  printf 'deb [signed-by=%s] %s bullseye main\n' "$keyring" "$uri" > "$work/sources.list"
  opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
        -o "APT::Get::List-Cleanup=0")
  as_root apt-get "${opts[@]}" update -qq >/dev/null
  (cd "$work" && apt-get "${opts[@]}" download consul 2>&1 >/dev/null | grep -v "unsandboxed" >&2 || true)
  debs=("$work"/consul_*.deb)
  dpkg -x "${debs[0]}" "$consul_dir"
fi

# CPython 3.13 for the python_version=3.12/3.13 tests (built once into .tools/, then instant).
bash "$root/scripts/python313.sh" >/dev/null

# No `| head` here: under pipefail, head closing the pipe early kills the writer with SIGPIPE (141).
consul_version="$("$consul_bin" version)"
printf '%s\n' "${consul_version%%$'\n'*}" >&2
redis-server --version >&2
echo "$consul_dir/usr/bin"
