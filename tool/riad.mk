# tool/riad.mk: the build of a riad unikernel, as a GNU make (4.2 or later)
# fragment. riad build runs it; any Makefile can include it, installed as
# PREFIX/share/riad/riad.mk (pkg-config --variable=mkfile riad-TARGET):
#
#   TARGET = hvt
#   NAME = hello
#   include $(shell pkg-config --variable=mkfile riad-$(TARGET))
#
# Variables it reads, set before the include (riad(1) explains them):
#   TARGET   unix, unix-hostnet, spt or hvt (default: unix)
#   NAME     the unikernel's name (default: the directory's name)
#   SRCS     its C sources (default: every .c file below the directory,
#            subdirectories included, except in _build/, dist/ and
#            directories whose name starts with '.')
#   CC, CFLAGS, LDFLAGS   as usual, added after riad's flags
#   LDLIBS   extra libraries, linked before riad's
#   BAKE     DIR[:PREFIX] words: directories baked into the image
#   V=1      show the commands
# It builds dist/NAME.TARGET ('all'), with the objects in _build/TARGET/:
# each source SRC to _build/TARGET/SRC.o with a dependency file (a changed
# header recompiles the sources that include it). A change of the flags, the
# target, the sources' list or riad's installation (its libraries, this
# file, the riad command) rebuilds everything: _build/TARGET/*.sig record
# them. Paths may not contain spaces. 'riad-clean' removes _build and dist.

ifeq ($(filter-out 3.% 4.0% 4.1%,$(MAKE_VERSION)),)
$(error riad.mk needs GNU make 4.2 or later ($$(file <) reads the .sig files); this is $(MAKE_VERSION))
endif
RIAD_MK := $(abspath $(lastword $(MAKEFILE_LIST)))
RIAD_PREFIX := $(abspath $(dir $(RIAD_MK))/../..)

# Not from the environment (a shell may set NAME for its own use).
$(foreach v,TARGET NAME SRCS BAKE,$(if $(filter environment,$(origin $(v))),$(eval $(v) :=)))
TARGET := $(or $(TARGET),unix)
NAME := $(or $(NAME),$(notdir $(CURDIR)))

RIAD_PC := $(RIAD_PREFIX)/lib/pkgconfig/riad-$(TARGET).pc
ifeq ($(wildcard $(RIAD_PC)),)
$(error TARGET '$(TARGET)' is not installed: there is no $(RIAD_PC))
endif
riad_pkg = $(shell PKG_CONFIG_PATH='$(RIAD_PREFIX)/lib/pkgconfig' pkg-config $(1) riad-$(TARGET))
RIAD_PC_CFLAGS := $(call riad_pkg,--cflags)
RIAD_PC_LIBS := $(call riad_pkg,--libs)
ifeq ($(RIAD_PC_LIBS),)
$(error pkg-config gives no flags for riad-$(TARGET) (is pkg-config installed?))
endif

RIAD_O := _build/$(TARGET)
RIAD_OUT := dist/$(NAME).$(TARGET)

# Sources: SRCS, with shell patterns expanded, or every .c file below.
ifneq ($(strip $(SRCS)),)
RIAD_SRCS := $(patsubst ./%,%,$(foreach s,$(SRCS),$(or $(wildcard $(s)),$(s))))
else
RIAD_SRCS := $(sort $(patsubst ./%,%,$(shell find . \( -name _build -o -name dist -o -name '.?*' \) -prune \
	-o -name '*.c' -type f -print)))
endif
ifeq ($(RIAD_SRCS),)
$(error no .c files in $(CURDIR) (start one with 'riad new NAME'))
endif
RIAD_MISSING := $(filter-out $(wildcard $(RIAD_SRCS)),$(RIAD_SRCS))
ifneq ($(RIAD_MISSING),)
$(error no such source: $(RIAD_MISSING))
endif
# _build/TARGET/SRC.o; '../' becomes '__/' and a leading '/' '_abs/', so
# that no object lands outside _build/TARGET.
riad_obj = $(RIAD_O)/$(subst ../,__/,$(patsubst /%,_abs/%,$(1))).o
RIAD_OBJS := $(foreach s,$(RIAD_SRCS),$(call riad_obj,$(s)))

