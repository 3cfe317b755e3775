/*
 * Domain 0's virtqueue bookkeeping (guests/dom0/vring.c) against a
 * simulated device that reads the available ring and writes the used
 * ring as the virtio 0.9.5 legacy layout says.  Each test states one
 * promise: the layout is the one the device computes from the queue
 * size, buffers come back with what the device wrote and free their
 * descriptor, and a device that writes nonsense into the used ring
 * cannot corrupt the driver's free list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "vring.h"

/* The device's view: where it is in the avail ring. */
struct device {
	struct vring	*vr;
	uint16_t	 avail_seen;
};

static struct vring *
new_vring(unsigned int num, void **mem)
{
	struct vring *vr = calloc(1, sizeof(*vr));
	size_t n = vring_bytes(num);

	assert_non_null(vr);
	*mem = aligned_alloc(VRING_ALIGN, (n + VRING_ALIGN - 1) &
	    ~(size_t)(VRING_ALIGN - 1));
	assert_non_null(*mem);
	memset(*mem, 0, n);
	assert_int_equal(vring_init(vr, num, *mem), 0);
	return vr;
}

/* The next buffer the driver offered: its descriptor id, or -1. */
static int
dev_pop(struct device *d)
{
	struct vring *vr = d->vr;

	if (vr->vr_avail->idx == d->avail_seen)
		return -1;
	return vr->vr_avail->ring[d->avail_seen++ % vr->vr_num];
}

static void
dev_push(struct device *d, uint32_t id, uint32_t len)
{
	volatile struct vring_used *u = d->vr->vr_used;

	u->ring[u->idx % d->vr->vr_num].id = id;
	u->ring[u->idx % d->vr->vr_num].len = len;
	u->idx++;
}

static void
test_layout_matches_legacy_virtio(void **state)
{
	struct vring *vr;
	void *mem;

	(void)state;
	/* QEMU's virtio-serial queues: 128 entries, two pages. */
	assert_int_equal(vring_bytes(128), 4096 + 6 + 8 * 128);
	assert_int_equal(vring_bytes(256), 8192 + 6 + 8 * 256);
	assert_int_equal(vring_bytes(1), 4096 + 6 + 8);
	assert_int_equal(vring_bytes(0), 0);
	assert_int_equal(vring_bytes(3), 0);
	assert_int_equal(vring_bytes(2048), 0);
	vr = new_vring(128, &mem);
	assert_ptr_equal(vr->vr_desc, mem);
	assert_ptr_equal(vr->vr_avail, (char *)mem + 16 * 128);
	assert_ptr_equal(vr->vr_used, (char *)mem + 4096);
	assert_int_equal(vring_init(vr, 100, mem), -1);
	free(mem);
	free(vr);
}

static void
test_add_writes_descriptor_and_avail(void **state)
{
	struct vring *vr;
	void *mem;
	int id;

	(void)state;
	vr = new_vring(8, &mem);
	id = vring_add(vr, 0x123456000ULL, 4096, 1);
	assert_in_range(id, 0, 7);
	assert_int_equal(vr->vr_desc[id].addr, 0x123456000ULL);
	assert_int_equal(vr->vr_desc[id].len, 4096);
	assert_int_equal(vr->vr_desc[id].flags, VRING_DESC_F_WRITE);
	assert_int_equal(vr->vr_avail->idx, 1);
	assert_int_equal(vr->vr_avail->ring[0], id);
	id = vring_add(vr, 0x2000, 10, 0);
	assert_int_equal(vr->vr_desc[id].flags, 0);
	assert_int_equal(vring_in_flight(vr), 2);
	free(mem);
	free(vr);
}

static void
test_full_queue_refuses(void **state)
{
	struct vring *vr;
	unsigned int i;
	uint8_t seen[16] = { 0 };
	void *mem;
	int id;

	(void)state;
	vr = new_vring(16, &mem);
	for (i = 0; i < 16; i++) {
		id = vring_add(vr, 0x1000 * i, 100, 0);
		assert_in_range(id, 0, 15);
		assert_false(seen[id]);
		seen[id] = 1;
	}
	assert_int_equal(vring_add(vr, 0, 1, 0), -1);
	assert_int_equal(vring_in_flight(vr), 16);
	free(mem);
	free(vr);
}

