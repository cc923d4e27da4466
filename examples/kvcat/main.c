/* main.c: kvcat, the storage example: prints the values of the keys given as arguments from the store that --store names, chosen at boot (README.md beside this file).
 *
 *	riad run -t spt --block disk=site.img -- --store=tar:disk@site \
 *		--crypt-key=$(cat key.hex) /index.html /img/logo.png
 *
 * Each value is streamed to the console with partial gets, never loaded
 * whole. --list lists the whole store (values as /a/b, dictionaries as
 * /a/), or with arguments the dictionaries they name, one level each.
 * --set writes KEY=VALUE arguments into a writable store and flushes it.
 * A key that cannot be read (no such key, a dictionary, bytes that fail
 * authentication under --crypt-key) gives one error line naming it, and
 * kvcat goes on with the next.
 *
 * Exit status: 0 every key printed (listed, written); 1 some failed; 2 the
 * store could not be opened (a line says which layer, and why); 64 bad
 * options (before main, by the argument parser) or bad arguments.
 */
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/console.h>
#include <riad/devices.h>
#include <riad/errno.h>
#include <riad/kv.h>
#include <riad/log.h>
#include <riad/store.h>

/* The one block device --store may name. On hvt and spt the tender wants
 * every declared device attached, so kvcat needs --block disk=FILE there
 * even with --store=baked (any file of whole sectors will do). */
RIAD_DEVICE_BLOCK(disk);

RIAD_STORE_ARGS("tar:disk");
RIAD_ARG_BOOL(list, "list", false,
              "List the whole store, or the dictionaries given as arguments (one level).");
RIAD_ARG_BOOL(set, "set", false,
              "The arguments are KEY=VALUE: write each into the (writable) store, then flush.");

#define EXIT_FAILED 1
#define EXIT_NO_STORE 2
#define EXIT_USAGE 64

/* One partial get's worth. */
static char buf[16384];

/* Stream the value at key to the console. */
static int cat(struct riad_kv *kv, const char *key)
{
	uint64_t off = 0;
	for (;;) {
		size_t got = 0;
		int r = riad_kv_get(kv, key, off, buf, sizeof(buf), &got);
		if (r < 0)
			return r;
		riad_console_write(buf, got);
		off += got;
		if (got < sizeof(buf))
			return 0;
	}
}

/* ---- --list ---- */

/* An entry to print: its full path, and 'v' (a value), 'd' (a dictionary
 * to list below) or 'D' (a dictionary shown, not listed). */
struct entry {
	char kind;
	char path[];
};

struct stack {
	struct entry **v;
	size_t n, cap;
};

static int push(struct stack *s, char kind, const char *dir, const char *name)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct entry **v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -RIAD_ENOMEM;
		s->v = v, s->cap = cap;
	}
	size_t dl = strlen(dir), nl = strlen(name);
	struct entry *e = malloc(sizeof(*e) + dl + 1 + nl + 1);
	if (!e)
		return -RIAD_ENOMEM;
	e->kind = kind;
	memcpy(e->path, dir, dl);
	e->path[dl] = '/';
	memcpy(e->path + dl + 1, name, nl + 1);
	s->v[s->n++] = e;
	return 0;
}

/* Children of one dictionary, pushed in reverse so that they pop in the
 * store's (byte) order. */
struct children {
	struct stack *s;
	const char *dir;
	bool below;   /* list dictionaries below too */
	size_t first; /* where this dictionary's children start on the stack */
};

static int collect(void *arg, const char *name, enum riad_kv_type type)
{
	struct children *c = arg;
	char kind = type == RIAD_KV_DICT ? (c->below ? 'd' : 'D') : 'v';
	return push(c->s, kind, c->dir, name);
}

static int list_children(struct riad_kv *kv, struct stack *s, const char *dir, bool below)
{
	struct children c = { .s = s, .dir = dir, .below = below, .first = s->n };
	int r = riad_kv_list(kv, dir[0] ? dir : "/", collect, &c);
	for (size_t i = c.first, j = s->n; r == 0 && i + 1 < j; i++, j--) {
		struct entry *t = s->v[i];
		s->v[i] = s->v[j - 1];
		s->v[j - 1] = t;
	}
	return r;
}

/* List dir ("" or "/" for the root): everything below it if below, its
 * own entries only otherwise. Returns 0 or the first error (the listing
 * goes on past a dictionary that cannot be listed). */
static int list_dir(struct riad_kv *kv, const char *dir, bool below)
{
	struct stack s = { 0 };
	char top[RIAD_KV_KEY_MAX + 2];
	int r = riad_kv_key_normalise(dir, top + 1);
	if (r < 0)
		return r;
	top[0] = '/';
	const char *start = top[1] ? top : "";
	int first = list_children(kv, &s, start, below);
	while (s.n > 0) {
		struct entry *e = s.v[--s.n];
		if (e->kind == 'v') {
			riad_console_printf("%s\n", e->path);
		} else {
			riad_console_printf("%s/\n", e->path);
			if (e->kind == 'd') {
				r = list_children(kv, &s, e->path, below);
				if (r < 0) {
					riad_err(NULL, "%s/: %s", e->path, riad_strerror(r));
					if (!first)
						first = r;
				}
			}
		}
		free(e);
	}
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i]);
	free(s.v);
	return first;
}

/* ---- --set ---- */

static int set_one(struct riad_kv *kv, char *arg)
{
	char *eq = strchr(arg, '=');
	*eq = 0;
	int r = riad_kv_set(kv, arg, eq + 1, strlen(eq + 1));
	*eq = '=';
	return r;
}

int main(int argc, char **argv)
{
	if (argc < 2 && !list) {
		riad_err(NULL, "nothing to do: give the keys to print, or --list");
		return EXIT_USAGE;
	}
	if (list && set) {
		riad_err(NULL, "--list and --set do not go together");
		return EXIT_USAGE;
	}
	for (int i = 1; set && i < argc; i++)
		if (!strchr(argv[i], '=') || argv[i][0] == '=') {
			riad_err(NULL, "--set: '%s' is not KEY=VALUE", argv[i]);
			return EXIT_USAGE;
		}

	int err = 0;
	struct riad_kv *kv = riad_store_open_args(set, &err);
	if (!kv)
		return EXIT_NO_STORE; /* riad_store_open logged which layer, and why */

	int status = 0;
	if (list && argc < 2) {
		int r = list_dir(kv, "/", true);
		if (r < 0) {
			riad_err(NULL, "/: %s", riad_strerror(r));
			status = EXIT_FAILED;
		}
	}
	for (int i = 1; i < argc; i++) {
		int r = list ? list_dir(kv, argv[i], false) : set ? set_one(kv, argv[i]) : cat(kv, argv[i]);
		if (r < 0) {
			riad_err(NULL, "%s: %s", argv[i], riad_strerror(r));
			status = EXIT_FAILED;
		}
	}
	if (set) {
		int r = riad_kv_flush(kv);
		if (r < 0) {
			riad_err(NULL, "flush: %s", riad_strerror(r));
			status = EXIT_FAILED;
		}
	}
	riad_kv_close(kv);
	return status;
}
