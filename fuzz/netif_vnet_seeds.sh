#!/usr/bin/env bash
# fuzz/netif_vnet_seeds.sh: makes the seed corpus of fuzz/netif_vnet.c
# (fuzz/corpus/netif_vnet/): reads from a device with offloads, each the
# virtio-net header and a frame, as a Linux host sends them: no offload, a
# partial checksum (NEEDS_CSUM, the host's own TCP), a checked one
# (DATA_VALID), a coalesced segment of 44 MSS (GSO TCPV4, as GRO or the
# host's TSO hands it over), the longest frame and one byte too long, and
# truncated reads. The TCP segments carry
# data for the connection the target sets up, acknowledging our ISN, which
# is SipHash-2-4 of the tuple under the target's secret plus its clock
# (tcp/tcp_isn.c). Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=fuzz/corpus/netif_vnet
mkdir -p "$OUT"

python3 - "$OUT" <<'PY'
import os, struct, sys
out = sys.argv[1]

def rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & (2**64 - 1)

def siphash24(key, msg):
    k0, k1 = struct.unpack('<QQ', key)
    v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d,
         k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]
    def rnd():
        v[0] = (v[0] + v[1]) & (2**64 - 1); v[1] = rotl(v[1], 13) ^ v[0]; v[0] = rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & (2**64 - 1); v[3] = rotl(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & (2**64 - 1); v[3] = rotl(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & (2**64 - 1); v[1] = rotl(v[1], 17) ^ v[2]; v[2] = rotl(v[2], 32)
    tail = len(msg) % 8
    words = [struct.unpack('<Q', msg[i:i + 8])[0] for i in range(0, len(msg) - tail, 8)]
    words.append(int.from_bytes(msg[len(msg) - tail:], 'little') | (len(msg) & 0xff) << 56)
    for m in words:
        v[3] ^= m; rnd(); rnd(); v[0] ^= m
    v[2] ^= 0xff
    for _ in range(4):
        rnd()
    return v[0] ^ v[1] ^ v[2] ^ v[3]

assert siphash24(bytes(range(16)), bytes(range(15))) == 0xa129ca6149be45e5

# fuzz/netif_vnet.c's state.
US, PEER, PORT, PEER_PORT, PEER_ISN = 0x0a000002, 0x0a000001, 80, 4000, 1000
NOW = 1000000000000
MAC, PEER_MAC = bytes([2, 0, 0, 0, 0, 1]), bytes([2, 0, 0, 0, 0, 2])
key = bytes([7] + [0] * 15)
isn = (siphash24(key, struct.pack('>IIHH', US, PEER, PORT, PEER_PORT)) + NOW // 4000) & 0xffffffff

def csum_add(b, s=0):
    if len(b) % 2:
        b += b'\0'
    for i in range(0, len(b), 2):
        s += b[i] << 8 | b[i + 1]
    return s

def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

def vnet(flags=0, gso_type=0, hdr_len=0, gso_size=0, csum_start=0, csum_offset=0):
    return struct.pack('<BBHHHH', flags, gso_type, hdr_len, gso_size, csum_start, csum_offset)

def ipv4(proto, payload, src=PEER, dst=US):
    h = bytearray(struct.pack('>BBHHHBBHII', 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0, src, dst))
    struct.pack_into('>H', h, 10, ~fold(csum_add(bytes(h))) & 0xffff)
    return MAC + PEER_MAC + b'\x08\x00' + bytes(h) + payload

def tcp(flags, seq, ack, data, partial=False, sport=PEER_PORT, dport=PORT):
    t = bytearray(struct.pack('>HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 1024, 0, 0)) + data
    pseudo = csum_add(struct.pack('>IIHH', PEER, US, 6, len(t)))
    # NEEDS_CSUM: the field holds the pseudo-header sum, folded, not
    # complemented; the rest is the receiver's to skip.
    c = fold(pseudo) if partial else ~fold(csum_add(bytes(t), pseudo)) & 0xffff
    struct.pack_into('>H', t, 16, c)
    return bytes(t)

def icmp_echo(data):
    m = bytearray(struct.pack('>BBHHH', 8, 0, 0, 0x1234, 1)) + data
    struct.pack_into('>H', m, 2, ~fold(csum_add(bytes(m))) & 0xffff)
    return bytes(m)

def udp(dport, data):
    u = bytearray(struct.pack('>HHHH', 5353, dport, 8 + len(data), 0)) + data
    pseudo = csum_add(struct.pack('>IIHH', PEER, US, 17, len(u)))
    struct.pack_into('>H', u, 6, ~fold(csum_add(bytes(u), pseudo)) & 0xffff or 0xffff)
    return bytes(u)

def arp_request():
    return (b'\xff' * 6 + PEER_MAC + b'\x08\x06' + struct.pack('>HHBBH', 1, 0x0800, 6, 4, 1) +
            PEER_MAC + struct.pack('>I', PEER) + bytes(6) + struct.pack('>I', US))

def payload(n, seq):
    return bytes((seq + i) & 0xff for i in range(n))

ACK, PSH, SYN = 0x10, 0x08, 0x02
seeds = {}
seeds['plain_icmp_echo'] = vnet() + ipv4(1, icmp_echo(b'riad' * 14))
seeds['plain_arp_request'] = vnet() + arp_request()
seeds['plain_tcp_data'] = vnet() + ipv4(6, tcp(ACK | PSH, PEER_ISN + 1, isn + 1, payload(100, PEER_ISN + 1)))
seeds['needs_csum_tcp_data'] = vnet(1, 0, 0, 0, 34, 16) + \
    ipv4(6, tcp(ACK | PSH, PEER_ISN + 1, isn + 1, payload(1000, PEER_ISN + 1), partial=True))
seeds['needs_csum_syn_other_port'] = vnet(1, 0, 0, 0, 34, 16) + \
    ipv4(6, tcp(SYN, 77, 0, b'', partial=True, sport=4001))
seeds['data_valid_udp_no_port'] = vnet(2) + ipv4(17, udp(9, b'discard me'))
seeds['data_valid_tcp_data'] = vnet(2) + ipv4(6, tcp(ACK, PEER_ISN + 1, isn + 1001, payload(1460, PEER_ISN + 1)))
mss, n = 1460, 44
gso = vnet(1, 1, 54, mss, 34, 16) + \
    ipv4(6, tcp(ACK | PSH, PEER_ISN + 1, isn + 1, payload(mss * n, PEER_ISN + 1), partial=True))
seeds['gso_tcpv4_coalesced'] = gso
# The longest frame a device hands up (RIAD_NETIF_GSO_MAX, 65553 bytes: a
# 65535-byte datagram and 4 bytes of link padding), and one byte more,
# which it drops.
big = vnet(1, 1, 54, mss, 34, 16) + \
    ipv4(6, tcp(ACK | PSH, PEER_ISN + 1, isn + 1, payload(65535 - 40, PEER_ISN + 1), partial=True))
seeds['gso_tcpv4_longest'] = big + bytes(4)
seeds['too_long'] = big + bytes(5)
seeds['gso_tcpv4_to_listener_rst'] = vnet(1, 1, 54, mss, 34, 16) + \
    ipv4(6, tcp(ACK, 5000, 6000, payload(mss * 3, 5000), partial=True, sport=4002))
# Truncated reads: nothing, half a header, a header alone, a runt frame,
# and the coalesced segment cut in its IPv4 header, its TCP header and its
# payload (the IPv4 length then exceeds the frame).
seeds['trunc_empty'] = b''
seeds['trunc_half_header'] = gso[:5]
seeds['trunc_header_only'] = gso[:10]
seeds['trunc_runt_frame'] = gso[:10 + 13]
seeds['trunc_in_ipv4_header'] = gso[:10 + 14 + 12]
seeds['trunc_in_tcp_header'] = gso[:10 + 34 + 10]
seeds['trunc_in_payload'] = gso[:10 + 54 + 3000]
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
print('isn', isn)
PY
