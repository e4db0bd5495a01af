# `make test-full` only (FULL=1): the exhaustive page-table permission test,
# every one of its 78,384 combinations, as guests under the hypervisor in
# Bochs (no-EPT model). `make test` runs a fixed 1-in-16 sample of it.
if [ -n "${FULL:-}" ]; then
	mapfile -t PERM_EXPECT < <(guest_expect_one guest-permtest guest-permtest.elf64
		guest_expect_one guest-permtest-pae guest-permtest-pae.elf)
	boot_case bochs-permtest-full bochs 3000 --mem 512 --iso "$BUILD/hv-permfull.iso" -- \
		"${PERM_EXPECT[@]}" '^guest: permtest: .*full' '^vmx: 2 guests run, 0 failed$' \
		'^hv: exit status 0 \(the last guest.s\)$' '^hv: done$' \
		-- '^FAIL' '^PANIC' "${GUEST_FORBID[@]}"
fi
