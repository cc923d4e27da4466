# mk/bake.mk: riad-bake, the host program behind riad build's --bake and
# riad.conf's bake lines (tool/bake/): it writes the image of baked files
# (storage/kv_baked_wire.h) that the unikernel links in. Staged as
# libexec/riad/riad-bake; the riad command runs it.
BAKE_SRCS := $(sort $(wildcard tool/bake/*.c))
BAKE_OBJS := $(call host_obj,$(BAKE_SRCS))

$(STAGE)/libexec/riad/riad-bake: $(BAKE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -pie -o $@ $(BAKE_OBJS) -l:libbearssl.a

STAGE_FILES += $(STAGE)/libexec/riad/riad-bake
