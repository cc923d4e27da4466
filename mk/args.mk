# mk/args.mk: the command-line parts of the runtime: the sources the
# args_split fuzz target tests (see mk/fuzz.mk).
FUZZ_SRCS_args_split := runtime/args_split.c
