# Interrupts and time under the hypervisor (Bochs Penryn, no preemption timer:
# the host local APIC timer; and Haswell, with the VMX preemption timer): the
# interrupt guests of tests/boot/irq.list as GRUB modules. Each passing guest
# must print every test name of its tests/guests/expected/ list as PASS (no
# SKIP under the hypervisor: its platform is exact), then the three guests that
# cannot end are stopped with their reasons while the next guest still runs.
# A byte sequence typed into the serial line reaches guest-irq-uart-in through
# COM1 interrupts. Then two checks on the log: the TSC frequency the guest
# measured against its own PIT is the one the hypervisor measured against the
# host's PIT (within 1 %), and host interrupts stay near the host timer rate.
irq_expect() {
	local g
	for g in guest-irq-pic:guest-irq-pic.elf guest-irq-idle:guest-irq-idle.elf \
		guest-irq-rtc:guest-irq-rtc.elf guest-irq-fault:guest-irq-fault.elf64 \
		guest-irq-uart-in:guest-irq-uart-in.elf guest-irq-apic:guest-irq-apic.elf; do
		guest_expect_one "${g%%:*}" "${g#*:}"
	done
	echo '^guest: irq-pic: uart tx: the quick brown fox jumps over the lazy dog 0123456789$'
	echo '^guest: irq-uart-in: got ping$'
	echo '^guest: irq-spin-sti: spinning$'
	echo '^vmx: guest guest-irq-spin-sti.elf: stopped at its time limit \(2 s of guest time, hv.timeout\), status 1$'
	echo '^guest: irq-halt: halting$'
	echo '^vmx: guest guest-irq-halt.elf: stopped at its time limit \(2 s of guest time, hv.timeout\), status 1$'
	echo '^vmx: guest guest-irq-halt-cli.elf: halted with interrupts off, status 1$'
	echo '=9:^pool: audit ok$'
	echo '^vmx: 9 guests run, 3 failed$'
	echo '^hv: exit status 0 \(the last guest.s\)$'
	echo '^hv: done$'
}
IRQ_FORBID=('^FAIL' '^PANIC' '^guest: SKIP' '^guest: FAIL' '^pool: audit FAILED'
	'^vmx: unhandled exit' '^vmx: .* frames not returned' '^vmx: VM entry failed'
	'woken by vector')

# The guest's TSC frequency (irq-idle's "tsc N kHz", PIT channel 2 of the
# guest) against the hypervisor's ("cpu: tsc X MHz", the host's PIT).
irq_check_tsc() {
	local name=$1 log=$logs/boot-$1.log.txt host guest
	[ -n "${TESTS:-}" ] && ! [[ $name =~ $TESTS ]] && return 0
	host=$(sed -n 's/^cpu: tsc \([0-9.]*\) MHz.*/\1/p' "$log" | head -1)
	guest=$(sed -n 's/^guest: irq-idle: tsc \([0-9]*\) kHz.*/\1/p' "$log" | head -1)
	if [ -n "$host" ] && [ -n "$guest" ] &&
		awk -v h="$host" -v g="$guest" 'BEGIN { d = g / 1000 - h; if (d < 0) d = -d; exit !(d <= h / 100) }'; then
		result PASS "boot/$name-tsc"
	else
		result FAIL "boot/$name-tsc" "host ${host:-?} MHz, guest ${guest:-?} kHz"
	fi
}

# Host interrupts of a guest: one per device deadline that ends in an injected
# interrupt, plus the serial input poll (100 a second) and a preemption tick
# while it spins; more than injected + 400 a guest second is a storm.
irq_check_host_rate() {
	local name=$1 log=$logs/boot-$1.log.txt bad
	[ -n "${TESTS:-}" ] && ! [[ $name =~ $TESTS ]] && return 0
	bad=$(awk '/^vmx: guest .*: time [0-9]+ ms, [0-9]+ host interrupts, [0-9]+ halts, [0-9]+ interrupts/ {
		ms = $5; n = $7; inj = $12
		if (ms > 100 && n > inj + 400 * ms / 1000 + 20) print $3 " " n "/" ms "ms (" inj " injected)" }' "$log")
	if grep -q '^vmx: guest .*: time [0-9]* ms, [0-9]* host interrupts' "$log" && [ -z "$bad" ]; then
		result PASS "boot/$name-host-interrupts"
	else
		result FAIL "boot/$name-host-interrupts" "${bad:-no time line}"
	fi
}

mapfile -t IRQ_EXPECT < <(irq_expect)
boot_case bochs-irq-guests bochs 900 --mem 512 --iso "$BUILD/hv-irq.iso" \
	--input tests/boot/irq-uart.input -- "${IRQ_EXPECT[@]}" -- "${IRQ_FORBID[@]}"
irq_check_tsc bochs-irq-guests
irq_check_host_rate bochs-irq-guests

# The same on the VMX preemption timer (Haswell): a CLI; JMP . spinner too.
irq_expect_haswell() {
	local g
	for g in guest-irq-idle guest-irq-pic guest-irq-apic; do
		guest_expect_one "$g" "$g.elf"
	done
	echo '^vmx: pin=0x[0-9a-f]*[4-7cdef][0-9a-f] ' # the preemption timer (pin bit 6)
	echo '^guest: irq-spin: spinning$'
	echo '^vmx: guest guest-irq-spin.elf: stopped at its time limit \(2 s of guest time, hv.timeout\), status 1$'
	echo '=4:^pool: audit ok$'
	echo '^vmx: 4 guests run, 1 failed$'
	echo '^hv: exit status 0 \(the last guest.s\)$'
}
mapfile -t IRQ_EXPECT < <(irq_expect_haswell)
boot_case bochs-haswell-irq-guests bochs 600 --mem 512 --cpu corei7_haswell_4770 \
	--iso "$BUILD/hv-irq-haswell.iso" -- "${IRQ_EXPECT[@]}" -- "${IRQ_FORBID[@]}"
irq_check_host_rate bochs-haswell-irq-guests
