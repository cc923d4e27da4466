/* examples/args: typed command-line options: greets --name --count times,
 * in capitals with --shout. Try --help, or -l debug. */
#include <ctype.h>
#include <stdio.h>

#include <riad/args.h>
#include <riad/log.h>

RIAD_ARG_STRING(name, "name", "World", "Who to greet.");
RIAD_ARG_INT(count, "count", 2, "How many times to greet.");
RIAD_ARG_BOOL(shout, "shout", false, "Greet in capitals.");

int main(int argc, char **argv)
{
	char greeting[256];
	snprintf(greeting, sizeof(greeting), "Hello, %s!", name);
	for (char *c = greeting; shout && *c; c++)
		*c = (char)toupper((unsigned char)*c);
	for (int i = 1; i < argc; i++)
		riad_debug(NULL, "positional argument %d: %s", i, argv[i]);
	for (int64_t i = 0; i < count; i++)
		riad_info(NULL, "%s", greeting);
	return 0;
}
