# Guest test kernels (tests/guests/) on bare QEMU TCG, no hypervisor: paging here is
# emulated hardware, so what they report is the architecture's answer; a difference
# under the hypervisor is a hypervisor bug. Needs `make guests` ($(GUEST_ELFS)).
#
# The expected names are in tests/guests/expected/<guest>.txt. A name must print PASS,
# or SKIP for one of the two known platform reasons of bare QEMU: the QEMU 7.2 TCG
# reserved-bit #PF defect (error code without P) and the PC firmware ROM at 4 GiB - 4 KiB.

GUEST_KNOWN_SKIPS='known QEMU TCG defect: RSVD #PF without P'
GUEST_KNOWN_SKIPS+='|firmware ROM at this address on this platform'

# guest_expect FILE: one whole-line regex per expected name.
guest_expect() {
	local name re
	while IFS= read -r name; do
		[ -z "$name" ] && continue
		[ "${name#\#}" != "$name" ] && continue
		re=$(printf '%s' "$name" | sed 's/[][\.*^$+?(){}|]/\\&/g')
		printf '^(PASS: %s|SKIP: %s \\((%s)\\))$\n' "$re" "$re" "$GUEST_KNOWN_SKIPS"
	done <"$1"
}

# guest_case CASE GUEST CPU [ARGS]: boots $BUILD/guests/GUEST.elf with -kernel.
guest_case() {
	local case=$1 guest=$2 cpu=$3 args=${4:-}
	local expect=()
	mapfile -t expect < <(guest_expect "tests/guests/expected/$guest.txt")
	boot_case "$case" "qemu-guest:$BUILD/guests/$guest.elf" 20 --mem 128 --cpu "$cpu" \
		${args:+--args "$args"} --expect-status 0 -- "${expect[@]}" \
		"^SUMMARY: ${#expect[@]} tests, 0 unexpected failures\$"
}

guest_case guest-native-unpaged guest-unpaged qemu64
guest_case guest-native-pg32 guest-pg32 qemu64
guest_case guest-native-pae guest-pae max
guest_case guest-native-long guest-long max
guest_case guest-native-permtest guest-permtest max
guest_case guest-native-permtest-full guest-permtest max full
guest_case guest-native-permtest-pae guest-permtest-pae max
guest_case guest-native-modeswitch guest-modeswitch qemu64
