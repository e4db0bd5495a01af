# Helpers for smoke-boot cases, sourced by tools/runtests.
#
#   boot_case NAME KIND TIMEOUT [--mem MiB] [--cpu CPU] [--args "..."] \
#             [--expect-status N] [--iso PATH] [--input FILE] -- EXPECT... [-- FORBID...]
#
# Boots with tools/emu, then checks that every EXPECT regex (grep -E, matched
# against whole lines: add ^...$ yourself) matches a line of the serial log
# (written "=N:REGEX", it must match exactly N lines),
# and that no FORBID regex does. Default FORBID: ^FAIL and ^PANIC. When
# --expect-status is given, the emulator's exit status must equal it.
# --input FILE types into the serial line as FILE says (tools/emu SERIAL_INPUT).

boot_case() {
	local name=$1 kind=$2 limit=$3
	shift 3
	local mem=256 cpu="" args="" want_status="" iso="" input=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		case $1 in
		--mem) mem=$2; shift 2 ;;
		--cpu) cpu=$2; shift 2 ;;
		--args) args=$2; shift 2 ;;
		--expect-status) want_status=$2; shift 2 ;;
		--iso) iso=$2; shift 2 ;;
		--input) input=$2; shift 2 ;;
		*) echo "boot_case $name: bad option $1" >&2; return 1 ;;
		esac
	done
	shift
	local expect=() forbid=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do expect+=("$1"); shift; done
	if [ $# -gt 0 ]; then shift; forbid=("$@"); else forbid=('^FAIL' '^PANIC'); fi

	if [ -n "${TESTS:-}" ] && ! [[ $name =~ $TESTS ]]; then return 0; fi
	local log=$logs/boot-$name.log
	rm -f "$log"
	if [ -n "$iso" ] && [ ! -f "$iso" ]; then
		result FAIL "boot/$name" "image $iso missing (not built by make test?)"
		return 0
	fi
	MEM=$mem CPU=$cpu ISO=$iso SERIAL_INPUT=$input tools/emu "$kind" "$log" "$limit" $args
	local status=$?
	tr -d '\r' <"$log" >"$log.txt" 2>/dev/null || : >"$log.txt"

	local why=""
	[ "$status" = 124 ] && why="timed out after ${limit}s; "
	if [ -n "$want_status" ] && [ "$status" != "$want_status" ]; then
		why+="exit status $status, want $want_status; "
	fi
	local re
	local n count
	for re in "${expect[@]}"; do
		if [[ $re =~ ^=([0-9]+):(.*)$ ]]; then
			n=${BASH_REMATCH[1]} re=${BASH_REMATCH[2]}
			count=$(grep -Ec -- "$re" "$log.txt")
			[ "$count" = "$n" ] || why+="$count lines /$re/, want $n; "
		else
			grep -Eq -- "$re" "$log.txt" || why+="missing line /$re/; "
		fi
	done
	for re in "${forbid[@]}"; do
		grep -Eq -- "$re" "$log.txt" && why+="forbidden line /$re/: $(grep -Em1 -- "$re" "$log.txt"); "
	done
	if [ -z "$why" ]; then
		result PASS "boot/$name"
	else
		why=${why%; }
		[ ${#why} -gt 1500 ] && why="${why:0:1500} ... (more in $log.txt)"
		result FAIL "boot/$name" "$why"
		echo "  --- last lines of $log.txt ---"
		tail -15 "$log.txt" | sed 's/^/  | /'
	fi
}

# Lines every successful boot must print (the self-test part of the log).
BOOT_OK=(
	'^cpu: [A-Za-z]+ family 0x[0-9a-f]+ model 0x[0-9a-f]+ vmx=(yes|no)'
	'^mm: [0-9]+ MiB usable, [0-9]+ free frames of [0-9]+'
	'^PASS: mm: two frames, distinct and page aligned$'
	'^PASS: trap: #PF read of unmapped page, error 0, CR2 exact$'
	'^PASS: trap: direct map is no-execute \(#PF P\|I/D\)$'
	'^SUMMARY: [0-9]+ tests, 0 unexpected failures$'
	'^hv: done$'
)

# guest_expect_one EXPECTED LOGNAME [SKIP-REASON]: the lines a guest run under
# the hypervisor must print: every test name of tests/guests/expected/EXPECTED.txt
# as "guest: PASS: ..." (or SKIP for SKIP-REASON only: a feature the CPU model
# lacks), its SUMMARY with the exact count, and how it ended.
guest_expect_one() {
	local list=tests/guests/expected/$1.txt log=$2 skip=${3:-} n=0 name re
	while IFS= read -r name; do
		[ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
		re=$(printf '%s' "$name" | sed 's/[][\.*^$+?(){}|]/\\&/g')
		if [ -n "$skip" ]; then
			echo "^guest: (PASS: $re|SKIP: $re \\($skip\\))\$"
		else
			echo "^guest: PASS: $re\$"
		fi
		n=$((n + 1))
	done <"$list"
	re=$(printf '%s' "$log" | sed 's/[][\.*^$+?(){}|]/\\&/g')
	echo "^vmx: guest $re: exit status 0 \\(port 0xf4\\), status 0\$"
	echo "^guest: SUMMARY: $n tests, 0 unexpected failures\$"
}

# Lines no hypervisor boot that runs guests may print.
GUEST_FORBID=('^guest: FAIL' '^pool: audit FAILED' '^vmx: unhandled exit'
	'^vmx: .* frames not returned' '^vmx: guest .*: (triple fault|cannot|did not run)')
