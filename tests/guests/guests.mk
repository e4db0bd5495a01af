# Guest test kernels (tests/guests/): multiboot1 kernels run as VT-x guests by the
# hypervisor and, unchanged, by `qemu-system-x86_64 -kernel` (ELF32 only there).
#
#   make -f tests/guests/guests.mk [BUILD=build]    builds them standalone
#   include tests/guests/guests.mk                  from the top-level Makefile (after
#                                                   its first rule), then depend on
#                                                   $(GUEST_ELFS)
#
# Outputs: $(BUILD)/guests/<name>.elf (ELF32, what QEMU -kernel loads) and, for the
# long-mode kernels, $(BUILD)/guests/<name>.elf64 (the linked ELF64). Own flags, not the
# hypervisor's: the guests are separate programs, some of them 32-bit.
#
# Variables for the including Makefile:
#   GUEST_PROGS, GUEST_ELFS   the kernels built into the hypervisor (multiboot1 ELF)
#   GUEST_LOADER_IMAGES       kernels for the multiboot loader's boot test, run as GRUB
#                             modules: multiboot2 ELF32 and ELF64, a multiboot1 a.out-kludge
#                             flat binary (QEMU -kernel cannot start the multiboot2 ones),
#                             and guest-platform (multiboot1 ELF32, also run on bare QEMU)
#   GUEST_MODULE_ELFS         kernels that check the modules they are given
#                             (tests/guests/modules.c), multiboot1 and multiboot2
#   GUEST_MODULE_FILES        module files for them (an environment file)
#   BAD_IMAGES                broken kernels the loader must refuse (tools/mkbadimages)
#   GUEST_ISO_PROGS, GUEST_ISO_IMAGES  the isolation guests (iso_*.c) for a GRUB module ISO
#                             the hypervisor runs in order (multiboot1 ELF32)
#   GUEST_TOOL_ELFS           tools, not tests: cpuid-dump.elf prints CPUID and MSRs for
#                             the fixtures of tests/unit/cpuid/ (multiboot1 ELF32)

BUILD ?= build
GUEST_CC ?= gcc
GUEST_LD ?= ld
GUEST_OBJCOPY ?= objcopy
GUEST_DIR := tests/guests
GUEST_OUT := $(BUILD)/guests
GUEST_Q := $(if $(V),,@)

guest_saved_goal := $(.DEFAULT_GOAL)

GUEST_CFLAGS := -std=c11 -ffreestanding -nostdinc \
	-isystem $(shell $(GUEST_CC) -print-file-name=include) -fno-pic -fno-pie \
	-fno-stack-protector -mno-sse -mno-sse2 -mno-mmx -mno-avx -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fno-common -fno-builtin-memcmp \
	$(shell $(GUEST_CC) -Werror -fcf-protection=none -c -x c /dev/null -o /dev/null \
		2>/dev/null && echo -fcf-protection=none) \
	-O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla -I. -MMD -MP
GUEST_CFLAGS_32 := -m32 -march=i686
GUEST_CFLAGS_64 := -m64 -mno-red-zone -mcmodel=small
GUEST_LDEMU_32 := elf_i386
GUEST_LDEMU_64 := elf_x86_64
GUEST_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

# Sources every guest links.
GUEST_COMMON := start.c console.c report.c env.c env_mb.c desc.c trap.c probe.c frames.c pt.c \
	lib.c trap_entry.S user_entry.S
# The paging test list, shared by guest-pg32, guest-pae and guest-long.
GUEST_PAGING := paging_main.c ptest_util.c ptest_map.c ptest_perm.c ptest_ad.c ptest_tlb.c \
	ptest_large.c ptest_aspace.c ptest_cow.c ptest_reuse.c ptest_hostile.c
GUEST_PERM := permtest_main.c permtest_ref.c permtest_run.c

