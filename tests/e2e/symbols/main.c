/* tests/e2e/symbols/main.c: an application that defines, for its own
 * purposes, names that riad's network stack used to export (tcp_input,
 * arp_init, wire_csum_add), then runs TCP between two of riad's stacks on
 * an in-memory switch (ARP, IPv4, TCP). Before issue 8 it failed to link
 * (multiple definition of tcp_input) or riad's stack called the
 * application's functions. Prints SUCCESS. */
#include <stdio.h>
#include <string.h>

#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/netif.h>
#include <riad/netif_switch.h>
#include <riad/time.h>

#define A_ADDR 0x0a000001u /* 10.0.0.1 */
#define B_ADDR 0x0a000002u /* 10.0.0.2 */

/* The application's own: a function, another with riad's old name and a
 * different signature, and a data object where riad had a function (a
 * call from riad to it would crash). */
int tcp_input(const char *what);
void arp_init(int *counter);
extern unsigned char wire_csum_add[16];

static int calls;

int tcp_input(const char *what)
{
	calls++;
	return (int)strlen(what);
}

void arp_init(int *counter)
{
	*counter += 100;
	calls++;
}

unsigned char wire_csum_add[16] = "not a function";

static int server(void *arg)
{
	struct riad_tcp_listener *l = arg;
	struct riad_tcp *c;
	char buf[16];
	if (riad_tcp_accept(l, &c, riad_time_ns() + 5 * RIAD_NS_PER_S) < 0)
		return 1;
	long n = riad_tcp_read(c, buf, sizeof(buf), riad_time_ns() + 5 * RIAD_NS_PER_S);
	if (n != 4 || memcmp(buf, "ping", 4) != 0)
		return 2;
	if (riad_tcp_write(c, "pong", 4, riad_time_ns() + 5 * RIAD_NS_PER_S) != 4)
		return 3;
	riad_tcp_close(c);
	return 0;
}

int main(void)
{
	struct riad_netif_switch *sw = riad_netif_switch_new();
	struct riad_net *a, *b;
	struct riad_net_config ca = { .addr = A_ADDR, .prefix = 24 };
	struct riad_net_config cb = { .addr = B_ADDR, .prefix = 24 };
	if (!sw || riad_net_create(riad_netif_switch_port(sw, NULL, 0), "a", &ca, &a) < 0 ||
	    riad_net_create(riad_netif_switch_port(sw, NULL, 0), "b", &cb, &b) < 0) {
		riad_err(NULL, "cannot create the stacks");
		return 1;
	}
	struct riad_tcp_listener *l;
	if (riad_tcp_listen(b, 80, 1, &l) < 0)
		return 1;
	struct riad_fiber *srv = riad_fiber_spawn(server, l, 0);
	struct riad_tcp *c;
	if (!srv || riad_tcp_connect(a, B_ADDR, 80, &c, riad_time_ns() + 5 * RIAD_NS_PER_S) < 0) {
		riad_err(NULL, "cannot connect");
		return 1;
	}
	char buf[16];
	if (riad_tcp_write(c, "ping", 4, riad_time_ns() + 5 * RIAD_NS_PER_S) != 4 ||
	    riad_tcp_read(c, buf, sizeof(buf), riad_time_ns() + 5 * RIAD_NS_PER_S) != 4 ||
	    memcmp(buf, "pong", 4) != 0) {
		riad_err(NULL, "no pong");
		return 1;
	}
	int server_status = riad_fiber_join(srv);
	riad_tcp_close(c);
	riad_tcp_listener_close(l);
	riad_net_close(a);
	riad_net_close(b);
	riad_netif_switch_free(sw);
	int counter = 0;
	arp_init(&counter);
	int len = tcp_input("ping");
	if (server_status != 0 || calls != 2 || counter != 100 || len != 4 ||
	    strcmp((const char *)wire_csum_add, "not a function") != 0) {
		riad_err(NULL, "server %d, calls %d, counter %d", server_status, calls, counter);
		return 1;
	}
	printf("SUCCESS\n");
	return 0;
}
