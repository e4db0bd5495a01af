# Guest isolation under the hypervisor (Bochs Penryn; the TLB pair also on
# Haswell, which has VPID): the guests of tests/boot/iso.list as GRUB modules.
# Every test name of each guest's expected list must PASS (the feature walk may
# SKIP only what is not advertised and has no defined fault), with a clean pool
# audit after each, and the hypervisor's log must stay bounded while a guest
# floods it with unclaimed ports and MSRs.
iso_expect() {
	local g
	for g in guest-iso-step guest-iso-tlb-a guest-iso-tlb-b guest-iso-state-set \
		guest-iso-state-check guest-iso-cross guest-iso-vmcall guest-iso-exc; do
		guest_expect_one "$g" "$g.elf"
	done
	guest_expect_one guest-iso-features guest-iso-features.elf \
		'not advertised, no defined fault to check'
	echo '=9:^pool: audit ok$'
	echo '^vmx: 9 guests run, 0 failed$'
	echo '^hv: exit status 0 \(the last guest.s\)$'
}
ISO_FORBID=("${VMX_FORBID[@]}" '^guest: SKIP: iso-[a-z-]+: .*\((known|not under)')

# At most a once-set of lines for a guest that touches 300 unclaimed ports and
# 300 unknown MSRs (vmx/io/log.h: IO_ONCE_KEYS, IO_LOG_BURST).
iso_check_flood() {
	local name=$1 n
	[ -n "${TESTS:-}" ] && ! [[ $name =~ $TESTS ]] && return 0
	n=$(grep -c '^vmx: guest guest-iso-vmcall.elf: \(read of\|write 0x\|RDMSR\|WRMSR\)' \
		"$logs/boot-$name.log.txt")
	if [ "$n" -gt 0 ] && [ "$n" -le 32 ]; then
		result PASS "boot/$name-log-bounded"
	else
		result FAIL "boot/$name-log-bounded" "$n log lines for the flood, want 1..32"
	fi
}

mapfile -t ISO_EXPECT < <(iso_expect)
boot_case bochs-isolation-guests bochs 900 --mem 512 --iso "$BUILD/hv-iso.iso" -- \
	"${ISO_EXPECT[@]}" -- "${ISO_FORBID[@]}"
iso_check_flood bochs-isolation-guests