# name  bits  sources  extra defines
guest_bits_guest-unpaged := 32
guest_srcs_guest-unpaged := entry32.S unpaged.c
guest_bits_guest-pg32 := 32
guest_srcs_guest-pg32 := entry32.S $(GUEST_PAGING)
guest_defs_guest-pg32 := -DGUEST_PG_MODE=PG_MODE_32 -DGUEST_PROG='"pg32"'
guest_bits_guest-pae := 32
guest_srcs_guest-pae := entry32.S $(GUEST_PAGING)
guest_defs_guest-pae := -DGUEST_PG_MODE=PG_MODE_PAE -DGUEST_PROG='"pae"'
guest_bits_guest-long := 64
guest_srcs_guest-long := entry64.S $(GUEST_PAGING)
guest_defs_guest-long := -DGUEST_PG_MODE=PG_MODE_LONG -DGUEST_PROG='"long"'
guest_bits_guest-permtest := 64
guest_srcs_guest-permtest := entry64.S $(GUEST_PERM)
guest_defs_guest-permtest := -DGUEST_PG_MODE=PG_MODE_LONG -DGUEST_PROG='"permtest"'
guest_bits_guest-permtest-pae := 32
guest_srcs_guest-permtest-pae := entry32.S $(GUEST_PERM)
guest_defs_guest-permtest-pae := -DGUEST_PG_MODE=PG_MODE_PAE -DGUEST_PROG='"permtest-pae"'
guest_bits_guest-modeswitch := 32
guest_srcs_guest-modeswitch := entry32.S modeswitch.c modeswitch_long.S

# Kernels for the multiboot loader (vmx/mbload.c). guest_hdr_<name>: mb2 (multiboot2
# header), aout (multiboot1 a.out kludge, shipped as a flat .bin); default multiboot1 ELF.
# guest_elf64_<name> := yes: the ELF64 itself is <name>.elf (no ELF32 copy for QEMU).
guest_bits_guest-mb2-pae := 32
guest_srcs_guest-mb2-pae := entry32.S $(GUEST_PAGING)
guest_defs_guest-mb2-pae := -DGUEST_PG_MODE=PG_MODE_PAE -DGUEST_PROG='"mb2-pae"'
guest_hdr_guest-mb2-pae := mb2
guest_bits_guest-mb2-long := 64
guest_srcs_guest-mb2-long := entry64.S $(GUEST_PAGING)
guest_defs_guest-mb2-long := -DGUEST_PG_MODE=PG_MODE_LONG -DGUEST_PROG='"mb2-long"'
guest_hdr_guest-mb2-long := mb2
guest_elf64_guest-mb2-long := yes
guest_bits_guest-aout := 32
guest_srcs_guest-aout := entry32.S unpaged.c
guest_defs_guest-aout := -DGUEST_PROG='"aout"'
guest_hdr_guest-aout := aout
guest_ld_guest-aout := $(GUEST_DIR)/guest-aout.ld
guest_bits_guest-modules := 32
guest_srcs_guest-modules := entry32.S modules.c
guest_defs_guest-modules := -DGUEST_PROG='"modules"'
guest_bits_guest-modules-mb2 := 32
guest_srcs_guest-modules-mb2 := entry32.S modules.c
guest_defs_guest-modules-mb2 := -DGUEST_PROG='"modules-mb2"'
guest_hdr_guest-modules-mb2 := mb2
# The PC platform and CPUID/CR4/MSR view a multiboot kernel expects (multiboot1 ELF32).
guest_bits_guest-platform := 32
guest_srcs_guest-platform := entry32.S platform_main.c platform_util.c platform_cpuid.c \
	platform_msr.c platform_ports.c platform_fwcfg.c platform_apic.c platform_apic_base.c

# The CPUID/MSR dump behind the tests/unit/cpuid/ fixtures (multiboot1 ELF32, bare runs).
guest_bits_cpuid-dump := 32
guest_srcs_cpuid-dump := entry32.S cpuid_dump.c

# Isolation guests (iso_*.c): hostile and state-checking kernels the hypervisor runs one
# after another from a GRUB module ISO (GUEST_ISO_IMAGES, multiboot1 ELF32); each also
# passes alone on bare QEMU TCG and bare Bochs. The tlb and state pairs only make sense in
# sequence: -a/-set plants something, -b/-check must not see it.
GUEST_ISO_64 := iso_trap.c iso_trap_entry.S iso_util.c platform_util.c
guest_bits_guest-iso-step := 64
guest_srcs_guest-iso-step := entry64.S iso_step.c iso_step_alias.c $(GUEST_ISO_64)
guest_bits_guest-iso-tlb-a := 32
guest_srcs_guest-iso-tlb-a := entry32.S iso_tlb.c iso_tlb_a.c
guest_bits_guest-iso-tlb-b := 32
guest_srcs_guest-iso-tlb-b := iso_tlb_b_entry.S iso_tlb.c iso_tlb_b.c
guest_bits_guest-iso-state-set := 64
guest_srcs_guest-iso-state-set := entry64.S iso_state.c iso_state_set.c $(GUEST_ISO_64)
guest_bits_guest-iso-state-check := 64
guest_srcs_guest-iso-state-check := entry64.S iso_state.c iso_state_check.c \
	iso_state_syscall.c $(GUEST_ISO_64)
