# tests/ops/syslog_lib.sh: what tests/ops/syslog.t and syslog_tls.t share
# (sourced after tests/net/lib.sh): rsyslogd as the collector, the
# command channel of tests/ops/syslogapp, and the order check.

# rs_fields OUT: the configuration lines that write each message to OUT as
# version|host|app|procid|msgid|severity|facility|sd|msg.
rs_fields() {
	printf '%s\n' 'template(name="fields" type="string" string="%protocol-version%|%hostname%|%app-name%|%procid%|%msgid%|%syslogseverity%|%syslogfacility%|%structured-data%|%msg%\n")' \
		"*.* action(type=\"omfile\" file=\"$1\" template=\"fields\")"
}

# rs_run NS DIR PORT: rsyslogd in NS with DIR/rsyslog.conf, until it
# listens on TCP PORT. Sets RS_PID; rs_stop ends it.
rs_run() {
	local ns=$1 dir=$2 port=$3 i
	rm -f "$dir/pid"
	net_bg "$dir/rsyslogd.out" "$ns" rsyslogd -n -f "$dir/rsyslog.conf" -i "$dir/pid"
	RS_PID=$NET_PID
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$ns" ss -Hltn "sport = :$port" | grep -q . && return 0
		sleep 0.05
	done
	echo "rsyslogd did not start: $(cat "$dir/rsyslogd.out")" >&2
	return 1
}
rs_stop() {
	kill "$RS_PID" 2>/dev/null
	wait "$RS_PID" 2>/dev/null
}

# cmd NS ADDR TEXT: send the command, print the answer ("ok N", or
# "timeout" after 10 s).
cmd() {
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.sendto(sys.argv[2].encode(), (sys.argv[1], 7000))
try:
    print(s.recv(100).decode().strip())
except socket.timeout:
    print("timeout")
' "$2" "$3"
}

# seq_ok FILE PREFIX TAG N: the messages of TAG in FILE (lines starting
# PREFIX) are exactly TAG-0 .. TAG-(N-1), in that order.
seq_ok() {
	diff <(grep -F "$2" "$1" | sed -n "s/.*|\($3-[0-9]*\)\$/\1/p") \
		<(seq 0 $(($4 - 1)) | sed "s/^/$3-/") >/dev/null
}
export -f seq_ok
