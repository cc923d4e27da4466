/* tender/common/tender.h: the state a tender builds from its command line and the guest's manifest, and the device modules that fill it in.
 *
 * Start-up, shared by riad-hvt and riad-spt (tender_setup() runs it all):
 *
 *   1. args_scan: find KERNEL (the first operand, or the word after "--");
 *      --help and --version act at once.
 *   2. read KERNEL; check its ABI1 note for this target, read and validate
 *      its manifest (MFT1).
 *   3. args_parse: the options before KERNEL: --mem=MiB, then each
 *      module's options (--net:..., --block:...), checked against the
 *      manifest. Nothing is opened yet. Anything else is an error.
 *   4. each module's attach opens the host resources it was asked for and
 *      fills in the manifest entries (attached, hostfd, mac/mtu,
 *      capacity/block_size).
 *   5. every declared device must be attached.
 *
 * The target then maps memory, loads the ELF, does its own device set-up
 * and writes the boot info. Every error is one line naming what was wrong;
 * the tender prints it and exits with status 1.
 */
#ifndef RIAD_TENDER_TENDER_H
#define RIAD_TENDER_TENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "abi/mft.h"
#include "error.h"

/* What the command line asked for one manifest entry. */
struct tender_dev {
	const char *source; /* net: IFACE or @FD; block: PATH; NULL if not given */
	bool mac_set; /* net: --net-mac given */
	uint8_t mac[6];
	uint32_t sector_size; /* block: --block-sector-size, 0 for the default */
};

/* What distinguishes riad-hvt from riad-spt at this level. */
struct tender_target {
	const char *prog; /* "riad-spt" */
	uint32_t abi_target; /* RIAD_ABI_TARGET_* */
	uint32_t abi_version;
	uint64_t default_mem_mib;
	/* Whether it can offer riad's net extension (abi/mft.h): riad-spt
	 * and riad-hvt do, and then take --net-offload=on|off. */
	bool net_offload;
};

/* The manifest buffer: room for the largest one, 8-aligned. */
union tender_mft_buf {
	struct riad_mft mft;
	uint8_t bytes[RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES)];
	uint64_t align;
};

struct tender {
	const struct tender_target *target;
	const char *kernel; /* KERNEL operand */
	int kernel_index; /* its index in argv */
	int guest_argc; /* the words after KERNEL */
	char **guest_argv;
	/* KERNEL's contents as far as the loader reads them (malloc): up to the
	 * end of its program headers, loadable segments and notes, or all of it
	 * if those make no sense (tender_read_kernel()). */
	uint8_t *image;
	size_t image_size;
	uint64_t mem_mib; /* --mem, or the target's default */
	bool mem_set;
	union tender_mft_buf mft_buf;
	struct riad_mft *mft; /* = &mft_buf.mft once read */
	size_t mft_size;
	uint32_t abi_flags; /* the guest's RIAD_ABI1_F_* (abi/elf_note.h) */
	bool net_offload_off; /* --net-offload=off */
	struct tender_dev dev[RIAD_MFT_MAX_ENTRIES]; /* indexed like mft->e */
};

/* A device module: one file that registers itself with TENDER_MODULE(), so
 * the list of modules is what was linked, not a hand-kept table. */
struct tender_module {
	const char *name;
	const char *usage; /* option syntax, one or more lines */
	/* 1 if arg is this module's and was recorded, 0 if it is not this
	 * module's, -1 if it is but is malformed (err set). */
	int (*parse)(struct tender *t, const char *arg, struct tender_error *err);
	/* Opens what the parsed options asked for; fills in manifest entries.
	 * NULL for a module that only records a choice. */
	int (*attach)(struct tender *t, struct tender_error *err);
	/* NULL, or whether the target has this module at all: where it says
	 * no, the module's options are unknown and its usage is not shown. */
	bool (*offered)(const struct tender_target *target);
};

/* Whether module m is the target's (its offered hook, if any, says yes). */
static inline bool tender_module_offered(const struct tender_module *m,
					 const struct tender_target *target)
{
	return m->offered == NULL || m->offered(target);
}

#define TENDER_MODULE(id, ...) \
	static const struct tender_module tender_module_##id \
		__attribute__((used, section("riad_tender_modules"), aligned(8))) = {__VA_ARGS__}

/* The linker provides these bounds of the riad_tender_modules section (weak:
 * with no module linked they are both 0). */
extern const struct tender_module __start_riad_tender_modules[] __attribute__((weak));
extern const struct tender_module __stop_riad_tender_modules[] __attribute__((weak));

#define TENDER_MODULES_FOREACH(m) \
	for (const struct tender_module *m = __start_riad_tender_modules; \
	     m < __stop_riad_tender_modules; m++)

/* args_scan() results besides 0 and -1. */
#define ARGS_HELP 1
#define ARGS_VERSION 2

/* Pass 1 (argv[0] is the program): finds KERNEL and the guest's words. */
int args_scan(struct tender *t, int argc, char **argv, struct tender_error *err);

/* Pass 2: options before KERNEL, against t->mft. */
int args_parse(struct tender *t, int argc, char **argv, struct tender_error *err);

/* --mem's value: decimal MiB, 1 and up, that fits in bytes as a uint64_t. */
int args_mem(const char *value, uint64_t *mib, struct tender_error *err);

/* For modules: if arg is PREFIX NAME=VALUE, checks NAME ([A-Za-z0-9],
 * 1..67 characters) and that the manifest declares it with type, and
 * returns its index (>= 1) with *value pointing after '='. 0 if arg does
 * not start with prefix; -1 on error. */
int args_device(const struct tender *t, const char *arg, const char *prefix, uint32_t type,
		const char **value, struct tender_error *err);

/* args_device() for the word that attaches a device (--net:, --block:):
 * also fails if that device is already attached. */
int args_attach(const struct tender *t, const char *arg, const char *prefix, uint32_t type,
		const char **value, struct tender_error *err);

/* Joins argv[0..argc) with single spaces into buf (size bytes, NUL-
 * terminated); fails if it does not fit. */
int args_cmdline(char *buf, size_t size, int argc, char *const *argv, struct tender_error *err);

void args_usage(FILE *f, const struct tender_target *target);

/* Where boot_place() put things: the boot information block's host
 * pointer (bi_size bytes, for the target to fill) and the guest addresses
 * of the manifest copy and the command line that follow it. */
struct boot_place {
	void *bi;
	uint64_t mft_addr, cmd_addr;
};

/* Lays out, from guest address bi_addr, the target's boot information
 * block (bi_size bytes), the manifest copy and the command line (cmd_size
 * bytes), all below limit; writes the manifest and the command line. 0, or
 * -1 with err set if they do not fit or the command line is too long. */
struct guest_mem;
int boot_place(const struct guest_mem *mem, const struct tender *t, uint64_t bi_addr,
	       size_t bi_size, size_t cmd_size, uint64_t limit, struct boot_place *out,
	       struct tender_error *err);

/* Steps 2, 4 and 5 above, for tests and for tender_setup(). */
int tender_read_kernel(struct tender *t, struct tender_error *err);
int tender_check_kernel(struct tender *t, struct tender_error *err);
int tender_attach(struct tender *t, struct tender_error *err);

/* All of start-up; prints the error and exits 1 on failure, prints usage or
 * version and exits 0 for --help and --version. */
void tender_setup(struct tender *t, const struct tender_target *target, int argc, char **argv);

/* Prints "PROG: MSG" on standard error and exits 1. */
void tender_die(const struct tender *t, const struct tender_error *err) __attribute__((noreturn));

#endif
