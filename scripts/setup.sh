#!/usr/bin/env bash
# Installs what FastPath needs to build and test, idempotently:
# Debian packages (only the missing ones), the native shim (CMake), NuGet restore.
set -euo pipefail
cd "$(dirname "$0")/.."

# libxdp1 ships the default AF_XDP redirect program; iproute2 makes the test namespaces; tcpdump is for
# reading the demo's output captures; openvswitch-common's ovs-ofctl is the reference the parser's
# differential test compares with; openvswitch-switch's ovs-vswitchd (with openvswitch-common's ovsdb-server)
# runs as a private, unprivileged reference switch for the slow path's tests (tests/FastPath.Ofproto.Tests/Ovs;
# they never use a system Open vSwitch the package may start). The OpenFlow interop tests drive FastPath with real
# clients: ovs-testcontroller (openvswitch-testcontroller) and os-ken (python3-os-ken, launched by osken-manager);
# afl++ runs the SharpFuzz targets (scripts/fuzz.sh); iputils-ping pings between test namespaces and in the demo.
# scripts/bench-vs-ovs.sh compares with OVS-DPDK (openvswitch-switch-dpdk; DPDK's net_pcap and net_null drivers
# replay pcaps into it) and draws its chart with matplotlib (python3-matplotlib, for Debian's /usr/bin/python3).
PKGS=(build-essential cmake pkg-config libxdp-dev libbpf-dev libpcap-dev iproute2 clang-format tcpdump openvswitch-common
  openvswitch-switch openvswitch-testcontroller python3-os-ken afl++ iputils-ping openvswitch-switch-dpdk
  librte-net-pcap23 librte-net-null23 python3-matplotlib)
# netsniff-ng's trafgen is the traffic generator of the AF_XDP benchmark (scripts/bench/afxdp.sh): packet-mmap
# transmit from inside a namespace, the same generator for both switches (the kernel here has no pktgen).
PKGS+=(netsniff-ng)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }

# Megaflow records live on 2 MiB huge pages when the kernel's pool has them (as DPDK's memory does); a PMD
# installing flows on small pages takes a page fault every 16 flows. Reserve a modest pool if none is set.
HUGE_WANTED=256
if [ "$(id -u)" -eq 0 ] && [ -w /proc/sys/vm/nr_hugepages ]; then
  have=$(cat /proc/sys/vm/nr_hugepages)
  if [ "$have" -lt "$HUGE_WANTED" ]; then
    echo "setup: reserving $HUGE_WANTED huge pages of 2 MiB (vm.nr_hugepages was $have)"
    echo "$HUGE_WANTED" > /proc/sys/vm/nr_hugepages || echo "setup: could not reserve huge pages; megaflow records use small pages"
  fi
fi

echo "setup: building native shim"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$(nproc)" >/dev/null

echo "setup: restoring NuGet packages"
dotnet restore FastPath.sln --verbosity quiet
