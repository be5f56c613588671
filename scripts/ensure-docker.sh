#!/usr/bin/env bash
# Makes a Docker daemon reachable on a fresh Debian machine: installs Debian's docker.io when no
# daemon answers (and iproute2 when `ip` is missing), starts dockerd in the background with
# ip6tables, waits for the socket. A daemon that already answers is somebody's: left as it is.
set -euo pipefail

# The sixgate image carries the host's `ip` (for the IPv6-only fallback), so it is needed too.
missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
docker info >/dev/null 2>&1 || command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
# Without ip6tables Docker routes IPv6 between bridges: one run's hosts could reach another's.
docker info >/dev/null 2>&1 || command -v ip6tables >/dev/null 2>&1 || missing+=(iptables)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-docker: ${missing[*]} missing, and installing needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if docker info >/dev/null 2>&1; then
  exit 0
fi
# 20.10 keeps ip6tables behind --experimental, 27+ does not. dockerd refuses to start when a
# flag repeats what daemon.json sets, so only what the file leaves out is passed.
flags=()
major=$(dockerd --version | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')
grep -qs '"ip6tables"' /etc/docker/daemon.json || flags+=(--ip6tables)
if [ "${major:-0}" -lt 27 ] && ! grep -qs '"experimental"' /etc/docker/daemon.json; then
  flags+=(--experimental)
fi
if ! [ -S /var/run/docker.sock ] || ! docker info >/dev/null 2>&1; then
  # From /, not the checkout: the daemon outlives the folder it was started from.
  (cd / && nohup dockerd "${flags[@]}" >/tmp/sixgate-dockerd.log 2>&1 &)
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
