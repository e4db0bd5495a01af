# The exhaustive page-table permission test on bare Bochs, without the
# hypervisor: a check of the test's own reference model against an emulated
# Intel CPU (Penryn: no 1 GiB pages, none needed here). Every group must PASS:
# Bochs has no reserved-bit error-code defect, so no SKIP is accepted.
BARE_EXPECT=()
while IFS= read -r name; do
	[ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
	BARE_EXPECT+=("^PASS: $(printf '%s' "$name" | sed 's/[][\.*^$+?(){}|]/\\&/g')\$")
done <tests/guests/expected/guest-permtest.txt
boot_case bochs-bare-permtest bochs 300 --mem 128 --iso "$BUILD/permtest-bare.iso" -- \
	"${BARE_EXPECT[@]}" "^SUMMARY: ${#BARE_EXPECT[@]} tests, 0 unexpected failures\$"
