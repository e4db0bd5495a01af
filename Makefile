# hv-x86: a bare-metal x86-64 microhypervisor with shadow paging.
#   make            build/hv.elf (multiboot2 ELF64) and build/hv32.elf (ELF32 copy)
#   make iso        build/hv.iso, GRUB hybrid ISO (BIOS and UEFI)
#   make efi        build/hv.efi, UEFI application with the kernel inside (boot/efi/)
#   make run        boot with the serial log on the terminal (KVM if usable, else Bochs)
#   make test       every test: host unit tests and smoke boots
#   make test-full  the same plus the exhaustive permission test under the hypervisor
#   make bench      pool benchmarks, numbers printed and written to build/bench.json
# See README.md.

BUILD ?= build
BUILD_TYPE ?= debug
KCC ?= gcc
HOSTCC ?= gcc
LD ?= ld
OBJCOPY ?= objcopy

VERSION := $(shell git describe --always --dirty --abbrev=10 2>/dev/null || echo unknown)

# Use a flag only when the compiler takes it (as NOVA's Makefile does).
check_flag = $(shell $(KCC) -Werror $(1) -c -x c /dev/null -o /dev/null 2>/dev/null && echo $(1))

# Every folder whose sources go into the kernel, one by one. tools/layers fails
# on a product source file in a folder that is neither here nor in
# KERNEL_DIRS_ELSEWHERE, so a new folder can never be left out silently.
KERNEL_DIRS := boot arch/x86 mm pool pool/shadow \
	vmx/hw vmx/cpu vmx/exit vmx/emul vmx/io vmx/dev vmx/load vmx/vm
