/*
 * VM-exit entry point and VM launch path (Intel SDM Vol. 3C §27.5: on a VM
 * exit the CPU loads host RSP/RIP from the VMCS, clears RFLAGS except bit 1,
 * and leaves every general-purpose register with its guest value; CR2 is
 * neither saved nor loaded).
 *
 * Exit stack, one per vCPU, prepared by vcpu_exit_stack_init() in
 * vmx/vcpu_regs.h:
 *
 *      top (16-byte aligned)
 *      +------------------------+ HOST_RSP + 16
 *      |  exit handler (C)      |
 *      +------------------------+ HOST_RSP + 8
 *      |  struct vcpu_regs *    |
 *      +------------------------+ HOST_RSP  (16-byte aligned)
 *      |  stack of the C exit   |
 *      |  handler, grows down   |
 *
 * C writes, before vmx_launch():
 *      vmx_vmwrite(VMCS_HOST_RSP, vcpu_exit_stack_init(stack, size, regs, handler));
 *      vmx_vmwrite(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_entry);
 *
 * Every exit starts afresh at HOST_RSP: nothing is kept on the exit stack
 * between exits, so the handler may use all of it.
 */
#include "vmx/cpu/vcpu_regs.h"

	.text
	.code64

/* Load guest CR2 and GPRs (all but RSP) from the struct vcpu_regs at %rax. */
.macro LOAD_GUEST_REGS
	movq	VCPU_OFF_CR2(%rax), %rcx
	movq	%rcx, %cr2
	movq	VCPU_OFF_RCX(%rax), %rcx
	movq	VCPU_OFF_RDX(%rax), %rdx
	movq	VCPU_OFF_RBX(%rax), %rbx
	movq	VCPU_OFF_RBP(%rax), %rbp
	movq	VCPU_OFF_RSI(%rax), %rsi
	movq	VCPU_OFF_RDI(%rax), %rdi
	movq	VCPU_OFF_R8(%rax), %r8
	movq	VCPU_OFF_R9(%rax), %r9
	movq	VCPU_OFF_R10(%rax), %r10
	movq	VCPU_OFF_R11(%rax), %r11
	movq	VCPU_OFF_R12(%rax), %r12
	movq	VCPU_OFF_R13(%rax), %r13
	movq	VCPU_OFF_R14(%rax), %r14
	movq	VCPU_OFF_R15(%rax), %r15
	movq	VCPU_OFF_RAX(%rax), %rax	/* last: it held the pointer */
.endm

/*
 * HOST_RIP. RSP = HOST_RSP, 0(%rsp) = struct vcpu_regs *.
 */
	.globl	vmx_exit_entry
	.type	vmx_exit_entry, @function
	.balign	16
vmx_exit_entry:
	pushq	%rax				/* guest RAX; the pointer is now at 8(%rsp) */
	movq	8(%rsp), %rax
	movq	%rcx, VCPU_OFF_RCX(%rax)
	movq	%rdx, VCPU_OFF_RDX(%rax)
	movq	%rbx, VCPU_OFF_RBX(%rax)
	movq	%rbp, VCPU_OFF_RBP(%rax)
	movq	%rsi, VCPU_OFF_RSI(%rax)
	movq	%rdi, VCPU_OFF_RDI(%rax)
	movq	%r8, VCPU_OFF_R8(%rax)
	movq	%r9, VCPU_OFF_R9(%rax)
	movq	%r10, VCPU_OFF_R10(%rax)
	movq	%r11, VCPU_OFF_R11(%rax)
	movq	%r12, VCPU_OFF_R12(%rax)
	movq	%r13, VCPU_OFF_R13(%rax)
	movq	%r14, VCPU_OFF_R14(%rax)
	movq	%r15, VCPU_OFF_R15(%rax)
	popq	VCPU_OFF_RAX(%rax)		/* RSP = HOST_RSP again: 16-byte aligned */
	movq	%cr2, %rcx			/* the guest's CR2, before the host faults */
	movq	%rcx, VCPU_OFF_CR2(%rax)

	movq	%rax, %rdi
	call	*VCPU_EXIT_STACK_HANDLER_SLOT(%rsp)	/* void handler(struct vcpu_regs *) */

	movq	VCPU_EXIT_STACK_REGS_SLOT(%rsp), %rax
	LOAD_GUEST_REGS
	vmresume

	/* Only reached when VMRESUME failed (CF or ZF set, §30.3 "VMRESUME"). */
	pushfq
	popq	%rdi
	call	vmx_resume_failed		/* noreturn */
	ud2
	.size	vmx_exit_entry, . - vmx_exit_entry

/*
 * uint64_t vmx_launch(struct vcpu_regs *regs)
 * Saves the SysV callee-saved registers on the caller's stack, remembers
 * that RSP in regs->launcher_rsp, loads the guest registers and VMLAUNCHes.
 * Returns RFLAGS if VMLAUNCH fails, 0 when vmx_guest_stop() ends the guest.
 */
	.globl	vmx_launch
	.type	vmx_launch, @function
	.balign	16
vmx_launch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, VCPU_OFF_LAUNCHER_RSP(%rdi)
	movq	%rdi, %rax
	LOAD_GUEST_REGS
	vmlaunch

	/* VMLAUNCH failed: RSP is unchanged, the guest values are in the GPRs. */
	pushfq
	popq	%rax
	jmp	.Lreturn_to_launcher
	.size	vmx_launch, . - vmx_launch

/*
 * void vmx_guest_stop(struct vcpu_regs *regs)  -- noreturn
 * Called from the exit handler (on the exit stack): drop the exit stack and
 * return 0 from the vmx_launch() that started this guest.
 */
	.globl	vmx_guest_stop
	.type	vmx_guest_stop, @function
	.balign	16
vmx_guest_stop:
	movq	VCPU_OFF_LAUNCHER_RSP(%rdi), %rsp
	xorl	%eax, %eax
.Lreturn_to_launcher:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	vmx_guest_stop, . - vmx_guest_stop

	.section .note.GNU-stack, "", @progbits
