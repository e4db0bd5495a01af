# make debug: QEMU stopped at the first instruction with a gdb stub on :1234;
# the provided gdb script (tools/gdbinit) loads the symbols and must stop in
# kernel_main, with a backtrace down to the 64-bit entry.
gdb_debug_case() {
	local name=gdb-debug log=$logs/gdb-debug.log
	if [ -n "${TESTS:-}" ] && ! [[ $name =~ $TESTS ]]; then return 0; fi
	tools/run debug >"$logs/gdb-debug-qemu.log" 2>&1 &
	local qemu=$!
	local ok=""
	for try in 1 2 3 4 5; do
		sleep 1
		timeout 60 gdb -batch -nx -x tools/gdbinit -ex bt -ex kill >"$log" 2>&1 </dev/null
		if grep -q '^#0 .*kernel_main (bi=' "$log" && grep -q 'in start64 ()' "$log"; then
			ok=yes
			break
		fi
	done
	kill "$qemu" 2>/dev/null
	wait "$qemu" 2>/dev/null
	if [ -n "$ok" ]; then
		result PASS "boot/$name"
	else
		result FAIL "boot/$name" "gdb did not stop in kernel_main, see $log"
		tail -5 "$log" | sed 's/^/  | /'
	fi
}
gdb_debug_case
