# mk/hostnet.mk: the host-socket stack (runtime/unix/hostnet/): an
# implementation of riad/net.h's stack ops over the host kernel's sockets,
# for the unix target only. Its objects go into libriad-unix.a, so that any
# unix unikernel may open it (riad_net_open_host) next to riad's own stack;
# it defines no symbol of riad's own stack. riad-unix-hostnet.pc is
# riad-unix.pc plus --defsym=riad_net_open=riad_net_open_host, which makes
# riad_net_open open the host-socket stack (riad build -t unix --hostnet)
# and leaves riad's own stack out of the link.
HOSTNET_SRCS := $(sort $(wildcard runtime/unix/hostnet/*.c))
HOSTNET_OBJS := $(call host_obj,$(HOSTNET_SRCS))

# Built into the unix runtime's archive (staged by mk/symbols.mk).
$(UNIX_BUILD_LIBDIR)/libriad-unix.a: $(HOSTNET_OBJS)

STAGE_FILES += $(STAGE)/lib/pkgconfig/riad-unix-hostnet.pc
