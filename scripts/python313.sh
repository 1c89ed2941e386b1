#!/usr/bin/env bash
# CPython 3.13 for the generated projects' python_version=3.12/3.13 tests: built from Debian
# trixie's source package into .tools/python3.13 (Debian 12 ships 3.11 only, and uv cannot download
# interpreters here). Idempotent: a second run finds the interpreter and only prints its path.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
prefix="$tools/python3.13"
python="$prefix/bin/python3.13"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# One build at a time (test workers and provision.sh may call this together); later callers wait.
mkdir -p "$tools"
exec 9>"$tools/python3.13.lock"
flock 9

if ! "$python" -c "import ssl, sqlite3, zlib, bz2, lzma, ctypes, readline, uuid" 2>/dev/null; then
  missing=()
  for pkg in build-essential libssl-dev zlib1g-dev libffi-dev libsqlite3-dev libbz2-dev \
             liblzma-dev libreadline-dev uuid-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    as_root apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  # The archive URI comes from the machine's own apt configuration; one suite only (sid's index
  # can name files its pool no longer holds).
  uri="$(bash "$root/scripts/debian_archive.sh")"
  work="$tools/apt-trixie-src"
  mkdir -p "$work/lists/partial" "$work/source"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  printf 'deb-src [signed-by=%s] %s trixie main\n' "$keyring" "$uri" > "$work/sources.list"
  opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$work/lists" -o "APT::Get::List-Cleanup=0")
  as_root apt-get "${opts[@]}" update -qq >/dev/null
  (cd "$work/source" && apt-get "${opts[@]}" source --download-only -qq python3.13 >/dev/null 2>&1)
  build="$work/build"
  rm -rf "$build" && mkdir -p "$build"
  tarballs=("$work"/source/python3.13_*.orig.tar.*)
  tar -xf "${tarballs[0]}" -C "$build" --strip-components=1
  (
    cd "$build"
    ./configure --prefix="$prefix" --without-ensurepip >/dev/null
    make -j2 >/dev/null 2>&1
    make install >/dev/null 2>&1
  )
  rm -rf "$build"
fi
"$python" --version >&2
echo "$python"
