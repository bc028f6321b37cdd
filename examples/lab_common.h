/*
 * lab_common.h - what the lab's two experiment programs share: the
 * numbered messages they exchange, and their command line.
 *
 * lab_sender sends messages #001, #002, ... to lab_receiver, over UDP or
 * over TCP; the receiver says which ones it got, in what order, and
 * whether each came intact.  Both know every message's exact bytes, so a
 * damaged one is recognised.  The socket calls stay in the programs;
 * their output lines go out with chat_print_line() (chat_common.h).
 */
#ifndef LAB_COMMON_H
#define LAB_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#define LAB_MAX_COUNT		999
#define LAB_MAX_SIZE		1400	/* fits one packet of a 1500-byte link */
#define LAB_DEFAULT_PORT	9000
#define LAB_DEFAULT_COUNT	20

struct lab_options {
	bool tcp;			/* "tcp", else "udp" */
	const char *to;			/* sender: the receiver's IPv4 address */
	unsigned int port;
	unsigned int count;		/* messages */
	unsigned int size;		/* bytes per message; 0: as written */
	unsigned int gap_us;		/* sender: pause between messages */
	unsigned int idle_ms;		/* UDP receiver: silence that ends it */
	unsigned int pause_ms;		/* receiver: sleep before reading */
	unsigned int rcvbuf;		/* receiver: SO_RCVBUF; 0: default */
	bool nonblock;			/* TCP sender: O_NONBLOCK, wait on EAGAIN */
	bool expect_refused;		/* UDP sender: wait for the ICMP error */
};

/*
 * Fill @o from "udp|tcp [--option value]...".  Prints the help and exits
 * 0 for --help; prints one line and exits 2 for a bad argument.
 */
void lab_parse_args(struct lab_options *o, const char *prog,
		    const char *usage, int argc, char **argv);

/*
 * Message @n (1-based) into @buf: "#007 你好，服务器", padded with '.' to
 * @size bytes when @size is larger.  Returns its length.
 */
size_t lab_message(unsigned int n, unsigned int size, char *buf);

/*
 * The number of message @msg (@len bytes), if it is exactly one of ours;
 * 0 if it is damaged (or not one of ours at all).
 */
unsigned int lab_message_number(const char *msg, size_t len,
				unsigned int size);

#endif /* LAB_COMMON_H */
