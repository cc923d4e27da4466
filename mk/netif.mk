# mk/netif.mk: the net device layer (netif/): the sources of its fuzz
# targets (the --net-faults parser, a frame behind its virtio-net header;
# see mk/fuzz.mk), and its programs outside the libraries:
# tests/net/tap_echo, the riad side of tests/net/tap.t (a unix unikernel
# built against the stage as any application is, with the link line of
# riad-unix.pc), and bench/tap_ceiling, a plain C program that measures the
# ceiling of the tap I/O path for bench/tap_ceiling.sh.
NETIF_UNIX_LIBS := $(UNIX_LIBDIR)/libriad-unix.a $(UNIX_LIBDIR)/libriad-net.a $(UNIX_LIBDIR)/libriad-storage.a $(UNIX_LIBDIR)/libriad.a
NETIF_STAGE_HDRS := $(patsubst include/%,$(STAGE)/include/%,$(HEADERS))

$(B)/tests/net/tap_echo: tests/net/tap_echo.c $(NETIF_UNIX_LIBS) $(NETIF_STAGE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Iinclude,$(HOST_CFLAGS)) -I$(STAGE)/include -o $@ $< \
		-Wl,--wrap=main -Wl,--gc-sections -Wl,--start-group $(NETIF_UNIX_LIBS) -Wl,--end-group \
		-l:libbearssl.a -static-pie

$(B)/bench/tap_ceiling: bench/tap_ceiling.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -pie -o $@ $< -lpthread

CHECK_DEPS += $(B)/tests/net/tap_echo
bench: $(B)/bench/tap_ceiling $(B)/tests/net/tap_echo

FUZZ_SRCS_netif_fault_spec := netif/netif_fault_spec.c
# The virtio-net header's target takes a frame through the protocols up to
# TCP, as the stack does.
FUZZ_SRCS_netif_vnet := netif/netif_vnet.c netif/pbuf.c net/ether.c net/arp.c net/ipv4.c \
	net/ipv4_frag.c net/icmp.c net/udp.c net/wire.c $(sort $(wildcard tcp/*.c)) runtime/wipe.c \
	fuzz/support/panic.c
