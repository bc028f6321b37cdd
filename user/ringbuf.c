// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The reading end of a BPF ring buffer, with its data mapped once.
 *
 * The layout the kernel gives a ring buffer map's mmap() (kernel/bpf/
 * ringbuf.c): page 0 holds the consumer position, which the reader
 * writes; page 1 the producer position, read-only; the data pages
 * follow, and may be mapped up to twice. Each record starts on an 8-byte
 * boundary with an 8-byte header whose first word is the length, with
 * BPF_RINGBUF_BUSY_BIT set while the producer still writes it and
 * BPF_RINGBUF_DISCARD_BIT when it was thrown away. The reader releases
 * a record's space by moving the consumer position past it, after it has
 * used the record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <bpf/bpf.h>

#include "ringbuf.h"

static size_t map_data_size(int map_fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return 0;
	return info.max_entries;
}

int ringbuf_open(struct ringbuf *rb, int map_fd, ringbuf_record_fn fn,
		 void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	void *consumer, *producer;
	int err;

	memset(rb, 0, sizeof(*rb));
	rb->epoll_fd = -1;
	rb->map_fd = map_fd;
	rb->fn = fn;
	rb->ctx = ctx;
	rb->page_size = sysconf(_SC_PAGESIZE);
	rb->size = map_data_size(map_fd);
	if (!rb->size || (rb->size & (rb->size - 1)))
		return -EINVAL;

	consumer = mmap(NULL, rb->page_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, map_fd, 0);
	if (consumer == MAP_FAILED)
		return -errno;
	rb->consumer_pos = consumer;
	/* The producer's page and the data, once. */
	producer = mmap(NULL, rb->page_size + rb->size, PROT_READ, MAP_SHARED,
			map_fd, rb->page_size);
	if (producer == MAP_FAILED) {
		err = -errno;
		goto out_unmap_consumer;
	}
	rb->producer_pos = producer;
	rb->data = (const unsigned char *)producer + rb->page_size;

	rb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epoll_fd < 0 ||
	    epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev)) {
		err = -errno;
		goto out_unmap_producer;
	}
	return 0;

out_unmap_producer:
	if (rb->epoll_fd >= 0)
		close(rb->epoll_fd);
	munmap(producer, rb->page_size + rb->size);
out_unmap_consumer:
	munmap(consumer, rb->page_size);
	memset(rb, 0, sizeof(*rb));
	return err;
}

/* The record of len bytes at offset off of the data area, in one piece:
 * in place, or joined in rb->wrapped when it runs past the end. */
static void *record_at(struct ringbuf *rb, size_t off, size_t len)
{
	size_t first = rb->size - off;

	if (len <= first)
		return (void *)(rb->data + off);
	if (len > rb->wrapped_size) {
		unsigned char *p = realloc(rb->wrapped, len);

		if (!p)
			return NULL;
		rb->wrapped = p;
		rb->wrapped_size = len;
	}
	memcpy(rb->wrapped, rb->data + off, first);
	memcpy(rb->wrapped + first, rb->data, len - first);
	return rb->wrapped;
}

int ringbuf_consume(struct ringbuf *rb)
{
	unsigned long cons = *rb->consumer_pos, prod;
	size_t mask = rb->size - 1;
	int count = 0, err;

	for (;;) {
		prod = __atomic_load_n(rb->producer_pos, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			return count;
		while (cons < prod) {
			const __u32 *hdr = (const __u32 *)(rb->data +
							   (cons & mask));
			__u32 len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			size_t off;
			void *rec;

			if (len & BPF_RINGBUF_BUSY_BIT)
				return count;
			off = ((cons & mask) + BPF_RINGBUF_HDR_SZ) & mask;
			cons += (len & ~BPF_RINGBUF_DISCARD_BIT) +
				BPF_RINGBUF_HDR_SZ;
			cons = (cons + 7) & ~7UL;
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				rec = record_at(rb, off, len);
				err = rec ? rb->fn(rb->ctx, rec, len) : -ENOMEM;
				if (err < 0) {
					__atomic_store_n(rb->consumer_pos, cons,
							 __ATOMIC_RELEASE);
					return err;
				}
				count++;
			}
			__atomic_store_n(rb->consumer_pos, cons,
					 __ATOMIC_RELEASE);
		}
	}
}

int ringbuf_poll(struct ringbuf *rb, int timeout_ms)
{
	struct epoll_event ev;

	if (epoll_wait(rb->epoll_fd, &ev, 1, timeout_ms) < 0)
		return -errno;
	return ringbuf_consume(rb);
}

void ringbuf_close(struct ringbuf *rb)
{
	if (!rb->consumer_pos)
		return;		/* never opened */
	munmap(rb->consumer_pos, rb->page_size);
	munmap((void *)rb->producer_pos, rb->page_size + rb->size);
	close(rb->epoll_fd);
	free(rb->wrapped);
	memset(rb, 0, sizeof(*rb));
}
