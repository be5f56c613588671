#!/usr/bin/env bash
# Makes Podman's Docker-compatible API reachable on a fresh Debian machine, beside Docker:
# installs Debian's podman with netavark and aardvark-dns when missing, starts the rootful
# `podman system service` on /run/podman/podman.sock, and with `--rootless USER` also that user's
# own service on /run/user/UID/podman/podman.sock (the user, its subordinate ids and its
# XDG_RUNTIME_DIR are made when missing). A service that already answers is left as it is.
# Idempotent; as root.
set -euo pipefail

rootless_user=
if [ "${1:-}" = --rootless ]; then
  rootless_user=${2:?usage: ensure-podman.sh [--rootless USER]}
  [[ "$rootless_user" =~ ^[a-z_][a-z0-9_-]{0,30}$ ]] || {
    echo "ensure-podman: '$rootless_user' is not a user name" >&2
    exit 2
  }
fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-podman: needs root (it installs packages and starts the rootful service)" >&2
  exit 1
fi

missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
[ -x /usr/lib/podman/netavark ] || missing+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || missing+=(aardvark-dns)
# crun 1.8 refuses a hybrid cgroup hierarchy (these machines); runc, Docker's own, does not.
command -v runc >/dev/null 2>&1 || missing+=(runc)
if [ -n "$rootless_user" ]; then
  command -v newuidmap >/dev/null 2>&1 || missing+=(uidmap)
  command -v slirp4netns >/dev/null 2>&1 || missing+=(slirp4netns)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Which OCI runtime: the default on a pure cgroup v2 host, runc on a v1 or hybrid one.
runtime=()
[ -f /sys/fs/cgroup/cgroup.controllers ] || runtime=(--runtime runc)

answers() { podman --remote --url "unix://$1" version >/dev/null 2>&1; }

wait_for() {
  local sock=$1 log=$2
  for _ in $(seq 1 60); do
    answers "$sock" && return 0
    sleep 1
  done
  echo "ensure-podman: no answer on $sock within 60 s; its log:" >&2
  tail -n 30 "$log" >&2 || true
  return 1
}

# Beside Docker (which loads br_netfilter) frames between containers on one Podman bridge pass
# the FORWARD chain, policy DROP, where netavark accepts only its subnets' sources: link-local
# traffic and its neighbour discovery would be dropped. Same bridge in and out only, so no run's
# network reaches another's.
if [ "$(cat /proc/sys/net/bridge/bridge-nf-call-ip6tables 2>/dev/null || echo 0)" = 1 ]; then
  ip6tables -C FORWARD -i podman+ -o podman+ -j ACCEPT 2>/dev/null ||
    ip6tables -A FORWARD -i podman+ -o podman+ -j ACCEPT
fi

rootful=/run/podman/podman.sock
# conmon runs in the service's working directory: a service started in a folder since deleted (a
# CI clone removed after its run) still answers /version but can start no container. Replace it.
for pid in $(pgrep -f "system service --time=0 unix://$rootful" || true); do
  case "$(readlink "/proc/$pid/cwd" 2>/dev/null)" in
  *' (deleted)') kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done ;;
  esac
done
if ! answers "$rootful"; then
  mkdir -p /run/podman
  (cd / && nohup podman "${runtime[@]}" system service --time=0 "unix://$rootful" \
    >/tmp/sixgate-podman.log 2>&1 &)
  wait_for "$rootful" /tmp/sixgate-podman.log
fi

if [ -n "$rootless_user" ]; then
  id "$rootless_user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$rootless_user"
  # useradd gives a new user subordinate ids; an older account may have none.
  for f in /etc/subuid /etc/subgid; do
    grep -q "^$rootless_user:" "$f" 2>/dev/null || echo "$rootless_user:200000:65536" >>"$f"
  done
  # A rootless network is slirp4netns on a tap device: /dev/net/tun must be open to the user, as
  # udev leaves it (0666); some machines come up with it 0600 ("open /dev/net/tun: Permission
  # denied" on every rootless container start).
  if [ -c /dev/net/tun ] && [ "$(stat -c %a /dev/net/tun)" != 666 ]; then chmod 0666 /dev/net/tun; fi
  uid=$(id -u "$rootless_user")
  dir=/run/user/$uid
  install -d -m 700 -o "$rootless_user" -g "$(id -g "$rootless_user")" "$dir"
  sock=$dir/podman/podman.sock
  if ! answers "$sock"; then
    log=$dir/sixgate-podman.log
    su -s /bin/sh "$rootless_user" -c \
      "cd ~ && XDG_RUNTIME_DIR=$dir nohup podman ${runtime[*]} system service --time=0 >$log 2>&1 &"
    wait_for "$sock" "$log"
  fi
  echo "$sock"
fi
