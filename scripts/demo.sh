#!/usr/bin/env bash
# The main job: installs what is needed, builds, and replays tests/data/demo.pcap through the FastPath
# datapath (a PMD thread, megaflow classifier, action executor) with a small flow table, printing what
# went out of which port. Output captures land in out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build src/FastPath.Cli -c Release --nologo -v quiet -clp:ErrorsOnly
exec dotnet src/FastPath.Cli/bin/Release/net10.0/fpctl.dll demo-replay --pcap tests/data/demo.pcap --out-dir out/demo "$@"
