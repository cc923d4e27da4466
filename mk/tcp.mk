# mk/tcp.mk: TCP (net/tcp*.c): the sources its fuzz targets test (see
# mk/fuzz.mk). TCP itself is compiled into libriad-net.a by the Makefile.
FUZZ_SRCS_net_tcp_seg := $(sort $(wildcard net/tcp*.c)) net/wire.c net/pbuf.c runtime/wipe.c \
	fuzz/support/panic.c
FUZZ_SRCS_net_tcp_flow := $(FUZZ_SRCS_net_tcp_seg)
