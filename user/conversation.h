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

/*
 * A record comes at a call's end, so a receive can come before the send
 * it took (the receiver woke and finished while the sender was still
 * returning), an accept before its connect. Does the receive or accept r,
 * not yet noted, wait for a call of a traced local socket still to come?
 */
bool conversations_awaits(struct conversations *c, struct socktable *t,
			  const struct syscall_record *r);

/*
 * Is the later record the send (or connect) that r answers? Then it is
 * remembered now, so that r's note names it, and not again in its turn.
 */
bool conversations_answers(struct conversations *c,
			   const struct syscall_record *r,
			   const struct syscall_record *later);

#endif