static void
test_take_returns_used_in_order_with_length(void **state)
{
	struct device d;
	struct vring *vr;
	uint32_t len;
	int a, b, c;
	void *mem;

	(void)state;
	vr = new_vring(8, &mem);
	d = (struct device){ vr, 0 };
	a = vring_add(vr, 0x1000, 4096, 1);
	b = vring_add(vr, 0x2000, 4096, 1);
	c = vring_add(vr, 0x3000, 4096, 1);
	assert_int_equal(vring_take(vr, &len), -1);
	assert_int_equal(dev_pop(&d), a);
	assert_int_equal(dev_pop(&d), b);
	dev_push(&d, b, 17);
	dev_push(&d, a, 4096);
	assert_int_equal(vring_take(vr, &len), b);
	assert_int_equal(len, 17);
	assert_int_equal(vring_take(vr, &len), a);
	assert_int_equal(len, 4096);
	assert_int_equal(vring_take(vr, &len), -1);
	assert_int_equal(vring_in_flight(vr), 1);
	(void)c;
	free(mem);
	free(vr);
}

static void
test_device_cannot_claim_more_than_posted(void **state)
{
	struct device d;
	struct vring *vr;
	uint32_t len;
	void *mem;
	int id;

	(void)state;
	vr = new_vring(4, &mem);
	d = (struct device){ vr, 0 };
	id = vring_add(vr, 0x1000, 512, 1);
	dev_pop(&d);
	dev_push(&d, id, 100000);
	assert_int_equal(vring_take(vr, &len), id);
	assert_int_equal(len, 512);
	free(mem);
	free(vr);
}

/* Ids out of range, not in flight, or used twice are skipped. */
static void
test_bad_used_entries_are_refused(void **state)
{
	struct device d;
	struct vring *vr;
	unsigned int i;
	uint32_t len;
	void *mem;
	int id;

	(void)state;
	vr = new_vring(4, &mem);
	d = (struct device){ vr, 0 };
	id = vring_add(vr, 0x1000, 64, 1);
	dev_pop(&d);
	dev_push(&d, 9999, 1);		/* out of range */
	dev_push(&d, (id + 1) % 4, 1);	/* never posted */
	dev_push(&d, id, 8);
	dev_push(&d, id, 8);		/* twice */
	assert_int_equal(vring_take(vr, &len), id);
	assert_int_equal(len, 8);
	assert_int_equal(vring_take(vr, &len), -1);
	assert_int_equal(vr->vr_bad, 3);
	/* The free list is intact: all four descriptors, once each. */
	for (i = 0; i < 4; i++)
		assert_in_range(vring_add(vr, 0, 1, 0), 0, 3);
	assert_int_equal(vring_add(vr, 0, 1, 0), -1);
	free(mem);
	free(vr);
}

/* Long enough for the 16-bit ring indices to wrap several times. */
static void
test_indices_wrap(void **state)
{
	struct device d;
	struct vring *vr;
	unsigned int i, k, round;
	uint32_t len;
	void *mem;
	int id;

	(void)state;
	vr = new_vring(128, &mem);
	d = (struct device){ vr, 0 };
	for (round = 0; round < 3000; round++) {
		k = round % 100 + 1;
		for (i = 0; i < k; i++)
			assert_true(vring_add(vr, 0x1000 * i, 4096, 1) >= 0);
		for (i = 0; i < k; i++) {
			id = dev_pop(&d);
			assert_true(id >= 0);
			dev_push(&d, (uint32_t)id, i);
		}
		for (i = 0; i < k; i++) {
			assert_true(vring_take(vr, &len) >= 0);
			assert_int_equal(len, i);
		}
		assert_int_equal(vring_in_flight(vr), 0);
	}
	assert_int_equal(vr->vr_bad, 0);
	free(mem);
	free(vr);
}

static void
test_notify_follows_device_flag(void **state)
{
	struct vring *vr;
	void *mem;

	(void)state;
	vr = new_vring(4, &mem);
	assert_true(vring_want_notify(vr));
	vr->vr_used->flags = VRING_USED_F_NO_NOTIFY;
	assert_false(vring_want_notify(vr));
	free(mem);
	free(vr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_matches_legacy_virtio),
		cmocka_unit_test(test_add_writes_descriptor_and_avail),
		cmocka_unit_test(test_full_queue_refuses),
		cmocka_unit_test(test_take_returns_used_in_order_with_length),
		cmocka_unit_test(test_device_cannot_claim_more_than_posted),
		cmocka_unit_test(test_bad_used_entries_are_refused),
		cmocka_unit_test(test_indices_wrap),
		cmocka_unit_test(test_notify_follows_device_flag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
