/* riad/store.h: choosing the storage stack at boot: "--store=tar:disk@site --crypt-key=HEX" opens a device, a partition, the encryption overlay and a KV store.
 *
 * Which stack of block instances and which store a unikernel reads is a
 * boot-time choice (DESIGN.md section 8; MirageOS 4.5's runtime
 * arguments), so that the application names only the top, the KV store
 * (riad/kv.h). One line declares the two boot options, and one call opens
 * what they say:
 *
 *	RIAD_DEVICE_BLOCK(disk);
 *	RIAD_STORE_ARGS("tar:disk");
 *
 *	int err;
 *	struct riad_kv *kv = riad_store_open_args(false, &err);
 *
 * The specification. --store=SPEC, SPEC one of
 *	tar:DEVICE[@PARTITION]     a tar archive (riad_kv_tar_open)
 *	store:DEVICE[@PARTITION]   riad's writable store (riad_kv_store_open)
 *	baked                      the files baked into the image by riad build
 *	                           (riad_kv_baked_open); "baked:" is the same.
 *	                           It takes no device, no partition, no key.
 * DEVICE is the name of a block device the unikernel declares with
 * RIAD_DEVICE_BLOCK (1 to 67 ASCII letters and digits, as Solo5 names are)
 * and that is attached at boot (riad run --block DEVICE=FILE). PARTITION,
 * after the first '@', is what riad_block_part_open() takes:
 *	N          the Nth partition, 1 to 65535 in decimal without leading
 *	           zeros (GPT: table order; MBR: 1-4 primary, 5.. logical)
 *	type:GUID  the first GPT partition of that type (8-4-4-4-12 hex digits)
 *	NAME       the GPT partition of that name: valid UTF-8 of at most 36
 *	           UTF-16 code units (a GPT name's room), no control
 *	           characters. A name of decimal digits only is taken as N.
 * Without '@PARTITION' the store is on the whole device. Kinds are
 * lower-case and matched exactly. A SPEC is at most RIAD_STORE_SPEC_MAX
 * bytes (riad/opt.h).
 *
 * The key. --crypt-key=HEX, 32 to 128 hexadecimal digits (a key of 16 to
 * 64 bytes, 32 recommended; either case), places the authenticated
 * encryption overlay (riad_block_crypt_open, never formatting) on the
 * partition, or on the whole device, before the store: disk -> partition
 * -> overlay -> store. The overlay's image is made on the host with `riad
 * disk encrypt`. The key's text among the arguments is overwritten with
 * zeros by riad_store_open_args(), and the decoded key is wiped after the
 * overlay has taken it; an error message never shows the key. (On hvt and
 * spt the tender's copy of the command line stays, read-only on hvt; on
 * unix /proc shows the text until it is wiped.)
 *
 * Errors. An ill-formed --store or --crypt-key is rejected by the argument
 * parser before main() (one line naming the option, status 64;
 * riad-args(7)). What only opening can find (no such device, partition or
 * archive, a wrong key) is riad_store_open()'s return value, with one line
 * logged on the "kv" source saying which layer failed.
 */
#ifndef RIAD_STORE_H
#define RIAD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/args.h>
#include <riad/errno.h>
#include <riad/kv.h>
#include <riad/random.h>
#include <riad/opt.h>

/* Longest DEVICE: Solo5's device names (riad/devices.h). */
#define RIAD_STORE_DEVICE_MAX 67
/* Longest PARTITION in bytes: 36 UTF-16 code units of three UTF-8 bytes. */
#define RIAD_STORE_PART_MAX 108
/* Largest partition index. */
#define RIAD_STORE_PART_INDEX_MAX 65535
/* Key lengths in bytes (riad_block_crypt_open's). */
#define RIAD_STORE_KEY_MIN 16
#define RIAD_STORE_KEY_MAX 64

enum riad_store_kind {
	RIAD_STORE_TAR = 1,
	RIAD_STORE_STORE = 2,
	RIAD_STORE_BAKED = 3,
};

/* A parsed SPEC. */
struct riad_store_spec {
	enum riad_store_kind kind;
	char device[RIAD_STORE_DEVICE_MAX + 1]; /* "" for baked */
	char part[RIAD_STORE_PART_MAX + 1];     /* "" for the whole device */
};

/* Parse text (a NUL-terminated SPEC, untrusted) into *out. Returns 0, or
 * -RIAD_EINVAL leaving *out untouched and, if why is not NULL, writing
 * into why[0..len) one line (no newline, control characters shown as '?',
 * truncated to fit, NUL-terminated) saying what is wrong. Pure: no
 * allocation, no I/O, no logging. */
int riad_store_spec_parse(const char *text, struct riad_store_spec *out, char *why, size_t len);

