#!/usr/bin/env bash
# Prints the Debian archive URI of the machine's own apt configuration (never a hard-coded host),
# for provision.sh, python313.sh and stand_in_image.sh to fetch from other suites without touching the apt sources.
set -euo pipefail

uri=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  uri=$(awk '/^URIs:/ {print $2; exit}' "$f")
  case "$uri" in *debian-security*) uri="";; esac
  [ -n "$uri" ] && break
done
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
  uri=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
if [ -z "$uri" ]; then
  echo "no Debian archive URI found in the apt configuration" >&2
  exit 1
fi
echo "$uri"
