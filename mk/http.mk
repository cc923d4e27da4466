# mk/http.mk: the HTTP/1.1 server library (http/, riad/http.h). Its objects
# go into libriad-net.a on every target (it is the layer above the
# sockets, and needs no archive of its own on any link line); its fuzz
# target's sources.
HTTP_SRCS := $(sort $(wildcard http/*.c))

$(UNIX_BUILD_LIBDIR)/libriad-net.a: $(call host_obj,$(HTTP_SRCS))
$(B)/guest/riad/libriad-net.a: $(patsubst %,$(B)/guest/riad/%.o,$(HTTP_SRCS))

$(B)/host/http/%.c.o: http/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Ihttp -MMD -MP -c $< -o $@

$(B)/guest/riad/http/%.c.o: http/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_GUEST_CFLAGS) -Ihttp -MMD -MP -c $< -o $@

FUZZ_SRCS_http_parse := http/http_config.c http/http_parse.c http/http_chunked.c http/http_range.c http/http_date.c \
	runtime/clock_tm.c
FUZZ_SRCS_http_server := http/http_config.c http/http_parse.c http/http_chunked.c http/http_range.c \
	http/http_date.c http/http_mime.c http/http_server.c http/http_static.c runtime/clock_tm.c \
	storage/kv.c storage/kv_mem.c fuzz/support/http_stubs.c fuzz/support/panic.c \
	fuzz/support/log_off.c fuzz/support/clock_fixed.c $(shell $(CC) -print-file-name=libbearssl.a)
