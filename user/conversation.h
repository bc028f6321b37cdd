/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_CONVERSATION_H
#define SOCKSCOPE_CONVERSATION_H

#include "events.h"
#include "socktable.h"
#include "strbuf.h"

/*
 * Both ends of a conversation in one trace: a send is matched with the
 * receive of those bytes, and a connect with its accept, by the two
 * endpoints (protocol, address and port of each side). A match adds a
 * clause to the later call's note: "; sent by udp_chat_client (pid 42),
 * 0.08 ms earlier".
 */
struct conversations;

struct conversations *conversations_new(void);
void conversations_free(struct conversations *c);

/* Look at a finished call on socket e (after the call); append to note. */
void conversations_note(struct conversations *c,
			const struct syscall_record *r,
			const struct sock_entry *e, struct strbuf *note);

#endif
