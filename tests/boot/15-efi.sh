# Direct UEFI boot: build/hv.efi (boot/efi/) under QEMU TCG with OVMF, from a
# FAT disk that QEMU makes out of a folder (tools/emu kind qemu-efi-dir:DIR).
# The boot manager starts DIR/EFI/BOOT/BOOTX64.EFI by itself; without it the
# UEFI shell runs DIR/startup.nsh (after a 5 s countdown). Sourced by
# tools/runtests after tests/boot/lib.sh.

EFI_GUEST=$BUILD/guests/guest-long.elf

# efi_folder NAME: an empty folder for one case's FAT disk, printed.
efi_folder() {
	local d=$BUILD/efi-boot/$1
	rm -rf "$d" && mkdir -p "$d" && echo "$d"
}

# A startup.nsh that runs hv.efi with ARGS, then says what it returned and
# powers the machine off (QEMU exits 0), so a loader that returns is seen.
efi_startup_nsh() { # efi_startup_nsh DIR ARGS
	printf '%s\r\n' '@echo -off' 'fs0:' "hv.efi $2" \
		'echo "startup.nsh: hv.efi returned %lasterror%"' 'reset -s' >"$1/startup.nsh"
}

EFI_LOADER_OK=(
	'^efi: hv-x86 loader: loading the kernel$'
	'^efi: exiting boot services; kernel entry 0x[0-9a-f]+$'
	'^efi: boot services exited \(attempt [1-4]\), [0-9]+ memory regions; starting the kernel$'
	'^hv: hv-x86 microhypervisor .* \[EFI\]'
	'^mm: [0-9]+ MiB usable, [0-9]+ free frames of [0-9]+'
	'^PASS: trap: direct map is no-execute \(#PF P\|I/D\)$'
	'^SUMMARY: [0-9]+ tests, 0 unexpected failures$'
	'^vmx: not available: '
	'^hv: done$'
)

if [ -n "${TESTS:-}" ] && ! [[ qemu-efi- =~ $TESTS ]] && ! [[ $TESTS =~ efi ]]; then
	: # none of these cases is selected
elif [ ! -f "$BUILD/hv.efi" ] || [ ! -f "$EFI_GUEST" ]; then
	result FAIL "boot/efi-*" "$BUILD/hv.efi or $EFI_GUEST missing: run make efi all"
else
	# Removable-media path, a guest image beside the loader, 256 MiB and 2 GiB.
	d=$(efi_folder bootx64)
	mkdir -p "$d/EFI/BOOT"
	cp "$BUILD/hv.efi" "$d/EFI/BOOT/BOOTX64.EFI"
	cp "$EFI_GUEST" "$d/EFI/BOOT/guest-long.elf"
	boot_case qemu-efi-bootx64 "qemu-efi-dir:$d" 120 --mem 256 --expect-status 0 -- \
		"${EFI_LOADER_OK[@]}" \
		'^efi: guest image guest-long.elf: [0-9]+ bytes at 0x[0-9a-f]+ \(ELF-32\)$' \
		'^hv: hv-x86 microhypervisor .* \[EFI\] cmdline=""$'
	boot_case qemu-efi-bootx64-2g "qemu-efi-dir:$d" 120 --mem 2048 --expect-status 0 -- \
		"${EFI_LOADER_OK[@]}" '^mm: direct map 2048 MiB '

	# From the UEFI shell with a command line, nothing beside the loader, 3 GiB;
	# hv.efi.stale_key makes the firmware's first map key stale on purpose, so
	# ExitBootServices must fail once and succeed on the second attempt.
	d=$(efi_folder shell)
	cp "$BUILD/hv.efi" "$d/hv.efi"
	efi_startup_nsh "$d" "hv.efi.stale_key x=1"
	boot_case qemu-efi-shell-3g "qemu-efi-dir:$d" 120 --mem 3072 --expect-status 0 -- \
		"${EFI_LOADER_OK[@]}" \
		'^efi: command line "hv.efi.stale_key x=1"$' \
		'^efi: note: no guest images \(\*\.elf\) in \\$' \
		'^efi: boot services exited \(attempt 2\), ' \
		'^hv: hv-x86 microhypervisor .* \[EFI\] cmdline="hv.efi.stale_key x=1"$'

	# A guest image cut short (a copy that did not finish): the loader names
	# it, gives its memory back and returns EFI_LOAD_ERROR; the shell carries
	# on (prints the status: 0x1) and powers off. The kernel never starts.
	d=$(efi_folder truncated)
	cp "$BUILD/hv.efi" "$d/hv.efi"
	head -c 2000 "$EFI_GUEST" >"$d/broken.elf"
	efi_startup_nsh "$d" ""
	boot_case qemu-efi-truncated-guest "qemu-efi-dir:$d" 120 --mem 256 --expect-status 0 -- \
		'^efi: hv-x86 loader: loading the kernel$' \
		"^efi: guest image broken.elf: bad ELF: segment [0-9]+ \(file bytes 0x[0-9a-f]+\+0x[0-9a-f]+\) lies beyond the file's 2000 bytes \(truncated\?\)$" \
		'^efi: hv-x86 loader: failed \(EFI_LOAD_ERROR\), returning to the firmware$' \
		'startup.nsh: hv.efi returned 0x1$' \
		-- '^hv: ' '^efi: exiting boot services' '^PANIC' '^FAIL'
fi
