#!/usr/bin/env bash
# Installs the baselines the benchmarks measure Hostlink against, from Debian's packages (run as root):
# iperf3 (raw loopback TCP), haproxy and socat (userspace TCP relays), openssh-server and scp (what a
# person would otherwise use to fetch a file), redis-tools (redis-benchmark). Installs only what is missing.
set -euo pipefail
needed=()
for pair in iperf3:iperf3 haproxy:haproxy socat:socat sshd:openssh-server scp:openssh-client redis-benchmark:redis-tools; do
  command -v "${pair%%:*}" > /dev/null || [ -x "/usr/sbin/${pair%%:*}" ] || needed+=("${pair#*:}")
done
if [ ${#needed[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}"
fi
# The packages may start their daemons; the benchmarks start their own on free loopback ports.
for service in haproxy ssh; do service "$service" stop > /dev/null 2>&1 || true; done
# sshd refuses to start without its privilege separation folder, which only its service unit creates.
mkdir -p /run/sshd
echo "bench baselines ready: iperf3 haproxy socat sshd scp redis-benchmark"
