/* storage/tar_wire.h: the tar header block (POSIX ustar and pax, GNU tar's extensions): offsets, sizes and type flags only. */
#ifndef RIAD_STORAGE_TAR_WIRE_H
#define RIAD_STORAGE_TAR_WIRE_H

/* Every header and every member's data are in blocks of this many bytes. */
#define TAR_BLOCK 512

/* Fields of a header block: offset and size in bytes (POSIX.1-2017, pax,
 * "ustar Interchange Format"). Numbers are octal ASCII ended by a space or
 * NUL, or in GNU tar's base-256: first byte 0x80 (positive) or 0xff
 * (negative, two's complement), the rest of the field big-endian. */
#define TAR_NAME_OFF 0
#define TAR_NAME_LEN 100
#define TAR_MODE_OFF 100
#define TAR_MODE_LEN 8
#define TAR_UID_OFF 108
#define TAR_UID_LEN 8
#define TAR_GID_OFF 116
#define TAR_GID_LEN 8
#define TAR_SIZE_OFF 124
#define TAR_SIZE_LEN 12
#define TAR_MTIME_OFF 136
#define TAR_MTIME_LEN 12
#define TAR_CHKSUM_OFF 148
#define TAR_CHKSUM_LEN 8
#define TAR_TYPE_OFF 156
#define TAR_LINKNAME_OFF 157
#define TAR_LINKNAME_LEN 100
#define TAR_MAGIC_OFF 257   /* "ustar\0" then version "00"; GNU: "ustar  \0" */
#define TAR_MAGIC_LEN 6
#define TAR_VERSION_OFF 263
#define TAR_VERSION_LEN 2
#define TAR_UNAME_OFF 265
#define TAR_UNAME_LEN 32
#define TAR_GNAME_OFF 297
#define TAR_GNAME_LEN 32
#define TAR_DEVMAJOR_OFF 329
#define TAR_DEVMINOR_OFF 337
#define TAR_PREFIX_OFF 345  /* ustar only: GNU headers hold atime, ctime... here */
#define TAR_PREFIX_LEN 155
#define TAR_GNU_ISEXTENDED_OFF 482  /* old GNU sparse: more sparse blocks follow */
#define TAR_GNU_SPARSE_EXT_FLAG_OFF 504  /* in each sparse extension block */

/* Largest size an 11-digit octal field holds (8 GiB - 1). */
#define TAR_OCTAL11_MAX 077777777777ull

/* Type flags. */
#define TAR_T_REG '0'
#define TAR_T_AREG '\0'      /* pre-POSIX regular file */
#define TAR_T_LINK '1'
#define TAR_T_SYMLINK '2'
#define TAR_T_CHR '3'
#define TAR_T_BLK '4'
#define TAR_T_DIR '5'
#define TAR_T_FIFO '6'
#define TAR_T_CONTIG '7'
#define TAR_T_PAX 'x'        /* pax extended header for the next member */
#define TAR_T_PAX_GLOBAL 'g' /* pax global extended header */
#define TAR_T_GNU_LONGNAME 'L'
#define TAR_T_GNU_LONGLINK 'K'
#define TAR_T_GNU_SPARSE 'S'

#endif
