# mk/http.mk: the HTTP/1.1 server library (http/, riad/http.h) is one of
# NET_DIRS (Makefile): its objects go into libriad-net.a on every target
# (it is the layer above the sockets, and needs no archive of its own on
# any link line). Its fuzz targets' sources:
FUZZ_SRCS_http_parse := http/http_config.c http/http_parse.c http/http_chunked.c http/http_range.c http/http_date.c \
	runtime/clock_tm.c
FUZZ_SRCS_http_server := http/http_config.c http/http_parse.c http/http_chunked.c http/http_range.c \
	http/http_date.c http/http_mime.c http/http_server.c http/http_static.c runtime/clock_tm.c \
	storage/kv.c storage/kv_mem.c fuzz/support/http_stubs.c fuzz/support/panic.c \
	fuzz/support/log_off.c fuzz/support/clock_fixed.c $(shell $(CC) -print-file-name=libbearssl.a)
