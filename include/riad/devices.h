/* riad/devices.h: declaring the devices a unikernel needs, in its source.
 *
 * On the hvt and spt targets a unikernel carries a manifest, the list of
 * its devices (name and type), and the tender refuses to start it unless
 * each one is attached on its command line (riad run --net NAME=IFACE,
 * --block NAME=FILE). In riad the source is the only list: each file that
 * uses a device declares it with one line at file scope,
 *
 *	RIAD_DEVICE_NET(service);
 *	RIAD_DEVICE_BLOCK(storage);
 *
 * and `riad build -t hvt|spt` collects the declarations from the compiled
 * objects and generates the manifest from them. There is nothing else to
 * keep in step: a device the source stops declaring leaves the manifest at
 * the next build.
 *
 * Rules, checked by riad build: NAME is an identifier of 1 to 67 letters
 * and digits (no '_': Solo5 names are alphanumeric); at most 63 devices;
 * declaring the same name in several files is one device, declaring it with
 * two types is an error. Devices appear in the manifest sorted by name, so
 * their handles do not depend on the order of the sources.
 *
 * How: each declaration is a local absolute symbol
 * "__riad_device.TYPE.NAME" in the object's symbol table (TYPE is net or
 * block); it takes no memory and no code, and `nm` shows it in objects and
 * in unstripped unikernels. On unix it is inert: the unix target has no
 * manifest.
 *
 * Declaring a device does not open it: the code that uses it acquires it
 * by name (solo5_net_acquire() and solo5_block_acquire() on the solo5
 * targets).
 */
#ifndef RIAD_DEVICES_H
#define RIAD_DEVICES_H

#define RIAD_DEVICE_DECLARE_(type, name) \
	__asm__(".set __riad_device." #type "." #name ", 0")

/* A network interface (Solo5 NET_BASIC) called name. */
#define RIAD_DEVICE_NET(name) RIAD_DEVICE_DECLARE_(net, name)

/* A block device (Solo5 BLOCK_BASIC) called name. */
#define RIAD_DEVICE_BLOCK(name) RIAD_DEVICE_DECLARE_(block, name)

#endif
