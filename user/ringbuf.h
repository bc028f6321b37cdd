/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_RINGBUF_H
#define SOCKSCOPE_RINGBUF_H

#include <stddef.h>

/*
 * The reading end of a BPF ring buffer, mapped once.
 *
 * The kernel lets a reader map a ring buffer's data pages twice, one copy
 * after the other, so that a record that wraps around the end reads as
 * one piece; libbpf's reader does so. The kernel inserts every page at
 * mmap() time, so both copies count in the reader's resident set from
 * the start: twice the buffer's size. This reader maps the data once and
 * copies the rare record that wraps into a buffer of its own.
 */

/* Called for each record, in order; a negative return stops the read
 * and is returned. data is valid only during the call. */
typedef int (*ringbuf_record_fn)(void *ctx, void *data, size_t size);

struct ringbuf {
	int map_fd;
	int epoll_fd;
	size_t page_size;
	size_t size;			/* of the data area: a power of 2 */
	unsigned long *consumer_pos;	/* our page, writable */
	const unsigned long *producer_pos; /* the kernel's, read-only */
	const unsigned char *data;	/* right after producer_pos's page */
	unsigned char *wrapped;		/* a record that wraps, joined */
	size_t wrapped_size;
	ringbuf_record_fn fn;
	void *ctx;
};

/* Map the ring buffer map_fd. 0 or -errno. */
int ringbuf_open(struct ringbuf *rb, int map_fd, ringbuf_record_fn fn,
		 void *ctx);

/* Deliver every record that is ready: how many, or a negative error
 * (fn's, or -ENOMEM). */
int ringbuf_consume(struct ringbuf *rb);

/* Wait up to timeout_ms for the kernel's wake-up, then consume. How many
 * records, or -errno (-EINTR when a signal came). */
int ringbuf_poll(struct ringbuf *rb, int timeout_ms);

/* Unmap it; nothing to do for one that was never opened (all zero). */
void ringbuf_close(struct ringbuf *rb);

#endif
