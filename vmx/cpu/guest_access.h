#ifndef VMX_CPU_GUEST_ACCESS_H
#define VMX_CPU_GUEST_ACCESS_H

#include <stdint.h>

#include "pool/shadow/walk.h"

struct vcpu;

/* The guest's current privilege level (0..3). */
uint32_t vcpu_cpl(const struct vcpu *v);
/* Linear address la for an access (WALK_ACC_*; USER is added at CPL 3) through
 * the guest's tables; on WALK_OK the guest's A/D bits are set and r->gpa holds
 * the guest-physical address. */
enum walk_status vcpu_translate(struct vcpu *v, uint64_t la, uint32_t access,
                                struct walk_result *r);
/* Up to len bytes of the instruction at CS:RIP; returns how many could be read. */
unsigned vcpu_fetch_insn(struct vcpu *v, uint8_t *buf, unsigned len);

#endif
