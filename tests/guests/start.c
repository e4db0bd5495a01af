/* Common start of every guest after the assembly entry. */
#include <stdint.h>

#include "tests/guests/console.h"
#include "tests/guests/desc.h"
#include "tests/guests/env.h"
#include "tests/guests/guest.h"
#include "tests/guests/report.h"

void guest_start(uint32_t magic, uint32_t mbi);

void guest_start(uint32_t magic, uint32_t mbi)
{
	console_init();
	report_init(guest_name);
	desc_init();
	env_init(magic, mbi);
	guest_main();
	report_done();
}