/* Write spec back as text ("tar:disk@site", "baked") into buf[0..len),
 * NUL-terminated and truncated to fit; returns the length of the whole
 * text (as snprintf). What riad_store_spec_parse() accepted, written back,
 * parses to the same spec. */
size_t riad_store_spec_format(const struct riad_store_spec *spec, char *buf, size_t len);

/* "tar", "store", "baked", or "?" for another value. */
const char *riad_store_kind_name(enum riad_store_kind kind);

/* Decode hex (the --crypt-key text: an even number of hex digits, 2 *
 * RIAD_STORE_KEY_MIN to 2 * RIAD_STORE_KEY_MAX of them) into key, setting
 * *keylen. Returns 0 or -RIAD_EINVAL (key then holds nothing). Never
 * copies the text into a message. */
int riad_store_key_decode(const char *hex, uint8_t key[RIAD_STORE_KEY_MAX], size_t *keylen);

/* The checks of --store and --crypt-key (riad_arg_check_fn, riad/args.h). */
int riad_store_spec_check(const char *value, char *why, size_t len);
int riad_store_key_check(const char *value, char *why, size_t len);

/* Open the stack that spec (a SPEC, see the top) names: the block device
 * by name (riad_block_open), its partition if given
 * (riad_block_part_open), the overlay if key is not NULL
 * (riad_block_crypt_open with format false; keylen 16 to 64), then the
 * store. writable: a tar archive is opened for appending, and the returned
 * store accepts changes; otherwise every change is -RIAD_EROFS. key stays
 * the caller's (wipe it after the call).
 *
 * Returns the store, which owns the whole stack: riad_kv_close() on it
 * closes the store, then the overlay, the partition and the device. Its
 * kind is the store's ("tar", "store", "baked"). On failure returns NULL
 * with *err set (err may be NULL), everything opened so far closed again,
 * and one line logged on the "kv" source naming the layer: -RIAD_EINVAL
 * (spec ill-formed, a key with baked, keylen out of range), or what the
 * layer returned: -RIAD_ENODEV (device not attached), -RIAD_EBUSY (already
 * open), -RIAD_ENOENT (no such partition), -RIAD_EBADMSG (no partition
 * table, no overlay or no store where one was expected, a damaged tar
 * header), -RIAD_EACCES (wrong key), -RIAD_EIO, -RIAD_ENOMEM, ... May park
 * the calling fiber (block I/O). */
struct riad_kv *riad_store_open(const char *spec, const uint8_t *key, size_t keylen,
                                bool writable, int *err);

/* riad_store_open() with the key given as --crypt-key's text (NULL for
 * none). The text is decoded into a buffer that is wiped after the call;
 * the text itself is not touched. */
struct riad_kv *riad_store_open_hex(const char *spec, const char *key_hex, bool writable,
                                    int *err);

/* Declare --store (with default dflt, a SPEC or NULL for none: then
 * riad_store_open_args() fails with -RIAD_EINVAL unless --store is given)
 * and --crypt-key in the file that uses them, both checked by the argument
 * parser before main(), and define in that file
 *
 *	static struct riad_kv *riad_store_open_args(bool writable, int *err);
 *
 * which opens what they name (riad_store_open_hex) and then overwrites the
 * key's text on the command line with zeros: call it once. The values are
 * in the file's variables riad_store_arg and riad_crypt_key_arg (NULL when
 * not given). Ends with the caller's ';'. */
#define RIAD_STORE_ARGS(dflt)                                                         \
	RIAD_ARG_STRING_CHECKED(riad_store_arg, "store", dflt, riad_store_spec_check,     \
	                        "KIND:DEVICE[@PARTITION]: the store to open, KIND tar or " \
	                        "store, PARTITION a GPT name or an index; or baked "      \
	                        "(riad/store.h).");                                       \
	RIAD_ARG_STRING_CHECKED(riad_crypt_key_arg, "crypt-key", NULL,                    \
	                        riad_store_key_check,                                     \
	                        "HEX: 16 to 64 bytes of key in hex; places the "          \
	                        "encryption overlay under the store.");                   \
	__attribute__((__unused__)) static struct riad_kv *riad_store_open_args(          \
		bool writable_, int *err_)                                                \
	{                                                                                 \
		struct riad_kv *kv_ = riad_store_open_hex(riad_store_arg,                 \
		                                          riad_crypt_key_arg, writable_,  \
		                                          err_);                          \
		if (riad_crypt_key_arg) {                                                 \
			/* It points into the command line, which is writable. */         \
			char *t_ = (char *)(uintptr_t)riad_crypt_key_arg;                 \
			size_t n_ = 0;                                                    \
			while (t_[n_])                                                    \
				n_++;                                                     \
			riad_wipe(t_, n_);                                          \
		}                                                                         \
		return kv_;                                                               \
	}                                                                                 \
	struct riad_store_args_end_

#endif
