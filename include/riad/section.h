/* riad/section.h: registration by linker section (private to riad's public
 * headers; applications use the macros of args.h, log.h, devices.h, net.h).
 *
 * A registered entry is a pointer placed in a named section; GNU ld defines
 * __start_NAME and __stop_NAME around it, and the runtime walks that array.
 * RIAD_RETAIN_ keeps the entries under --gc-sections (SHF_GNU_RETAIN), where
 * the compiler supports it; the linker scripts of the solo5 targets KEEP the
 * sections as well.
 */
#ifndef RIAD_SECTION_H
#define RIAD_SECTION_H

#ifndef RIAD_RETAIN_
#if defined(__has_attribute)
#if __has_attribute(__retain__)
#define RIAD_RETAIN_ __retain__,
#endif
#endif
#endif
#ifndef RIAD_RETAIN_
#define RIAD_RETAIN_
#endif

#endif
