/* http_config.c: the HTTP server's default limits (riad/http.h lists each with what reaching it does). */
#include <riad/time.h>

#include "http_parse.h"

const struct riad_http_config http_config_defaults = {
	.line_max = 4096,
	.field_max = 4096,
	.head_max = 16384,
	.fields_max = 64,
	.body_max = 1024 * 1024,
	.idle_ns = 30 * RIAD_NS_PER_S,
	.request_ns = 10 * RIAD_NS_PER_S,
	.write_ns = 30 * RIAD_NS_PER_S,
	.conn_ns = 0,
	.max_conns = 256,
	.max_requests = 0,
	.stack_size = 32 * 1024,
	.server_name = "riad",
};

void riad_http_config_default(struct riad_http_config *cfg)
{
	*cfg = http_config_defaults;
}
