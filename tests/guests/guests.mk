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
GUEST_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-T $(GUEST_DIR)/guest.ld

# Sources every guest links.
GUEST_COMMON := start.c console.c report.c env.c desc.c trap.c probe.c frames.c pt.c lib.c \
	trap_entry.S user_entry.S
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

GUEST_PROGS := guest-unpaged guest-pg32 guest-pae guest-long guest-permtest \
	guest-permtest-pae guest-modeswitch
GUEST_PROGS_64 := $(foreach p,$(GUEST_PROGS),$(if $(filter 64,$(guest_bits_$(p))),$(p)))
GUEST_ELFS := $(GUEST_PROGS:%=$(GUEST_OUT)/%.elf) $(GUEST_PROGS_64:%=$(GUEST_OUT)/%.elf64)
GUEST_DEPS :=

# guest_program NAME: objects in $(GUEST_OUT)/obj/NAME/, linked per its bitness.
define guest_program
$(1)_GOBJS := $$(patsubst %,$(GUEST_OUT)/obj/$(1)/%.o,$$(guest_srcs_$(1)) $(GUEST_COMMON))
GUEST_DEPS += $$($(1)_GOBJS:.o=.d)

$(GUEST_OUT)/obj/$(1)/%.c.o: $(GUEST_DIR)/%.c $(GUEST_DIR)/guests.mk
	@mkdir -p $$(dir $$@)
	@$$(if $(GUEST_Q),echo "  CC      $$@")
	$(GUEST_Q)$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_CFLAGS_$(guest_bits_$(1))) \
		$(guest_defs_$(1)) -c $$< -o $$@

$(GUEST_OUT)/obj/$(1)/%.S.o: $(GUEST_DIR)/%.S $(GUEST_DIR)/guests.mk
	@mkdir -p $$(dir $$@)
	@$$(if $(GUEST_Q),echo "  AS      $$@")
	$(GUEST_Q)$(GUEST_CC) $(GUEST_CFLAGS_$(guest_bits_$(1))) -I. -MMD -MP -D__ASSEMBLER__ \
		$(guest_defs_$(1)) -c $$< -o $$@

ifeq ($(guest_bits_$(1)),64)
$(GUEST_OUT)/$(1).elf64: $$($(1)_GOBJS) $(GUEST_DIR)/guest.ld
	@$$(if $(GUEST_Q),echo "  LD      $$@")
	$(GUEST_Q)$(GUEST_LD) -m $(GUEST_LDEMU_64) $(GUEST_LDFLAGS) -o $$@ $$($(1)_GOBJS)

# QEMU's multiboot loader takes only ELF32; the 32-bit entry and 64-bit code ride along.
$(GUEST_OUT)/$(1).elf: $(GUEST_OUT)/$(1).elf64
	$(GUEST_Q)$(GUEST_OBJCOPY) -I elf64-x86-64 -O elf32-i386 $$< $$@
else
$(GUEST_OUT)/$(1).elf: $$($(1)_GOBJS) $(GUEST_DIR)/guest.ld
	@$$(if $(GUEST_Q),echo "  LD      $$@")
	$(GUEST_Q)$(GUEST_LD) -m $(GUEST_LDEMU_32) $(GUEST_LDFLAGS) -o $$@ $$($(1)_GOBJS)
endif
endef

$(foreach p,$(GUEST_PROGS),$(eval $(call guest_program,$(p))))

.PHONY: guests
guests: $(GUEST_ELFS)

-include $(GUEST_DEPS)

# Standalone (make -f tests/guests/guests.mk) the default goal is "guests"; included,
# the including Makefile's default goal stays.
ifneq ($(guest_saved_goal),)
.DEFAULT_GOAL := $(guest_saved_goal)
else
.DEFAULT_GOAL := guests
endif
