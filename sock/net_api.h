/* sock/net_api.h: what the stack implementations share besides the ops table (riad/net.h): the list of stacks opened by name and the boot options every one reads; private to sock/, stack/ and runtime/unix/hostnet/. */
#ifndef RIAD_SOCK_NET_API_H
#define RIAD_SOCK_NET_API_H

#include <stddef.h>

#include <riad/args.h>
#include <riad/net.h>

/* The stack opened as name: 1 and *out if it is one of ops, -RIAD_EBUSY
 * if it is another implementation's, 0 if none (sock/net_api.c). */
int net_named_find(const char *name, const struct riad_net_ops *ops, struct riad_net **out);
/* Put net on the list (riad_net_close takes it off). */
void net_named_add(struct riad_net *net);

/* Take and drop a reference to net (riad/net.h's refs), for code that
 * keeps a stack beyond the application's handle (the syslog sender, the
 * management listener): its memory stays until net_release. */
void net_hold(struct riad_net *net);
void net_release(struct riad_net *net);

/* Called by net_named_add for each stack opened by name: starts the syslog
 * sender (ops/syslog.c) if --syslog names a collector and this is its
 * interface. */
void syslog_net_opened(struct riad_net *net);

/* The stacks opened by name: net_named_next(NULL) is the first, NULL
 * after the last. */
struct riad_net *net_named_next(struct riad_net *net);

/* The boot options --ipv4 and --ipv4-gateway, and the interfaces
 * RIAD_NET_IFACE declared (sock/net_args.c). */
const struct riad_arg_ipv4 *net_arg_ipv4(void);
const struct riad_arg_ipv4 *net_arg_gateway(void);
struct riad_net_iface_decl_ *net_iface_decl(const char *name);
size_t net_iface_count(void);

#endif
