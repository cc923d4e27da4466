# mk/tcp.mk: TCP (tcp/): the sources its fuzz targets test (see
# mk/fuzz.mk). TCP itself is compiled into libriad-net.a by the Makefile.
FUZZ_SRCS_tcp_seg := $(sort $(wildcard tcp/*.c)) net/wire.c netif/pbuf.c runtime/wipe.c \
	fuzz/support/panic.c
FUZZ_SRCS_tcp_flow := $(FUZZ_SRCS_tcp_seg)
