// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sendmmsg and recvmmsg on UDP over loopback, for a test that runs this
 * under strace and sockscope at once: three datagrams of 3, 4 and 5
 * bytes sent with one call, received with one call (with a timeout),
 * then a recvmmsg that finds nothing (EAGAIN), and a sendmmsg of ten
 * messages (more than sockscope's record keeps) to a connected socket.
 * Exit status 0, or 1 with a message.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "mmsg_calls:%d: %s: %s\n",	\
				__LINE__, #cond, strerror(errno));	\
			exit(1);					\
		}							\
	} while (0)

#define MANY	10

int main(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET }, from[3];
	static const char *const text[3] = { "one", "two!", "three" };
	struct iovec out[3], in[3], one = { (void *)"x", 1 };
	struct mmsghdr sent[3], got[3], many[MANY];
	struct timespec timeout = { 1, 0 };
	socklen_t len = sizeof(to);
	char buf[3][16];
	int rx, tx;

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(rx >= 0 && tx >= 0);
	CHECK(!bind(rx, (struct sockaddr *)&to, sizeof(to)));
	CHECK(!getsockname(rx, (struct sockaddr *)&to, &len));

	memset(sent, 0, sizeof(sent));
	memset(got, 0, sizeof(got));
	for (int i = 0; i < 3; i++) {
		out[i] = (struct iovec){ (void *)text[i], strlen(text[i]) };
		sent[i].msg_hdr.msg_name = &to;
		sent[i].msg_hdr.msg_namelen = sizeof(to);
		sent[i].msg_hdr.msg_iov = &out[i];
		sent[i].msg_hdr.msg_iovlen = 1;
		in[i] = (struct iovec){ buf[i], sizeof(buf[i]) };
		got[i].msg_hdr.msg_name = &from[i];
		got[i].msg_hdr.msg_namelen = sizeof(from[i]);
		got[i].msg_hdr.msg_iov = &in[i];
		got[i].msg_hdr.msg_iovlen = 1;
	}
	CHECK(sendmmsg(tx, sent, 3, 0) == 3);
	CHECK(recvmmsg(rx, got, 3, 0, &timeout) == 3);
	CHECK(recvmmsg(rx, got, 3, MSG_DONTWAIT, NULL) < 0 &&
	      errno == EAGAIN);

	CHECK(!connect(tx, (struct sockaddr *)&to, sizeof(to)));
	memset(many, 0, sizeof(many));
	for (int i = 0; i < MANY; i++) {
		many[i].msg_hdr.msg_iov = &one;
		many[i].msg_hdr.msg_iovlen = 1;
	}
	CHECK(sendmmsg(tx, many, MANY, 0) == MANY);
	return 0;
}
