/*
 * Forgetting every shadow when the pool ran out. A stepped write in progress
 * is undone first: the flush ends every pool index the step holds, and the
 * instruction simply faults again and is stepped anew.
 */
#include "vmx/cpu/step.h"
#include "vmx/cpu/vcpu.h"

void vcpu_flush_shadows(struct vcpu *v)
{
	step_abort(v);
	pool_flush_all(v->shadow.pool);
	v->stats.shadow_flushes++;
	vcpu_flush_tlb(v);
}
