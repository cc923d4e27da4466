/* tender/common/args.c: the tender command line: KERNEL, --mem, module options, usage, the guest's command line. */
#include "tender.h"
#include "elf.h"
#include "mft.h"

#include <inttypes.h>
#include <string.h>

int args_scan(struct tender *t, int argc, char **argv, struct tender_error *err)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--help") == 0)
			return ARGS_HELP;
		if (strcmp(argv[i], "--version") == 0)
			return ARGS_VERSION;
	}
	if (i >= argc)
		return error_set(err, "missing KERNEL operand (see --help)");
	t->kernel = argv[i];
	t->kernel_index = i;
	t->guest_argc = argc - i - 1;
	t->guest_argv = argv + i + 1;
	return 0;
}

int args_mem(const char *value, uint64_t *mib, struct tender_error *err)
{
	uint64_t v = 0;

	if (*value == '\0')
		return error_set(err, "--mem: missing size in MiB");
	for (const char *p = value; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return error_set(err, "--mem=%s: not a whole number of MiB", value);
		if (v > (UINT64_MAX >> 20) / 10)
			return error_set(err, "--mem=%s: too large", value);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v == 0)
		return error_set(err, "--mem=%s: must be at least 1 MiB", value);
	if (v > (UINT64_MAX >> 20))
		return error_set(err, "--mem=%s: too large", value);
	*mib = v;
	return 0;
}

int args_device(const struct tender *t, const char *arg, const char *prefix, uint32_t type,
		const char **value, struct tender_error *err)
{
	size_t plen = strlen(prefix), n;
	const char *name = arg + plen, *eq;
	char buf[RIAD_MFT_NAME_SIZE];
	int index;

	if (strncmp(arg, prefix, plen) != 0)
		return 0;
	eq = strchr(name, '=');
	if (eq == NULL)
		return error_set(err, "%s: expected %sNAME=VALUE", arg, prefix);
	n = (size_t)(eq - name);
	if (n == 0)
		return error_set(err, "%s: missing device name", arg);
	if (n > RIAD_MFT_NAME_MAX)
		return error_set(err, "%s: device name is %zu characters, at most %u", arg, n,
				 RIAD_MFT_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return error_set(err, "%s: device name may hold only letters and digits", arg);
	}
	memcpy(buf, name, n);
	buf[n] = '\0';
	index = mft_find(t->mft, buf, type);
	if (index <= 0)
		return error_set(err, "Resource not declared in manifest: '%s' (%s: no %s device of "
				      "that name)", buf, arg, mft_type_name(type));
	*value = eq + 1;
	return index;
}

int args_attach(const struct tender *t, const char *arg, const char *prefix, uint32_t type,
		const char **value, struct tender_error *err)
{
	int i = args_device(t, arg, prefix, type, value, err);
	if (i > 0 && t->dev[i].source != NULL)
		return error_set(err, "%s: device '%s' is already attached", arg, t->mft->e[i].name);
	return i;
}

int args_parse(struct tender *t, int argc, char **argv, struct tender_error *err)
{
	int i = 1;

	(void)argc;
	for (; i < t->kernel_index; i++) {
		const char *a = argv[i];
		int rc = 0;

		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--mem=", 6) == 0) {
			if (args_mem(a + 6, &t->mem_mib, err) < 0)
				return -1;
			t->mem_set = true;
			continue;
		}
		TENDER_MODULES_FOREACH(m) {
			if (!tender_module_offered(m, t->target))
				continue;
			rc = m->parse(t, a, err);
			if (rc != 0)
				break;
		}
		if (rc < 0)
			return -1;
		if (rc == 0)
			return error_set(err, "invalid option '%s' (see --help)", a);
	}
	return 0;
}

int args_cmdline(char *buf, size_t size, int argc, char *const *argv, struct tender_error *err)
{
	size_t used = 0;

	if (size == 0)
		return error_set(err, "no room for the guest command line");
	buf[0] = '\0';
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + (i > 0);

		if (n >= size - used)
			return error_set(err, "guest command line too long (at most %zu characters)",
					 size - 1);
		if (i > 0)
			buf[used++] = ' ';
		memcpy(buf + used, argv[i], n - (i > 0));
		used += n - (i > 0);
		buf[used] = '\0';
	}
	return 0;
}

void args_usage(FILE *f, const struct tender_target *target)
{
	fprintf(f, "usage: %s [--mem=MiB] [DEVICE OPTIONS] [--] KERNEL [ARGS...]\n", target->prog);
	fprintf(f, "Runs the Solo5 unikernel KERNEL (%s target, ABI version %" PRIu32 "),\n"
		   "passing it ARGS as its command line.\n",
		elf_note_target_name(target->abi_target), target->abi_version);
	fprintf(f, "  --mem=MiB        guest memory in MiB (default %" PRIu64 ")\n",
		target->default_mem_mib);
	/* By name: the linker keeps no order of its own (a file's modules
	 * may come out in reverse). */
	const struct tender_module *last = NULL;
	for (;;) {
		const struct tender_module *next = NULL;
		TENDER_MODULES_FOREACH(m) {
			if ((last == NULL || strcmp(m->name, last->name) > 0) &&
			    (next == NULL || strcmp(m->name, next->name) < 0))
				next = m;
		}
		if (next == NULL)
			break;
		if (tender_module_offered(next, target))
			fprintf(f, "%s", next->usage);
		last = next;
	}
	fprintf(f, "  --help           print this help and exit\n");
	fprintf(f, "  --version        print the version and exit\n");
	fprintf(f, "Every device the unikernel declares must be attached. The exit status is\n"
		   "the unikernel's, or 1 if the tender fails.\n");
}
