#!/usr/bin/env bash
# tests/net/offload_hvt.t: riad's net extension on hvt, negotiated between
# a riad guest and riad-hvt, refused by either side, against Linux over a
# tap: tests/net/offload_solo5.sh (which says what it checks) with T=hvt.
T=hvt
source "$(dirname "$0")/offload_solo5.sh"
