#!/bin/bash
# Regenerates tests/data/openflow/flow-actions.txt: each flow added by ovs-ofctl to a private ovs-vswitchd
# (SWITCH=path of its br0.mgmt), recorded by proxy-capture.py.
out=$1; sw=$2
cap() { python3 "$(dirname "$0")/proxy-capture.py" /tmp/flow-actions-proxy.sock "$sw" -- ovs-ofctl "$@" | grep -v '^0105\|^0[456]05'; }
: > "$out"
while IFS='|' read -r ver flow; do
  [ -z "$ver" ] && continue
  if [ "$ver" = OpenFlow10 ]; then args=(); else args=(-O "$ver"); fi
  echo "# ovs-ofctl ${args[*]} add-flow br0 '$flow'" >> "$out"
  hex=$(cap "${args[@]}" add-flow unix:/tmp/flow-actions-proxy.sock "$flow" | tail -1)
  echo "$ver|$flow|$hex" >> "$out"
done
