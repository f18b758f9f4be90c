#!/usr/bin/env bash
# Installs what FastPath needs to build and test, idempotently:
# Debian packages (only the missing ones), the native shim (CMake), NuGet restore.
set -euo pipefail
cd "$(dirname "$0")/.."

# libxdp1 ships the default AF_XDP redirect program; iproute2 makes the test namespaces; tcpdump is for
# reading the demo's output captures; openvswitch-common's ovs-ofctl is the reference the parser's
# differential test compares with.
PKGS=(build-essential cmake pkg-config libxdp-dev libbpf-dev libpcap-dev iproute2 clang-format tcpdump openvswitch-common)
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

echo "setup: building native shim"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$(nproc)" >/dev/null

echo "setup: restoring NuGet packages"
dotnet restore FastPath.sln --verbosity quiet
