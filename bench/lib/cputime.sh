# bench/lib/cputime.sh: sourced by the benchmarks to print how much CPU
# each side of a measurement used over the measured window, per process and
# as a fraction of one core, so that the reader sees which side was
# saturated (a side near 1.00 core on a pinned core is the bottleneck; a
# ratio between two servers means little if the load generator was).
#
# Two ways, one per kind of process:
#   - a long-running process (a server): cpu_mark NAME PID... before the
#     window, then cpu_report NAME after it: utime + stime from
#     /proc/PID/stat of each PID and its descendants (all threads; the
#     kernel's work done in the process's system calls, such as a tap
#     write running the receive path, counts as its system time), over the
#     wall time between the two calls;
#   - a process the benchmark runs to completion (a client): cpu_run FILE
#     CMD... runs CMD and writes its user and system seconds (getrusage of
#     the children, through bash's `times` in a subshell, which starts at
#     zero) and the wall seconds to FILE; cpu_file FILE formats it.
# Both print "0.97 core (user 0.31, sys 0.66)": CPU seconds per wall second.
#
# core_mark and core_report give the busy fraction of each CPU from
# /proc/stat over the window (every process of the machine, softirq and
# ksoftirqd included, so other load counts too): what the per-process
# figures miss, such as packets processed in softirq context.

CPU_HZ=$(getconf CLK_TCK)
declare -A cpu_u0 cpu_s0 cpu_t0 cpu_pids

# cpu_tree PID...: each PID and its descendants (through
# /proc/PID/task/*/children), one a line.
cpu_tree() {
	local p c
	for p in "$@"; do
		[ -d "/proc/$p" ] || continue
		echo "$p"
		for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
			cpu_tree "$c"
		done
	done
}

# cpu_ticks PID...: "UTIME STIME" in clock ticks, summed over the PIDs
# (not their descendants: cpu_mark lists those once, at the start).
cpu_ticks() {
	local p u=0 s=0 st
	for p in "$@"; do
		st=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		# The command name, in parentheses, may hold blanks: fields count
		# from after its last ')'; utime and stime are fields 14 and 15.
		st=${st##*) }
		set -- $st
		u=$((u + ${12})) s=$((s + ${13}))
	done
	echo "$u $s"
}

# cpu_mark NAME PID...: start the window of NAME over PID and its
# descendants as they are now.
cpu_mark() {
	local name=$1 u s
	shift
	cpu_pids[$name]=$(cpu_tree "$@" | tr '\n' ' ')
	read -r u s < <(cpu_ticks ${cpu_pids[$name]})
	cpu_u0[$name]=$u cpu_s0[$name]=$s cpu_t0[$name]=$EPOCHREALTIME
}

# cpu_report NAME: CPU per wall second of NAME's processes since cpu_mark.
# A process that exited meanwhile takes its time with it (the figure is
# then too low; the servers measured here live through their window).
cpu_report() {
	local name=$1 u s
	read -r u s < <(cpu_ticks ${cpu_pids[$name]})
	cpu_fmt "$(((u - cpu_u0[$name]) * 1000 / CPU_HZ))" "$(((s - cpu_s0[$name]) * 1000 / CPU_HZ))" \
		"$(awk -v a="${cpu_t0[$name]}" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')"
}

# cpu_fmt USER_MS SYS_MS WALL_MS
cpu_fmt() {
	awk -v u="$1" -v s="$2" -v w="$3" 'BEGIN {
		if (w <= 0) { print "? core"; exit }
		printf "%.2f core (user %.2f, sys %.2f)", (u + s) / w, u / w, s / w }'
}

# cpu_run FILE CMD...: run CMD (its output passes through; its status is
# returned); FILE gets "USER_MS SYS_MS WALL_MS".
cpu_run() {
	local f=$1
	shift
	(
		t0=$EPOCHREALTIME
		rc=0
		"$@" || rc=$?
		t1=$EPOCHREALTIME
		# times: the shell's own line, then its children's: "XmY.YYYs XmY.YYYs".
		# Not `times | awk`: the left of a pipe is a fork, whose children's
		# times start at zero.
		times >"$f"
		awk -v a="$t0" -v b="$t1" 'function ms(x) { split(x, p, /[ms]/); return int((p[1] * 60 + p[2]) * 1000 + 0.5) }
			NR == 2 { printf "%d %d %d\n", ms($1), ms($2), (b - a) * 1000 }' "$f" >"$f.new"
		mv "$f.new" "$f"
		exit $rc
	)
}

# cpu_file FILE: what cpu_run wrote, formatted as cpu_report formats.
cpu_file() {
	local u s w
	read -r u s w <"$1" 2>/dev/null || { echo "? core"; return; }
	cpu_fmt "$u" "$s" "$w"
}

declare -A core_busy0 core_all0
# core_mark CPU...: start a window of the busy time of those CPUs.
core_mark() {
	local c line
	for c in "$@"; do
		line=$(grep "^cpu$c " /proc/stat) || continue
		set -- $line
		# user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
		core_busy0[$c]=$(($2 + $3 + $4 + $7 + $8 + $9))
		core_all0[$c]=$(($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9))
	done
}
# core_report CPU...: "cpu0 0.99, cpu1 0.52": the busy fraction of each since core_mark.
core_report() {
	local c line b a out=()
	for c in "$@"; do
		line=$(grep "^cpu$c " /proc/stat) || continue
		set -- $line
		b=$(($2 + $3 + $4 + $7 + $8 + $9 - core_busy0[$c]))
		a=$(($2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 - core_all0[$c]))
		out+=("cpu$c $(awk -v b="$b" -v a="$a" 'BEGIN { printf "%.2f", a ? b / a : 0 }')")
	done
	local IFS=,
	echo "${out[*]}" | sed 's/,/, /g'
}
