/*
 * The CMOS real-time clock, read once at boot: the wall-clock time at
 * system time 0 that shared_info gives guests.  rtc_wait_edge() finds
 * the instant a second begins (as Xen's get_cmos_time does), for a wall
 * clock right to the TSC rather than to the second.
 */
#include <stdint.h>

#include <hv/time.h>
#include <hv/x86.h>

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71

static uint8_t
cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static unsigned int
bcd(uint8_t v, int binary)
{
	return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (civil calendar). */
static uint64_t
days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	unsigned int era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

#define RTC_REG_A	0x0a
#define RTC_UIP		0x80	/* update in progress: a second is ending */

/*
 * Wait for the next second to begin: update-in-progress rises in the
 * last 244 us of a second and falls as the next begins.  *tsc is the
 * TSC when it fell.  Gives up after about 1.5 s (tsc_per_ms from a
 * rough calibration): -1, and the caller reads the clock to the second.
 */
int
rtc_wait_edge(uint64_t tsc_per_ms, uint64_t *tsc)
{
	uint64_t start = rdtsc(), limit = tsc_per_ms * 1500;

	while (!(cmos_read(RTC_REG_A) & RTC_UIP))
		if (rdtsc() - start > limit)
			return -1;
	while (cmos_read(RTC_REG_A) & RTC_UIP)
		if (rdtsc() - start > limit)
			return -1;
	*tsc = rdtsc();
	return 0;
}

uint64_t
rtc_read_epoch(void)
{
	unsigned int sec, min, hour, day, mon, year, tries;
	uint8_t b;
	int binary;

	/* Wait out an update in progress, then read. */
	for (tries = 0; tries < 100000 && (cmos_read(RTC_REG_A) & RTC_UIP);
	    tries++)
		;
	b = cmos_read(0x0b);
	binary = b & 0x04;
	sec = bcd(cmos_read(0x00), binary);
	min = bcd(cmos_read(0x02), binary);
	hour = bcd(cmos_read(0x04) & 0x7f, binary);
	if (!(b & 0x02) && (cmos_read(0x04) & 0x80))
		hour = (hour % 12) + 12;	/* 12-hour clock, PM */
	day = bcd(cmos_read(0x07), binary);
	mon = bcd(cmos_read(0x08), binary);
	year = bcd(cmos_read(0x09), binary) + 2000;
	if (mon < 1 || mon > 12 || day < 1 || day > 31)
		return 0;
	return days_from_civil(year, mon, day) * 86400 + hour * 3600 +
	    min * 60 + sec;
}
