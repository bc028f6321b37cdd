/*
 * lab_receiver - receive the lab's numbered messages over UDP or TCP and
 * say which ones came, in what order, and whether each came intact.
 *
 *   UDP:  socket() -> bind() -> loop { recvfrom() } until --idle-ms of
 *         silence -> close()
 *   TCP:  socket() -> bind() -> listen() -> accept() ->
 *         loop { recv() } until the sender closes -> close() x2
 *
 * --pause-ms makes it a slow reader: it sleeps before its first receive,
 * while the messages pile up in the kernel (or do not: see flow control).
 *
 * Output: "listening on 0.0.0.0:PORT (udp)" first; then "got #007" for
 * each intact message as it arrives, "got a damaged message (N bytes)"
 * for any other; last "received N messages, D damaged".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "chat_common.h"
#include "lab_common.h"

#define PROG	"lab_receiver"

static const char usage[] =
	"usage: lab_receiver udp|tcp [--port P] [--size B] [--idle-ms MS]\n"
	"                    [--pause-ms MS] [--rcvbuf BYTES]\n"
	"Receive lab_sender's numbered messages; print which arrived.\n";

static unsigned int received, damaged;

/* One message as it arrived: intact (and which), or damaged. */
static void got(const struct lab_options *o, const char *msg, size_t len)
{
	unsigned int n = lab_message_number(msg, len, o->size);

	if (n) {
		chat_print_line("got #%03u", n);
		received++;
	} else {
		chat_print_line("got a damaged message (%zu bytes)", len);
		damaged++;
	}
}

/* A receive that waits longer than @ms fails with EAGAIN. */
static int set_timeout(int fd, unsigned int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };

	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static int bound_socket(const struct lab_options *o, int type)
{
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_port = htons(o->port),
				    .sin_addr.s_addr = htonl(INADDR_ANY) };
	int fd = socket(AF_INET, type, 0), on = 1;

	if (fd < 0) {
		perror(PROG ": socket");
		return -1;
	}
	/* A small receive buffer fills quickly: a slow reader's buffer. */
	if (o->rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf,
				    sizeof(o->rcvbuf)) < 0)
		perror(PROG ": setsockopt(SO_RCVBUF)");
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror(PROG ": bind");
		close(fd);
		return -1;
	}
	return fd;
}

static int receive_udp(const struct lab_options *o)
{
	char buf[LAB_MAX_SIZE + 1];
	ssize_t n;
	int fd = bound_socket(o, SOCK_DGRAM);

	if (fd < 0)
		return 1;
	chat_print_line("listening on 0.0.0.0:%u (udp)", o->port);
	if (o->pause_ms)
		usleep(o->pause_ms * 1000);
	/* The sender may take a while to start; once it has, a silence
	 * of --idle-ms means it is done (UDP never says so). */
	set_timeout(fd, 10000);
	while ((n = recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL)) >= 0) {
		got(o, buf, (size_t)n);
		if (received + damaged == 1)
			set_timeout(fd, o->idle_ms);
	}
	if (errno != EAGAIN)
		perror(PROG ": recvfrom");
	close(fd);
	return 0;
}

/* The stream has no boundaries: split it at each '\n'. */
static int receive_tcp(const struct lab_options *o)
{
	char buf[4 * (LAB_MAX_SIZE + 1)];
	size_t have = 0;
	ssize_t n;
	int lfd = bound_socket(o, SOCK_STREAM), fd;

	if (lfd < 0)
		return 1;
	if (listen(lfd, 1) < 0) {
		perror(PROG ": listen");
		return 1;
	}
	chat_print_line("listening on 0.0.0.0:%u (tcp)", o->port);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror(PROG ": accept");
		return 1;
	}
	if (o->pause_ms)
		usleep(o->pause_ms * 1000);
	while ((n = recv(fd, buf + have, sizeof(buf) - have, 0)) > 0) {
		char *start = buf, *nl;

		have += (size_t)n;
		while ((nl = memchr(start, '\n', have - (start - buf)))) {
			got(o, start, (size_t)(nl - start));
			start = nl + 1;
		}
		have -= (size_t)(start - buf);
		memmove(buf, start, have);
		if (have == sizeof(buf)) {	/* no '\n' in sight */
			got(o, buf, have);
			have = 0;
		}
	}
	if (n < 0)
		perror(PROG ": recv");
	if (have)
		got(o, buf, have);
	close(fd);
	close(lfd);
	return 0;
}

int main(int argc, char **argv)
{
	struct lab_options o;
	int ret;

	lab_parse_args(&o, PROG, usage, argc, argv);
	ret = o.tcp ? receive_tcp(&o) : receive_udp(&o);
	chat_print_line("received %u messages, %u damaged", received, damaged);
	return ret;
}
