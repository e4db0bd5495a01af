# Guest test kernels (tests/guests/) on bare QEMU TCG, no hypervisor: paging here is
# emulated hardware, so what they report is the architecture's answer; a difference
# under the hypervisor is a hypervisor bug. Needs `make guests` ($(GUEST_ELFS)).
#
# The expected names are in tests/guests/expected/<guest>.txt. A name must print PASS,
# or SKIP for one of the two known platform reasons of bare QEMU: the QEMU 7.2 TCG
# reserved-bit #PF defect (error code without P) and the PC firmware ROM at 4 GiB - 4 KiB.
# guest-platform adds: a feature the QEMU CPU model offers that our hypervisor hides, and
# the QEMU 7.2 TCG defects it meets (CR4, MSR and local APIC checks QEMU does not make).

GUEST_KNOWN_SKIPS='known QEMU TCG defect: RSVD #PF without P'
GUEST_KNOWN_SKIPS+='|firmware ROM at this address on this platform'
GUEST_KNOWN_SKIPS+='|offered by this CPU model'
GUEST_KNOWN_SKIPS+='|known QEMU TCG defect: reserved CR4 bit hangs MOV to CR4'
GUEST_KNOWN_SKIPS+='|known QEMU TCG defect: a nonexistent MSR does not raise #GP'
GUEST_KNOWN_SKIPS+='|known QEMU TCG defect: IA32_APIC_BASE writes are not checked'
GUEST_KNOWN_SKIPS+='|known QEMU TCG defect: the APIC cannot be enabled again'
GUEST_KNOWN_SKIPS+='|known QEMU TCG defect: software-disabled APIC leaves LVT mask bits alone'

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
guest_case guest-native-platform guest-platform qemu64
guest_case guest-native-platform-max guest-platform max