all: $(RIAD_OUT)

# No absolute path in the debug information: the same sources give the same
# bytes wherever the directory is.
# (Quoted: the directory may hold spaces, though no path below it may.)
RIAD_PMAP = $(call riad_shq,-ffile-prefix-map=$(CURDIR)=.)
RIAD_CFLAGS = $(RIAD_PC_CFLAGS) -O2 -g -Wall $(RIAD_PMAP) $(CFLAGS)

# riad's installation as it is now: a reinstalled riad rebuilds everything
# (the libraries and linker script pkg-config names, its .pc file, this
# file and the riad command; their sizes and times).
riad_comma := ,
RIAD_IDENT_FILES := $(wildcard $(filter %.a %.lds,$(subst $(riad_comma), ,$(RIAD_PC_LIBS)))) \
	$(RIAD_PC) $(RIAD_MK) $(RIAD_PREFIX)/bin/riad
RIAD_IDENT := $(shell find $(RIAD_IDENT_FILES) -maxdepth 0 -printf '%f:%s:%T@\n' 2>/dev/null)

ifeq ($(V),1)
riad_q :=
riad_say = :
else
riad_q := @
riad_say = printf '  %-7s %s\n'
endif

# _build/TARGET/NAME.sig holds what the files that depend on it were made
# with (the flags, the target, the sources' list, riad's installation...):
# when that text changes, the .sig file is remade, and with it all that
# depends on it. riad_stale NAME,TEXT: riad-force if NAME.sig does not hold
# TEXT; riad_shq TEXT: TEXT quoted for the shell.
riad_differ = $(subst x$(1),,x$(2))$(subst x$(2),,x$(1))
riad_stale = $(if $(call riad_differ,$(file <$(RIAD_O)/$(1).sig),$(2)),riad-force)
riad_shq = '$(subst ','\'',$(1))'

RIAD_CSIG := $(strip $(TARGET) $(CC) $(RIAD_CFLAGS) $(RIAD_IDENT))
RIAD_LSIG := $(strip $(NAME) $(CC) $(LDFLAGS) $(LDLIBS) $(RIAD_PC_LIBS) $(RIAD_OBJS) $(BAKE) $(RIAD_IDENT))
$(RIAD_O)/cflags.sig: $(call riad_stale,cflags,$(RIAD_CSIG))
	@mkdir -p $(@D) && printf '%s\n' $(call riad_shq,$(RIAD_CSIG)) >$@
$(RIAD_O)/link.sig: $(call riad_stale,link,$(RIAD_LSIG))
	@mkdir -p $(@D) && printf '%s\n' $(call riad_shq,$(RIAD_LSIG)) >$@

# riad_compile SRC,OBJ
define riad_compile
$(2): $(1) $(RIAD_O)/cflags.sig
	@mkdir -p $$(@D)
	@$$(riad_say) CC $(1)
	$$(riad_q)$$(CC) $$(RIAD_CFLAGS) -MMD -MP -MF $$(@:.o=.d) -c $(1) -o $$@
endef
$(foreach s,$(RIAD_SRCS),$(eval $(call riad_compile,$(s),$(call riad_obj,$(s)))))
-include $(RIAD_OBJS:.o=.d)

RIAD_LINK_OBJS := $(RIAD_OBJS)

# Baked files (riad-bake, tool/bake/): remade when BAKE, SOURCE_DATE_EPOCH or
# riad-bake change, or when a file or directory it read (baked.deps) is newer
# than the image or gone.
ifneq ($(strip $(BAKE)),)
RIAD_BAKER := $(RIAD_PREFIX)/libexec/riad/riad-bake
RIAD_BAKE_SIG := $(strip $(BAKE) $(SOURCE_DATE_EPOCH) \
	$(shell find $(RIAD_BAKER) -maxdepth 0 -printf '%s:%T@' 2>/dev/null))
