# Smoke boots under QEMU TCG: each boot path and two memory sizes.
boot_case qemu-mb1-64m qemu-mb1 60 --mem 64 --expect-status 0 -- \
	'^hv: hv-x86 microhypervisor .* \[MB1\]' "${BOOT_OK[@]}"
boot_case qemu-mb1-3g-1gpages qemu-mb1 60 --mem 3072 --cpu max --expect-status 0 -- \
	'^hv: hv-x86 microhypervisor .* \[MB1\]' '^mm: direct map [0-9]+ MiB .* with 1 GiB pages' \
	"${BOOT_OK[@]}"
boot_case qemu-bios-mb2 qemu-bios 60 --mem 256 --expect-status 0 -- \
	'^hv: hv-x86 microhypervisor .* \[MB2 BIOS\]' '^mm: direct map [0-9]+ MiB .* with 2 MiB pages' \
	"${BOOT_OK[@]}"
boot_case qemu-bios-mb2-3g qemu-bios 60 --mem 3072 --expect-status 0 -- \
	'^hv: hv-x86 microhypervisor .* \[MB2 BIOS\]' "${BOOT_OK[@]}"
boot_case qemu-uefi-mb2 qemu-uefi 120 --mem 256 --expect-status 0 -- \
	'^hv: hv-x86 microhypervisor .* \[MB2 UEFI\]' "${BOOT_OK[@]}"

# A kernel told to fault must print the exception dump and leave with the
# panic status; the test would fail if the dump went missing.
boot_case qemu-mb1-fault-dump qemu-mb1 60 --mem 64 --args "hv.fault=pf" --expect-status 2 -- \
	'^hv: faulting on purpose \(hv.fault=pf\)$' \
	'^PANIC: exception 14 \(#PF page fault\) error=0x2 cr2=0xdead0000000$' \
	'^  rip=[0-9a-f]{16} cs=0008 rflags=[0-9a-f]{16} rsp=[0-9a-f]{16} ss=0010$' \
	'^  rax=[0-9a-f]{16} rbx=' '^  stack at 0x[0-9a-f]{16}:$' \
	'^hv: halted after exception$' \
	-- '^hv: done$' '^FAIL'

# QEMU's TCG has no VT-x: one clear line, a SKIP, and a normal finish.
boot_case qemu-tcg-no-vmx qemu-bios 60 --mem 256 --expect-status 0 -- \
	'^vmx: not available: CPUID.1:ECX.VMX\[bit 5\] = 0 \(no VT-x on this CPU or emulator\)$' \
	'^SKIP: vmx: guests \(VT-x not available: ' '^hv: done$'