guest_bits_guest-iso-cross := 64
guest_srcs_guest-iso-cross := entry64.S iso_cross.c $(GUEST_ISO_64)
guest_bits_guest-iso-vmcall := 64
guest_srcs_guest-iso-vmcall := entry64.S iso_vmcall.c $(GUEST_ISO_64)
guest_bits_guest-iso-exc := 64
guest_srcs_guest-iso-exc := entry64.S iso_exc.c iso_exc_df.c $(GUEST_ISO_64)
guest_bits_guest-iso-features := 64
guest_srcs_guest-iso-features := entry64.S iso_features.c iso_features_insn.c \
	iso_features_cr4.c $(GUEST_ISO_64)

GUEST_PROGS := guest-unpaged guest-pg32 guest-pae guest-long guest-permtest \
	guest-permtest-pae guest-modeswitch
GUEST_PROGS_64 := $(foreach p,$(GUEST_PROGS),$(if $(filter 64,$(guest_bits_$(p))),$(p)))
GUEST_ELFS := $(GUEST_PROGS:%=$(GUEST_OUT)/%.elf) $(GUEST_PROGS_64:%=$(GUEST_OUT)/%.elf64)
GUEST_LOADER_PROGS := guest-mb2-pae guest-mb2-long guest-aout guest-platform
GUEST_LOADER_IMAGES := $(GUEST_OUT)/guest-mb2-pae.elf $(GUEST_OUT)/guest-mb2-long.elf \
	$(GUEST_OUT)/guest-aout.bin $(GUEST_OUT)/guest-platform.elf
GUEST_MODULE_PROGS := guest-modules guest-modules-mb2
GUEST_MODULE_ELFS := $(GUEST_MODULE_PROGS:%=$(GUEST_OUT)/%.elf)
GUEST_MODULE_FILES := $(GUEST_DIR)/modules/answer.env
GUEST_TOOL_PROGS := cpuid-dump
GUEST_TOOL_ELFS := $(GUEST_TOOL_PROGS:%=$(GUEST_OUT)/%.elf)
GUEST_ISO_PROGS := guest-iso-step guest-iso-tlb-a guest-iso-tlb-b guest-iso-state-set \
	guest-iso-state-check guest-iso-cross guest-iso-vmcall guest-iso-exc guest-iso-features
GUEST_ISO_IMAGES := $(GUEST_ISO_PROGS:%=$(GUEST_OUT)/%.elf)
BAD_IMAGE_KINDS := no-header bad-checksum outside-ram overlap truncated bad-aout
BAD_IMAGES := $(BAD_IMAGE_KINDS:%=$(GUEST_OUT)/bad/%.elf)
GUEST_DEPS :=

guest_hdr_defs = $(if $(filter mb2,$(guest_hdr_$(1))),-DGUEST_MB2) \
	$(if $(filter aout,$(guest_hdr_$(1))),-DGUEST_AOUT)
guest_ldscript = $(or $(guest_ld_$(1)),$(GUEST_DIR)/guest.ld)

# guest_program NAME: objects in $(GUEST_OUT)/obj/NAME/, linked per its bitness.
define guest_program
$(1)_GOBJS := $$(patsubst %,$(GUEST_OUT)/obj/$(1)/%.o,$$(guest_srcs_$(1)) $(GUEST_COMMON))
GUEST_DEPS += $$($(1)_GOBJS:.o=.d)

$(GUEST_OUT)/obj/$(1)/%.c.o: $(GUEST_DIR)/%.c $(GUEST_DIR)/guests.mk
	@mkdir -p $$(dir $$@)
	@$$(if $(GUEST_Q),echo "  CC      $$@")
	$(GUEST_Q)$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(guest_bits_$(1))) \
		$(guest_defs_$(1)) $(call guest_hdr_defs,$(1)) -c $$< -o $$@

