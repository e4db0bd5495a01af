# Bochs emulates VT-x. core2_penryn_t9600 (VMX without EPT, VPID or
# unrestricted guest) is our target CPU; corei7_haswell_4770 has EPT and VPID,
# which the hypervisor must not depend on and must not trip over.
# Each runs every built-in test guest under shadow paging.

# The built-in guests, in the order the hypervisor runs them (GUEST_PROGS in
# tests/guests/guests.mk), and every test name each must PASS
# (tests/guests/expected/<guest>.txt).
GUEST_PROGRAMS=(guest-unpaged guest-pg32 guest-pae guest-long guest-permtest
	guest-permtest-pae guest-modeswitch)
# guest_expect_all [SKIP-REASON]: the expected lines of every built-in guest
# (guest_expect_one in lib.sh), and one audit/stats/exits line per guest.
guest_expect_all() {
	local g
	for g in "${GUEST_PROGRAMS[@]}"; do
		guest_expect_one "$g" "$g" "${1:-}"
	done
	echo "=${#GUEST_PROGRAMS[@]}:^pool: audit ok\$"
	echo "=${#GUEST_PROGRAMS[@]}:^pool: stats pages [0-9]+/[0-9]+/[0-9]+ high "
	echo "=${#GUEST_PROGRAMS[@]}:^vmx: guest [a-z0-9-]+: [0-9]+ exits: "
}

# The lines every guest-running boot must show.
VMX_OK=(
	'^vmx: revision=0x[0-9a-f]+ vmcs_size=[0-9]+ '
	'^vmx: VMXON ok, region at [0-9a-f]{16}$'
	'^vmx: pin=0x[0-9a-f]{8} proc=0x[0-9a-f]{8} proc2=0x[0-9a-f]{8} exit=0x[0-9a-f]{8} entry=0x[0-9a-f]{8}$'
	"^vmx: ${#GUEST_PROGRAMS[@]} guests run, 0 failed$"
	'^SUMMARY: [0-9]+ tests, 0 unexpected failures$'
	'^hv: done$'
)
VMX_FORBID=('^FAIL' '^PANIC' "${GUEST_FORBID[@]}" '^vmx: VM entry failed')

# Penryn has no 1 GiB pages: that one test may SKIP there.
mapfile -t GUEST_EXPECT < <(guest_expect_all 'CPUID has no pdpe1gb')
boot_case bochs-penryn-guests bochs 600 --mem 256 -- \
	'^hv: hv-x86 microhypervisor .* \[MB2 BIOS\]' \
	'^cpu: GenuineIntel family 0x6 model 0x17 vmx=yes' \
	'^vmx: revision=.* ept=no vpid=no unrestricted=no' \
	"${VMX_OK[@]}" "${GUEST_EXPECT[@]}" -- "${VMX_FORBID[@]}"

mapfile -t GUEST_EXPECT < <(guest_expect_all)
boot_case bochs-haswell-ept-guests bochs 600 --mem 256 --cpu corei7_haswell_4770 -- \
	'^cpu: GenuineIntel family 0x6 model 0x3c vmx=yes' \
	'^vmx: revision=.* ept=yes vpid=yes' \
	"${VMX_OK[@]}" "${GUEST_EXPECT[@]}" -- "${VMX_FORBID[@]}"

# A guest state broken on purpose: the VM entry must fail with its reason
# decoded, and the hypervisor must go on to a clean finish.
boot_case bochs-vmentry-failure bochs 300 --mem 256 --iso "$BUILD/hv-vmxbreak.iso" -- \
	'^vmx: breaking the guest state on purpose \(RFLAGS = 0\)$' \
	'^vmx: VM entry failed: exit reason 33 \(ENTRY_FAIL_GUEST_STATE: .*\), qualification 0$' \
	'^vmx:   GUEST_RFLAGS = 0x0+$' \
	'^vmx: 1 guests run, 1 failed$' '^hv: done$' \
	-- '^PANIC' '^guest: FAIL'
