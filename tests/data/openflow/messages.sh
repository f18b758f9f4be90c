#!/bin/bash
# Regenerates tests/data/openflow/messages.txt: each ovs-ofctl command of messages.in run against a private
# ovs-vswitchd (SWITCH = path of its br0.mgmt) through proxy-capture.py, which records the message the tool sent.
# Line format: COMMAND-LINE|HEX (the last message the command sent, barrier and queries aside).
out=$1; sw=$2
: > "$out"
while IFS= read -r line; do
  [ -z "$line" ] && continue
  eval "args=($line)"
  echo "# ovs-ofctl $line" >> "$out"
  hex=$(python3 "$(dirname "$0")/proxy-capture.py" /tmp/messages-proxy.sock "$sw" -- ovs-ofctl "${args[@]/SW/unix:/tmp/messages-proxy.sock}" 2>/dev/null | tail -1)
  echo "$line|$hex" >> "$out"
done
