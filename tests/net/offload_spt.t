#!/usr/bin/env bash
# tests/net/offload_spt.t: riad's net extension on spt, negotiated between
# a riad guest and riad-spt, refused by either side, against Linux over a
# tap: tests/net/offload_solo5.sh (which says what it checks) with T=spt.
T=spt
source "$(dirname "$0")/offload_solo5.sh"
