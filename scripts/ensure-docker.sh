#!/usr/bin/env bash
# Makes a Docker daemon reachable on a fresh Debian machine: installs Debian's docker.io (and
# iproute2) when no daemon answers, starts dockerd in the background, waits for the socket.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-docker: dockerd is missing and installing it needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io iproute2 >/dev/null
fi
if ! [ -S /var/run/docker.sock ] || ! docker info >/dev/null 2>&1; then
  nohup dockerd >/tmp/sixgate-dockerd.log 2>&1 &
fi
for _ in $(seq 1 60); do
  if [ -S /var/run/docker.sock ] && docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "ensure-docker: dockerd did not answer within 60 s; its log:" >&2
tail -n 30 /tmp/sixgate-dockerd.log >&2 || true
exit 1