$(GUEST_OUT)/obj/$(1)/%.S.o: $(GUEST_DIR)/%.S $(GUEST_DIR)/guests.mk
	@mkdir -p $$(dir $$@)
	@$$(if $(GUEST_Q),echo "  AS      $$@")
	$(GUEST_Q)$(GUEST_CC) $(GUEST_CFLAGS_$(guest_bits_$(1))) -I. -MMD -MP -D__ASSEMBLER__ \
		$(guest_defs_$(1)) $(call guest_hdr_defs,$(1)) -c $$< -o $$@

ifeq ($(guest_bits_$(1))-$(guest_elf64_$(1)),64-yes)
$(GUEST_OUT)/$(1).elf: $$($(1)_GOBJS) $(call guest_ldscript,$(1))
	@$$(if $(GUEST_Q),echo "  LD      $$@")
	$(GUEST_Q)$(GUEST_LD) -m $(GUEST_LDEMU_64) $(GUEST_LDFLAGS) -T $(call guest_ldscript,$(1)) \
		-o $$@ $$($(1)_GOBJS)
else ifeq ($(guest_bits_$(1)),64)
$(GUEST_OUT)/$(1).elf64: $$($(1)_GOBJS) $(call guest_ldscript,$(1))
	@$$(if $(GUEST_Q),echo "  LD      $$@")
	$(GUEST_Q)$(GUEST_LD) -m $(GUEST_LDEMU_64) $(GUEST_LDFLAGS) -T $(call guest_ldscript,$(1)) \
		-o $$@ $$($(1)_GOBJS)

# QEMU's multiboot loader takes only ELF32; the 32-bit entry and 64-bit code ride along.
$(GUEST_OUT)/$(1).elf: $(GUEST_OUT)/$(1).elf64
	$(GUEST_Q)$(GUEST_OBJCOPY) -I elf64-x86-64 -O elf32-i386 $$< $$@
else
$(GUEST_OUT)/$(1).elf: $$($(1)_GOBJS) $(call guest_ldscript,$(1))
	@$$(if $(GUEST_Q),echo "  LD      $$@")
	$(GUEST_Q)$(GUEST_LD) -m $(GUEST_LDEMU_32) $(GUEST_LDFLAGS) -T $(call guest_ldscript,$(1)) \
		-o $$@ $$($(1)_GOBJS)
endif
endef

$(foreach p,$(GUEST_PROGS) $(GUEST_LOADER_PROGS) $(GUEST_MODULE_PROGS) $(GUEST_TOOL_PROGS) \
		$(GUEST_ISO_PROGS),\
	$(eval $(call guest_program,$(p))))

# The a.out-kludge kernel as the flat binary it is meant to be: the file must end exactly
# at __load_end (the header's load_end_addr), or the loader would refuse it.
$(GUEST_OUT)/guest-aout.bin: $(GUEST_OUT)/guest-aout.elf
	@$(if $(GUEST_Q),echo "  OBJCOPY $@")
	$(GUEST_Q)$(GUEST_OBJCOPY) -O binary $< $@.tmp
	$(GUEST_Q)want=$$(( 0x$$(nm $< | awk '$$3 == "__load_end" {print $$1}') - \
		0x$$(nm $< | awk '$$3 == "__image_start" {print $$1}') )); \
	size=$$(stat -c %s $@.tmp); [ "$$size" = "$$want" ] || \
		{ echo "$@: $$size bytes, header says $$want" >&2; rm -f $@.tmp; exit 1; }
	$(GUEST_Q)mv $@.tmp $@

# Broken kernels for the loader's refusals, made from a good multiboot1 ELF32.
$(BAD_IMAGES) &: $(GUEST_OUT)/guest-unpaged.elf tools/mkbadimages
	@$(if $(GUEST_Q),echo "  BAD     $(GUEST_OUT)/bad/")
	$(GUEST_Q)tools/mkbadimages $< $(GUEST_OUT)/bad

.PHONY: guests
guests: $(GUEST_ELFS) $(GUEST_LOADER_IMAGES) $(GUEST_MODULE_ELFS) $(BAD_IMAGES) $(GUEST_TOOL_ELFS) \
	$(GUEST_ISO_IMAGES)

-include $(GUEST_DEPS)

