#!/usr/bin/env bash
# Build the local stand-in for the official `python:3.11-slim-bookworm` image, for the container
# test only (no registry is reachable here; this image is never pushed). Usage:
#   bash scripts/stand_in_image.sh            # prints the image name
# The debootstrap root file system is cached as .tools/python-slim-rootfs.tar (~90 s cold); with
# the tarball present an import takes ~20 s, and with the image present nothing runs at all.
# Extra CA certificates of this host (/usr/local/share/ca-certificates) are copied in and
# SSL_CERT_FILE is set, so a build step can reach PyPI through a TLS-inspecting proxy. PATH is the
# official image's (sbin included: useradd lives there).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
image="localhost/python:3.11-slim-bookworm"
tarball="$tools/python-slim-rootfs.tar"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

if [ ! -s "$tarball" ]; then
  # The archive URI comes from the machine's own apt configuration, as in provision.sh.
  uri="$(bash "$root/scripts/debian_archive.sh")"
  mkdir -p "$tools"
  rootfs="$(mktemp -d "$tools/rootfs.XXXXXX")"
  trap 'as_root rm -rf "$rootfs"' EXIT
  as_root debootstrap --variant=minbase \
    --include=python3.11,python3-venv,python3-pip,ca-certificates \
    bookworm "$rootfs" "$uri" >/dev/null
  for name in python python3; do as_root ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/$name"; done
  for name in pip pip3; do as_root ln -sf /usr/bin/pip3 "$rootfs/usr/local/bin/$name"; done
  as_root rm -f "$rootfs"/usr/lib/python3.11/EXTERNALLY-MANAGED
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    as_root cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    as_root chroot "$rootfs" update-ca-certificates >/dev/null
  fi
  as_root rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  as_root tar -C "$rootfs" -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
fi

as_root podman import --quiet \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  "$tarball" "$image" >/dev/null
echo "$image"
