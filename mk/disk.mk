# mk/disk.mk: riad-disk, the host program behind `riad disk` (tool/disk/),
# linked with the unix target's libraries so that it runs the very storage
# code the unikernels run. It links the archives before their internal
# names are renamed (mk/symbols.mk): it is riad's own tool and may use
# storage internals (the overlay's geometry). Staged as
# libexec/riad/riad-disk; the riad command runs it.
DISK_SRCS := $(sort $(wildcard tool/disk/*.c))
DISK_OBJS := $(call host_obj,$(DISK_SRCS))
DISK_LIBS := $(UNIX_BUILD_LIBDIR)/libriad-storage.a $(UNIX_BUILD_LIBDIR)/libriad-unix.a $(UNIX_BUILD_LIBDIR)/libriad.a

$(STAGE)/libexec/riad/riad-disk: $(DISK_OBJS) $(DISK_LIBS)
	@mkdir -p $(dir $@)
	$(CC) -pie -o $@ $(DISK_OBJS) -Wl,--gc-sections -Wl,--start-group $(DISK_LIBS) -Wl,--end-group -l:libbearssl.a

STAGE_FILES += $(STAGE)/libexec/riad/riad-disk
