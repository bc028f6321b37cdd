/*
 * lab_sender - send the lab's numbered messages to lab_receiver, over UDP
 * or over TCP.
 *
 *   UDP:  socket() -> loop { sendto() } -> close()
 *   TCP:  socket() -> connect() -> loop { send() } -> close()
 *
 * Each TCP message ends in '\n', so the receiver can find it in the
 * byte stream.  --nonblock makes TCP sends fail with EAGAIN instead of
 * waiting when the receiver's window is full; the sender then waits
 * with poll() and tries again.  --expect-refused (UDP) waits after the
 * sends for an ICMP error: nobody was listening.
 *
 * Output: "sent N messages (B bytes)", with how often a send would
 * have blocked; or why it failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "chat_common.h"
#include "lab_common.h"

#define PROG	"lab_sender"

static const char usage[] =
	"usage: lab_sender udp|tcp --to IPV4 [--port P] [--count N] [--size B]\n"
	"                  [--gap-us US] [--nonblock] [--expect-refused]\n"
	"Send numbered messages to lab_receiver.\n";

/* One whole message on a stream socket; counts the times it had to wait
 * for room (EAGAIN). 0, or -1 after saying why. */
static int send_all(int fd, const char *msg, size_t len, unsigned int *waits)
{
	while (len) {
		ssize_t n = send(fd, msg, len, MSG_NOSIGNAL);
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (n >= 0) {
			msg += n;
			len -= (size_t)n;
		} else if (errno == EAGAIN) {
			/* The peer's window is closed: wait until it opens. */
			++*waits;
			poll(&p, 1, -1);
		} else if (errno != EINTR) {
			perror(PROG ": send");
			return -1;
		}
	}
	return 0;
}

/* After sending to a port nobody listens on: the error comes back as
 * ICMP, and IP_RECVERR makes the next receive report it. */
static void wait_for_refusal(int fd)
{
	struct timeval tv = { .tv_sec = 1 };
	char buf[16];

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL) < 0 &&
	    errno == ECONNREFUSED)
		chat_print_line("recvfrom: Connection refused: an ICMP port unreachable came back; the sendto itself had succeeded");
	else
		chat_print_line("no error came back within 1 s");
}

int main(int argc, char **argv)
{
	struct lab_options o;
	struct sockaddr_in to = { .sin_family = AF_INET };
	char msg[LAB_MAX_SIZE + 2];
	unsigned long long bytes = 0;
	unsigned int sent = 0, waits = 0;
	int fd, on = 1;

	lab_parse_args(&o, PROG, usage, argc, argv);
	to.sin_port = htons(o.port);
	if (inet_pton(AF_INET, o.to, &to.sin_addr) != 1) {
		fprintf(stderr, "%s: --to takes an IPv4 address, not '%s'\n",
			PROG, o.to);
		return 2;
	}
	fd = socket(AF_INET, o.tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0) {
		perror(PROG ": socket");
		return 1;
	}
	if (o.expect_refused)
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
	if (o.tcp) {
		if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
			perror(PROG ": connect");
			return 1;
		}
		/* Each message its own segment, as soon as it is sent. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
		if (o.nonblock)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	}
	for (unsigned int i = 1; i <= o.count; i++) {
		size_t len = lab_message(i, o.size, msg);

		if (o.tcp) {
			msg[len++] = '\n';
			if (send_all(fd, msg, len, &waits))
				break;
		} else if (sendto(fd, msg, len, 0, (struct sockaddr *)&to,
				  sizeof(to)) < 0) {
			perror(PROG ": sendto");
			break;
		}
		sent++;
		bytes += len;
		if (o.gap_us)
			usleep(o.gap_us);
	}
	if (o.expect_refused && !o.tcp)
		wait_for_refusal(fd);
	close(fd);
	chat_print_line("sent %u messages (%llu bytes); a send had to wait %u times",
		  sent, bytes, waits);
	return sent == o.count ? 0 : 1;
}
