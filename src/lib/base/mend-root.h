/* mend-root.h — the one way to open anything inside a Windows image.
 *
 * Everything inside an image is hostile input: names, links, sizes. A MendRoot is an open
 * folder (the image root); every path below it is resolved component by component relative
 * to that folder, matching names case-insensitively as NTFS does, and never following a
 * symbolic link (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS
 * where the kernel has it, an O_NOFOLLOW walk where not). ".." and absolute paths are
 * refused. Files are opened O_NONBLOCK and must be regular files no larger than the limit of
 * their kind; anything else (a FIFO, a device, a folder, a link, an oversized file) is
 * refused with MEND_ERROR_UNSAFE_FILE and a sentence that says what stood there.
 *
 * Relative paths use '/' or '\' between components ("Windows/System32/config/SYSTEM"). */
#pragma once

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

typedef struct _MendRoot MendRoot;

/* What a file is, for its size limit (mend_file_kind_max_size) and for messages. */
typedef enum {
  MEND_FILE_HIVE,        /* a registry hive (SYSTEM, SOFTWARE, NTUSER.DAT) */
  MEND_FILE_HIVE_LOG,    /* a hive's .LOG/.LOG1/.LOG2 transaction log */
  MEND_FILE_EVENT_LOG,   /* a .evtx event log */
  MEND_FILE_RDP,         /* a .rdp connection file */
  MEND_FILE_PE,          /* an executable or DLL read for its version resource */
  MEND_FILE_JOURNAL,     /* a journal manifest (JSON) */
  MEND_FILE_BACKUP,      /* a journal backup: .reg export or hive copy */
  MEND_FILE_SMALL,       /* anything else read whole (pending.xml, a key file) */
} MendFileKind;

/* The largest file of KIND that is read (bytes). */
gsize       mend_file_kind_max_size (MendFileKind kind);

/* Opens DIR as a root. DIR itself may be reached through links (the user chose it); nothing
 * below it is. MEND_ERROR_NOT_FOUND / _PERMISSION / _UNSAFE_FILE (not a folder). */
MendRoot   *mend_root_open        (const char *dir, GError **error);
MendRoot   *mend_root_ref         (MendRoot *root);
void        mend_root_unref       (MendRoot *root);
/* The folder as given (canonicalised), for messages and evidence. */
const char *mend_root_get_path    (MendRoot *root);
/* The root's own descriptor (O_DIRECTORY); owned by ROOT. */
int         mend_root_get_fd      (MendRoot *root);

/* The path of RELATIVE as it is on disk below ROOT ("Windows/System32/config/SYSTEM" →
 * "Windows/System32/config/system"), matched case-insensitively, with no component a link;
 * NULL + error when absent (MEND_ERROR_NOT_FOUND) or when a component is a link or not a
 * folder (MEND_ERROR_UNSAFE_FILE). */
char       *mend_root_resolve     (MendRoot *root, const char *relative, GError **error);
/* ROOT's path joined with the on-disk relative path: for messages and evidence only, never
 * to open. NULL + error as mend_root_resolve. */
char       *mend_root_display_path (MendRoot *root, const char *relative, GError **error);
/* TRUE when RELATIVE exists below ROOT (any type, links included, never followed). ST, if
 * not NULL, receives lstat-like information. */
gboolean    mend_root_lookup      (MendRoot *root, const char *relative, struct stat *st);

/* Opens the folder RELATIVE (O_DIRECTORY | O_NOFOLLOW at every component). Returns a
 * descriptor the caller closes, or -1 + error. An empty RELATIVE is the root itself. */
int         mend_root_open_dir    (MendRoot *root, const char *relative, GError **error);
/* Creates every missing folder of RELATIVE (mode 0755), refusing links; returns the last
 * folder's descriptor, or -1 + error. */
int         mend_root_make_dirs   (MendRoot *root, const char *relative, GError **error);
/* Names in the folder RELATIVE (sorted, "." and ".." left out); NULL + error. */
GStrv       mend_root_list_dir    (MendRoot *root, const char *relative, GError **error);

/* Opens the regular file RELATIVE for reading: O_NOFOLLOW, O_NONBLOCK (a FIFO never blocks),
 * then fstat: anything but a regular file of at most mend_file_kind_max_size(KIND) bytes is
 * refused with MEND_ERROR_UNSAFE_FILE. ST receives its fstat. Returns a descriptor in
 * blocking mode, or -1 + error. */
int         mend_root_open_file   (MendRoot *root, const char *relative, MendFileKind kind,
                                   struct stat *st, GError **error);
/* Reads the regular file RELATIVE whole (checks as mend_root_open_file; the size is checked
 * before reading, and the read stops at the limit even if the file grows). */
GBytes     *mend_root_read_file   (MendRoot *root, const char *relative, MendFileKind kind,
                                   GError **error);

/* The same checks for a file named by the user outside any image (--rdp-file): opened
 * O_NONBLOCK, regular, size-capped before reading. Links are followed: the user named it. */
int         mend_file_open_checked (const char *path, MendFileKind kind, struct stat *st,
                                    GError **error);
GBytes     *mend_file_read_checked (const char *path, MendFileKind kind, GError **error);
/* Reads an open regular file FD of SIZE bytes (from fstat), at most MAX bytes; the error
 * names WHAT. Closes nothing. */
GBytes     *mend_fd_read_all      (int fd, gsize size, gsize max, const char *what,
                                   GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MendRoot, mend_root_unref)

G_END_DECLS
