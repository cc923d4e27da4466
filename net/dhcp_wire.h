/* net/dhcp_wire.h: the DHCP message on the wire (RFC 2131 section 2, options from RFC 2132). */
#ifndef RIAD_NET_DHCP_WIRE_H
#define RIAD_NET_DHCP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

#define DHCP_FIXED_LEN 236          /* up to the options field */
#define DHCP_MAGIC 0x63825363u      /* 99.130.83.99, first 4 bytes of options */
#define DHCP_MIN_LEN 300            /* BOOTP minimum (RFC 1542 2.1); we pad to it */

#define DHCP_OP_REQUEST 1           /* BOOTREQUEST */
#define DHCP_OP_REPLY 2             /* BOOTREPLY */
#define DHCP_HTYPE_ETHER 1
#define DHCP_FLAG_BROADCAST 0x8000

/* Message types (option 53). */
#define DHCP_DISCOVER 1
#define DHCP_OFFER 2
#define DHCP_REQUEST 3
#define DHCP_DECLINE 4
#define DHCP_ACK 5
#define DHCP_NAK 6
#define DHCP_RELEASE 7

/* Options (RFC 2132). */
#define DHCP_OPT_PAD 0
#define DHCP_OPT_SUBNET_MASK 1
#define DHCP_OPT_ROUTER 3
#define DHCP_OPT_DNS 6
#define DHCP_OPT_REQUESTED_IP 50
#define DHCP_OPT_LEASE_TIME 51
#define DHCP_OPT_OVERLOAD 52        /* 1: file, 2: sname, 3: both hold options */
#define DHCP_OPT_MSG_TYPE 53
#define DHCP_OPT_SERVER_ID 54
#define DHCP_OPT_PARAM_LIST 55
#define DHCP_OPT_MAX_SIZE 57
#define DHCP_OPT_T1 58
#define DHCP_OPT_T2 59
#define DHCP_OPT_CLIENT_ID 61
#define DHCP_OPT_END 255

#define DHCP_LEASE_INFINITE 0xffffffffu

struct dhcp_msg {
	uint8_t op;
	uint8_t htype;
	uint8_t hlen;
	uint8_t hops;
	uint8_t xid[4];
	uint8_t secs[2];
	uint8_t flags[2];
	uint8_t ciaddr[4];
	uint8_t yiaddr[4];
	uint8_t siaddr[4];
	uint8_t giaddr[4];
	uint8_t chaddr[16];
	uint8_t sname[64];
	uint8_t file[128];
	/* then the options field: the magic cookie, options, END */
} __attribute__((packed));

_Static_assert(sizeof(struct dhcp_msg) == DHCP_FIXED_LEN, "dhcp_msg size");
_Static_assert(offsetof(struct dhcp_msg, xid) == 4, "dhcp_msg.xid");
_Static_assert(offsetof(struct dhcp_msg, secs) == 8, "dhcp_msg.secs");
_Static_assert(offsetof(struct dhcp_msg, ciaddr) == 12, "dhcp_msg.ciaddr");
_Static_assert(offsetof(struct dhcp_msg, yiaddr) == 16, "dhcp_msg.yiaddr");
_Static_assert(offsetof(struct dhcp_msg, chaddr) == 28, "dhcp_msg.chaddr");
_Static_assert(offsetof(struct dhcp_msg, sname) == 44, "dhcp_msg.sname");
_Static_assert(offsetof(struct dhcp_msg, file) == 108, "dhcp_msg.file");

#endif
