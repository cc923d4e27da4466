# mk/hostnet.mk: the host-socket stack (runtime/unix/hostnet/): riad/net.h
# over the host kernel's sockets, for the unix target only, staged as its
# own archive and pkg-config file, so that a unikernel chooses it when
# linking (pkg-config riad-unix-hostnet, or riad build -t unix --hostnet)
# instead of riad's own stack over a tap. It lives in a directory of its
# own so that libriad-unix.a (runtime/unix/*.c) never holds a second
# definition of the socket API.
HOSTNET_SRCS := $(sort $(wildcard runtime/unix/hostnet/*.c))
HOSTNET_OBJS := $(call host_obj,$(HOSTNET_SRCS))

# Built here, staged by mk/symbols.mk (with riad's internal names renamed).
UNIX_ARCHIVES += libriad-unix-hostnet.a
$(UNIX_BUILD_LIBDIR)/libriad-unix-hostnet.a: $(HOSTNET_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

STAGE_FILES += $(UNIX_LIBDIR)/libriad-unix-hostnet.a $(STAGE)/lib/pkgconfig/riad-unix-hostnet.pc
