# mk/net.mk: the protocols below TCP (net/: ether, arp, ipv4, icmp, udp,
# dhcp): the sources each of their fuzz targets tests (see mk/fuzz.mk). The
# protocols themselves are compiled into libriad-net.a by the Makefile.
FUZZ_SRCS_net_ether := net/ether.c net/arp.c net/ipv4.c net/ipv4_frag.c net/icmp.c net/udp.c \
	net/dhcp.c net/wire.c netif/pbuf.c fuzz/support/panic.c
FUZZ_SRCS_net_arp := net/arp.c net/ether.c net/wire.c netif/pbuf.c fuzz/support/panic.c
FUZZ_SRCS_net_ipv4 := net/ipv4.c net/ipv4_frag.c net/icmp.c net/arp.c net/ether.c net/wire.c netif/pbuf.c \
	fuzz/support/panic.c
FUZZ_SRCS_net_icmp := net/icmp.c net/ipv4.c net/ipv4_frag.c net/arp.c net/ether.c net/wire.c \
	netif/pbuf.c fuzz/support/panic.c
FUZZ_SRCS_net_udp := net/udp.c net/icmp.c net/ipv4.c net/ipv4_frag.c net/arp.c net/ether.c \
	net/wire.c netif/pbuf.c fuzz/support/panic.c
FUZZ_SRCS_net_dhcp := net/dhcp.c net/udp.c net/icmp.c net/wire.c netif/pbuf.c fuzz/support/panic.c