# Standalone (make -f tests/guests/guests.mk) the default goal is "guests"; included,
# the including Makefile's default goal stays.
ifneq ($(guest_saved_goal),)
.DEFAULT_GOAL := $(guest_saved_goal)
else
.DEFAULT_GOAL := guests
endif

# Interrupt and time guests (irq_*.c): the 8259 pair, the PIT, the RTC, COM1 interrupts,
# the local APIC, HLT as idle and interrupts across the hypervisor's own exits. Each runs
# alone on bare QEMU TCG and bare Bochs too. GUEST_IRQ_IMAGES: multiboot1 ELF32 (and the
# linked ELF64 of the long-mode one). guest-irq-spin, guest-irq-halt and guest-irq-halt-cli
# never finish: they are for the hypervisor's time limit and its HLT-with-IF=0 stop.
GUEST_IRQ_LIB := irq_vectors.c irq_entry.S irq_setup.c irq_time.c irq_wait.c irq_pic.c irq_pit.c \
	irq_apic.c irq_uart.c
guest_bits_guest-irq-pic := 32
guest_srcs_guest-irq-pic := entry32.S irq_pic_main.c irq_pic_steps.c $(GUEST_IRQ_LIB)
guest_bits_guest-irq-idle := 32
guest_srcs_guest-irq-idle := entry32.S irq_idle_main.c irq_idle_rate.c irq_idle_asm.S \
	$(GUEST_IRQ_LIB)
guest_bits_guest-irq-rtc := 32
guest_srcs_guest-irq-rtc := entry32.S irq_rtc_main.c irq_rtc_irq.c irq_rtc_cmos.c $(GUEST_IRQ_LIB)
guest_bits_guest-irq-apic := 32
guest_srcs_guest-irq-apic := entry32.S irq_apic_main.c irq_apic_lint0.c $(GUEST_IRQ_LIB)
guest_bits_guest-irq-fault := 64
guest_srcs_guest-irq-fault := entry64.S irq_fault_main.c irq_fault_canary.S $(GUEST_IRQ_LIB)
guest_bits_guest-irq-uart-in := 32
guest_srcs_guest-irq-uart-in := entry32.S irq_uart_in_main.c $(GUEST_IRQ_LIB)
guest_bits_guest-irq-spin := 32
guest_srcs_guest-irq-spin := entry32.S irq_stop_main.c $(GUEST_IRQ_LIB)
guest_defs_guest-irq-spin := -DIRQ_STOP_SPIN -DGUEST_PROG='"irq-spin"'
guest_bits_guest-irq-spin-sti := 32
guest_srcs_guest-irq-spin-sti := entry32.S irq_stop_main.c $(GUEST_IRQ_LIB)
guest_defs_guest-irq-spin-sti := -DIRQ_STOP_SPIN_STI -DGUEST_PROG='"irq-spin-sti"'
guest_bits_guest-irq-halt := 32
guest_srcs_guest-irq-halt := entry32.S irq_stop_main.c $(GUEST_IRQ_LIB)
guest_defs_guest-irq-halt := -DIRQ_STOP_HALT -DGUEST_PROG='"irq-halt"'
guest_bits_guest-irq-halt-cli := 32
guest_srcs_guest-irq-halt-cli := entry32.S irq_stop_main.c $(GUEST_IRQ_LIB)
guest_defs_guest-irq-halt-cli := -DIRQ_STOP_HALT_CLI -DGUEST_PROG='"irq-halt-cli"'

GUEST_IRQ_PROGS := guest-irq-pic guest-irq-idle guest-irq-rtc guest-irq-apic guest-irq-fault \
	guest-irq-uart-in guest-irq-spin guest-irq-spin-sti guest-irq-halt guest-irq-halt-cli
GUEST_IRQ_PROGS_64 := $(foreach p,$(GUEST_IRQ_PROGS),$(if $(filter 64,$(guest_bits_$(p))),$(p)))
GUEST_IRQ_IMAGES := $(GUEST_IRQ_PROGS:%=$(GUEST_OUT)/%.elf) \
	$(GUEST_IRQ_PROGS_64:%=$(GUEST_OUT)/%.elf64)
$(foreach p,$(GUEST_IRQ_PROGS),$(eval $(call guest_program,$(p))))
-include $(foreach p,$(GUEST_IRQ_PROGS),$($(p)_GOBJS:.o=.d))
guests: $(GUEST_IRQ_IMAGES)