$(RIAD_O)/bake.sig: $(call riad_stale,bake,$(RIAD_BAKE_SIG))
	@mkdir -p $(@D) && printf '%s\n' $(call riad_shq,$(RIAD_BAKE_SIG)) >$@
RIAD_BAKE_STALE := $(shell [ -f $(RIAD_O)/baked.S ] && [ -f $(RIAD_O)/baked.deps ] || echo stale; \
	[ ! -f $(RIAD_O)/baked.deps ] || sed -z 's|^[^/]|./&|' $(RIAD_O)/baked.deps | \
	xargs -0 -r sh -c 'find "$$@" -maxdepth 0 -newer "$$0" -print -quit' $(RIAD_O)/baked.S 2>&1 | head -c 1)
$(RIAD_O)/baked.S: $(RIAD_O)/bake.sig $(if $(RIAD_BAKE_STALE),riad-force)
	@mkdir -p $(@D)
	$(riad_q)s=$$($(RIAD_BAKER) $(RIAD_O)/baked $(BAKE)) && echo "riad: baked: $$s"
$(RIAD_O)/baked.o: $(RIAD_O)/baked.S $(RIAD_O)/cflags.sig
	$(riad_q)$(CC) $(RIAD_PC_CFLAGS) -c $< -o $@
RIAD_LINK_OBJS += $(RIAD_O)/baked.o
endif

# hvt and spt: the manifest note, from the devices the objects declare
# (riad/devices.h), by the riad command.
ifneq ($(filter hvt spt,$(TARGET)),)
# It is made again only when the list of devices, the name or riad's
# installation changes (most edits change none; _build/TARGET/.riad-devices
# holds them), so that make, which looks at its time again, leaves the
# object be.
$(RIAD_O)/.riad-manifest.stamp: $(RIAD_LINK_OBJS) $(RIAD_O)/link.sig
	$(riad_q)d=$(RIAD_O)/.riad-devices && \
	{ echo $(NAME).$(TARGET) $(call riad_shq,$(RIAD_IDENT)) && nm $(filter %.o,$^) | awk '$$NF ~ /^__riad_device\./ { print $$NF }' | \
		LC_ALL=C sort -u; } >$$d.tmp && \
	{ cmp -s $$d.tmp $$d && [ -f $(RIAD_O)/.riad-manifest.c ] && rm $$d.tmp || \
	{ $(RIAD_PREFIX)/bin/riad __manifest $(TARGET) $(NAME).$(TARGET) $(RIAD_O)/.riad-manifest.c \
		$(filter %.o,$^) && mv $$d.tmp $$d; }; } && touch $@
$(RIAD_O)/.riad-manifest.c: $(RIAD_O)/.riad-manifest.stamp ;
$(RIAD_O)/.riad-manifest.o: $(RIAD_O)/.riad-manifest.c $(RIAD_O)/cflags.sig
	$(riad_q)$(CC) $(RIAD_PC_CFLAGS) -O2 -g $(RIAD_PMAP) -c $< -o $@
RIAD_LINK_OBJS += $(RIAD_O)/.riad-manifest.o
endif

$(RIAD_OUT): $(RIAD_LINK_OBJS) $(RIAD_O)/link.sig $(wildcard $(filter %.a %.o,$(LDLIBS)))
	@mkdir -p $(@D)
	$(riad_q)$(if $(strip $(BAKE)),,rm -f $(RIAD_O)/baked.* && )$(CC) -o $@.tmp $(RIAD_LINK_OBJS) \
		$(LDFLAGS) $(LDLIBS) $(RIAD_PC_LIBS)
	$(riad_q)mv $@.tmp $@ && echo "riad: built $@"

riad-clean:
	rm -rf _build dist

riad-force:

.PHONY: all riad-clean riad-force
