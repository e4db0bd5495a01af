# Unmodified multiboot kernels as guests, given as GRUB modules (the list:
# tests/boot/modules.list, image build/hv-modules.iso), under Bochs with the
# no-EPT Penryn model: every loader format (multiboot 1 and 2, ELF32, ELF64,
# a.out kludge), modules handed to a guest, bad images refused with their
# reason while the next guest still runs, the PC platform and CPUID/MSR view
# (guest-platform, the last guest), and the last guest's exit status.
MODULE_EXPECT=()
for pair in guest-modules:guest-modules.elf guest-modules-mb2:guest-modules-mb2.elf \
	guest-mb2-pae:guest-mb2-pae.elf guest-mb2-long:guest-mb2-long.elf \
	guest-long:guest-long.elf64 guest-aout:guest-aout.bin; do
	mapfile -t -O ${#MODULE_EXPECT[@]} MODULE_EXPECT < \
		<(guest_expect_one "${pair%%:*}" "${pair#*:}" 'CPUID has no pdpe1gb')
done
# The platform guest, last in the list (its status is the hypervisor's): no SKIP at all.
mapfile -t -O ${#MODULE_EXPECT[@]} MODULE_EXPECT < \
	<(guest_expect_one guest-platform guest-platform.elf)

boot_case bochs-module-guests bochs 600 --mem 1024 --iso "$BUILD/hv-modules.iso" -- \
	"${MODULE_EXPECT[@]}" \
	'^vmx: guest guest-modules.elf: multiboot1 ELF32 kernel, entry 0x[0-9a-f]+, 1 modules, cmdline "expect-modules=1 expect-env=answer=42 expect-modcmd=answer.env"$' \
	'^vmx: guest guest-modules-mb2.elf: multiboot2 ELF32 kernel, entry 0x[0-9a-f]+, 2 modules, ' \
	'^vmx: guest guest-mb2-pae.elf: multiboot2 ELF32 kernel, ' \
	'^vmx: guest guest-mb2-long.elf: multiboot2 ELF64 kernel, ' \
	'^vmx: guest guest-long.elf64: multiboot1 ELF64 kernel, ' \
	'^vmx: guest guest-long.elf64: starting, 64 MiB RAM$' \
	'^vmx: guest guest-aout.bin: multiboot1 a.out kludge kernel, entry 0x[0-9a-f]+, ' \
	'^vmx: guest guest-platform.elf: multiboot1 ELF32 kernel, entry 0x[0-9a-f]+, ' \
	'^vmx: guest hv32.elf: multiboot2 ELF32 kernel, entry 0x[0-9a-f]+, 0 modules, cmdline ""$' \
	'^guest: hv: hv-x86 microhypervisor .* \[MB2 BIOS\] cmdline=""$' \
	'^guest: cpu: GenuineIntel family 0x6 model 0x17 vmx=no \(under a hypervisor\)$' \
	'^guest: mm: 127 MiB usable, ' '^guest: SUMMARY: 16 tests, 0 unexpected failures$' \
	'^guest: vmx: not available: CPUID.1:ECX.VMX\[bit 5\] = 0 ' '^guest: hv: done$' \
	'^vmx: guest hv32.elf: exit status 0 \(port 0xf4\), status 0$' \
	'^vmx: guest hv32-badmagic: EAX = 0x12345678 instead of the boot magic \(test-only hv.eax\)$' \
	'^guest: hv: boot: bad boot magic in EAX \(not multiboot 1 or 2\), halting$' \
	'^vmx: guest hv32-badmagic: halted with interrupts off, status 1$' \
	'^vmx: guest no-header.elf: image refused: ELF image with neither a multiboot header nor a PVH entry note \(Xen ELF note 18\)$' \
	'^vmx: guest bad-checksum.elf: image refused: multiboot1 header at 0x[0-9a-f]+: bad checksum$' \
	'^vmx: guest outside-ram.elf: image refused: segment 0 at \[0xf0000000, \+0x[0-9a-f]+\) outside guest RAM \(0x8000000 bytes\)$' \
	'^vmx: guest overlap.elf: image refused: segments 0 and 2 overlap at 0x[0-9a-f]+$' \
	'^vmx: guest truncated.elf: image refused: truncated: ELF segment 0 file bytes \[0x[0-9a-f]+, \+0x[0-9a-f]+\) past the image end \(0x[0-9a-f]+\)$' \
	'^vmx: guest bad-aout.elf: image refused: a.out kludge: load_addr 0x[0-9a-f]+ above header_addr 0x[0-9a-f]+$' \
	'=6:^vmx: guest [a-z0-9.-]+: image refused: ' \
	'=9:^pool: audit ok$' \
	'^vmx: 15 guests run, 7 failed$' \
	'^hv: exit status 0 \(the last guest.s\)$' '^hv: done$' \
	-- '^FAIL' '^PANIC' "${GUEST_FORBID[@]}"
