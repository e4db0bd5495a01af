/*
 * Statistics printer. The first line is stable (tools grep "pool: stats ");
 * detail lines follow. Only %u %lu %s are used so any printf-like sink works.
 */
#include "pool/internal.h"

#define UL(x) ((unsigned long)(x))

static const char *const rule_names[POOL_RULES] = {"writes", "zero-fill", "reuse", "fork"};
static const char *const cause_names[POOL_FLUSH_CAUSES] = {"explicit", "evict", "monitor"};

void pool_stats_print(const struct pool *p, int (*print)(const char *fmt, ...))
{
	const struct pool_stats *s = &p->stats;

	print("pool: stats pages %u/%u/%u high %u allocs %lu hits %lu misses %lu "
	      "evictions %lu overflows %lu slow %lu writes %lu flushall %lu\n",
	      p->used, p->grown, p->cfg.max_pages, s->pages_high, UL(s->allocs), UL(s->hits),
	      UL(s->misses), UL(s->evictions), UL(s->overflows), UL(s->slow_scans),
	      UL(s->monitored_writes), UL(s->flush_all));
	print("pool:  cache kind-mismatch %lu chain-high %u alloc-fail %lu frame-fail %lu "
	      "grows %lu\n",
	      UL(s->kind_mismatches), s->chain_high, UL(s->alloc_failures), UL(s->frame_failures),
	      UL(s->grows));
	print("pool:  users %u/%u high %u evictions %lu failures %lu\n", p->users_used, p->nusers,
	      s->users_high, UL(s->user_evictions), UL(s->user_failures));
	print("pool:  extents %u/%u high %u failures %lu chain-full %lu\n", p->extents_used,
	      p->nextents, s->extents_high, UL(s->extent_failures), UL(s->chain_full));
	print("pool:  slow-path runs %lu pages-examined %lu last %lu\n", UL(s->slow_scans),
	      UL(s->slow_pages), UL(s->slow_pages_last));
	for (unsigned i = 0; i < POOL_FLUSH_CAUSES; i++)
		print("pool:  frees %s %lu\n", cause_names[i], UL(s->frees[i]));
	print("pool:  locked-clears %lu flush-gfn %lu write-protects %lu\n", UL(s->locked_clears),
	      UL(s->flush_gfn), UL(s->write_protects));
	print("pool:  monitored-writes %lu entries-cleared %lu\n", UL(s->monitored_writes),
	      UL(s->write_clears));
	for (unsigned i = 0; i < POOL_RULES; i++)
		print("pool:  rule %s %lu\n", rule_names[i], UL(s->rules[i]));
}
