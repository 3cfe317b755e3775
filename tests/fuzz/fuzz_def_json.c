/*
 * libFuzzer target: a domain definition in JSON (common/def_json.c and
 * the table in def_fields.c).  Any input is read; one that is refused
 * must come with a message, one that is accepted must survive the round
 * trip of def_check.c through both written forms.
 */
#include <stdint.h>

#include "def_check.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	def_fuzz_one(dd_parse_json, (const char *)data, size);
	return 0;
}