# Product folders built by their own rules: the UEFI loader (boot/efi/efi.mk).
KERNEL_DIRS_ELSEWHERE := boot/efi
KERNEL_C := $(sort $(wildcard $(addsuffix /*.c,$(KERNEL_DIRS))))
KERNEL_S := $(sort $(wildcard $(addsuffix /*.S,$(KERNEL_DIRS))))
KERNEL_OBJ := $(patsubst %,$(BUILD)/kernel/%.o,$(KERNEL_C) $(KERNEL_S))

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wpointer-arith -Wvla \
	-Wconversion -Wno-sign-conversion
OPT_debug := -O2 -g
OPT_release := -O2 -g -DNDEBUG
KCFLAGS := -std=c11 -ffreestanding -nostdinc -isystem $(shell $(KCC) -print-file-name=include) \
	-mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-avx -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	$(call check_flag,-fcf-protection=none) $(WARNINGS) $(OPT_$(BUILD_TYPE)) -I. -MMD -MP \
	-DHV_VERSION='"$(VERSION)"' -DHV_BUILD_TYPE='"$(BUILD_TYPE)"'
KASFLAGS := -I. -MMD -MP -D__ASSEMBLER__
# libgcc supplies helpers GCC may call (e.g. __popcountdi2); none use SSE.
LIBGCC := $(shell $(KCC) -print-libgcc-file-name)
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -I.

.PHONY: all iso run run-qemu run-bochs debug test test-full test-host bench clean deps format
all: $(BUILD)/hv.elf $(BUILD)/hv32.elf

# The test guests (separate multiboot kernels) are built into the image.
include tests/guests/guests.mk
GUEST_IMAGES_S := $(BUILD)/kernel/guest_images.S
GUEST_IMAGES_OBJ := $(BUILD)/kernel/guest_images.o
$(GUEST_IMAGES_S): $(GUEST_PROGS:%=$(GUEST_OUT)/%.elf) tools/mkimages
	@mkdir -p $(dir $@)
	$(Q)tools/mkimages $@ $(foreach p,$(GUEST_PROGS),$(p)=$(GUEST_OUT)/$(p).elf)
$(GUEST_IMAGES_OBJ): $(GUEST_IMAGES_S)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(KCC) -c $< -o $@

# V=1 shows the full command lines.
Q := $(if $(V),,@)

$(BUILD)/kernel/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(KCC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(KCC) $(KASFLAGS) -c $< -o $@

$(BUILD)/linker.ld: linker.ld boot/layout.h
	@mkdir -p $(dir $@)
	$(KCC) -E -P -x c -I. -D__ASSEMBLER__ $< -o $@

$(BUILD)/hv.elf: $(KERNEL_OBJ) $(GUEST_IMAGES_OBJ) $(BUILD)/linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KLDFLAGS) -T $(BUILD)/linker.ld -o $@ $(KERNEL_OBJ) $(GUEST_IMAGES_OBJ) $(LIBGCC)

# QEMU's multiboot loader takes only ELF32; the 64-bit code rides along unchanged.
$(BUILD)/hv32.elf: $(BUILD)/hv.elf
	$(OBJCOPY) -I elf64-x86-64 -O elf32-i386 $< $@

iso: $(BUILD)/hv.iso

$(BUILD)/hv.iso: $(BUILD)/hv.elf tools/mkiso
	@$(if $(Q),echo "  ISO     $@")
	$(Q)tools/mkiso $@ $(BUILD)/hv.elf ""

# Test-only images: a guest state broken on purpose (the VM entry must fail);
# guests as GRUB modules in every loader format, with bad images among them.
TEST_ISOS := $(BUILD)/hv-vmxbreak.iso $(BUILD)/hv-modules.iso
$(BUILD)/hv-modules.iso: $(BUILD)/hv.elf tools/mkiso tests/boot/modules.list \
		$(GUEST_LOADER_IMAGES) $(GUEST_MODULE_ELFS) $(GUEST_MODULE_FILES) $(BAD_IMAGES) \
		$(GUEST_OUT)/guest-long.elf64 $(BUILD)/hv32.elf
	@$(if $(Q),echo "  ISO     $@")
	$(Q)BUILD=$(BUILD) tools/mkiso $@ $(BUILD)/hv.elf "" --list tests/boot/modules.list
$(BUILD)/hv-vmxbreak.iso: $(BUILD)/hv.elf tools/mkiso
	@$(if $(Q),echo "  ISO     $@")
	$(Q)tools/mkiso $@ $(BUILD)/hv.elf hv.vmx.break=guest-state

# Interrupt and time guests as modules (tests/boot/irq.list).
TEST_ISOS += $(BUILD)/hv-irq.iso $(BUILD)/hv-irq-haswell.iso
$(BUILD)/hv-irq.iso: $(BUILD)/hv.elf tools/mkiso tests/boot/irq.list $(GUEST_IRQ_IMAGES)
	@$(if $(Q),echo "  ISO     $@")
	$(Q)BUILD=$(BUILD) tools/mkiso $@ $(BUILD)/hv.elf "" --list tests/boot/irq.list
$(BUILD)/hv-irq-haswell.iso: $(BUILD)/hv.elf tools/mkiso tests/boot/irq-haswell.list \
		$(GUEST_IRQ_IMAGES)
	@$(if $(Q),echo "  ISO     $@")
	$(Q)BUILD=$(BUILD) tools/mkiso $@ $(BUILD)/hv.elf "" --list tests/boot/irq-haswell.list

# Isolation guests as modules (tests/boot/iso.list).
TEST_ISOS += $(BUILD)/hv-iso.iso
$(BUILD)/hv-iso.iso: $(BUILD)/hv.elf tools/mkiso tests/boot/iso.list $(GUEST_ISO_IMAGES)
	@$(if $(Q),echo "  ISO     $@")
	$(Q)BUILD=$(BUILD) tools/mkiso $@ $(BUILD)/hv.elf "" --list tests/boot/iso.list

# The exhaustive permission test on bare Bochs (no hypervisor): a check of the
# test itself against an emulated Intel CPU, as GRUB's multiboot1 kernel.
TEST_ISOS += $(BUILD)/permtest-bare.iso
$(BUILD)/permtest-bare.iso: tools/mkiso $(GUEST_OUT)/guest-permtest.elf64
	@$(if $(Q),echo "  ISO     $@")
	$(Q)KERNEL_CMD=multiboot tools/mkiso $@ $(GUEST_OUT)/guest-permtest.elf64 ""

# Host unit-test suites: each tests/unit/<suite>/suite.mk adds its name to
# HOST_SUITES and lists <suite>_SRCS.
HOST_SUITES :=
include $(sort $(wildcard tests/unit/*/suite.mk))
include boot/efi/efi.mk
HOST_HEADERS := $(shell find boot arch mm pool vmx tests -name '*.h' 2>/dev/null)

define host_suite_rule
$(BUILD)/host/$(1): $$($(1)_SRCS) $$(HOST_HEADERS)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  HOSTCC  $$@")
	$$(Q)$$(HOSTCC) $$(HOST_CFLAGS) -DHARNESS_SUITE='"$(1)"' -o $$@ $$($(1)_SRCS)
endef
$(foreach s,$(HOST_SUITES),$(eval $(call host_suite_rule,$(s))))
HOST_TEST_BINS := $(addprefix $(BUILD)/host/,$(HOST_SUITES))

-include tests/bench/bench.mk

deps:
	@tools/deps

test-host: $(HOST_TEST_BINS)

export KERNEL_DIRS KERNEL_DIRS_ELSEWHERE

test: deps all iso efi $(TEST_ISOS) test-host
	@tools/runtests $(HOST_TEST_BINS)

# Everything in `make test`, plus the exhaustive page-table permission test
# (all 78,384 combinations, 64- and PAE-bit guests) under the hypervisor.
$(BUILD)/hv-permfull.iso: $(BUILD)/hv.elf tools/mkiso $(GUEST_OUT)/guest-permtest.elf64 \
		$(GUEST_OUT)/guest-permtest-pae.elf
	@$(if $(Q),echo "  ISO     $@")
	$(Q)tools/mkiso $@ $(BUILD)/hv.elf "" $(GUEST_OUT)/guest-permtest.elf64:full \
		$(GUEST_OUT)/guest-permtest-pae.elf:full

test-full: deps all iso efi $(TEST_ISOS) $(BUILD)/hv-permfull.iso test-host
	@FULL=1 tools/runtests $(HOST_TEST_BINS)

run: deps all iso
	@tools/run auto

run-qemu: deps all iso
	@tools/run qemu

run-bochs: deps all iso
	@tools/run bochs

debug: deps all
	@tools/run debug

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJ:.o=.d)
