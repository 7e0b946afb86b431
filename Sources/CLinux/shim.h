#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
// Linux interfaces the Glibc module does not export to Swift: epoll, eventfd, thread names.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>

// struct ucred is only declared under _GNU_SOURCE, which would make this module's view of the
// C library differ from Glibc's; this mirrors its layout for getsockopt(SO_PEERCRED).
struct clinux_peer_credentials {
  int pid;
  unsigned int uid;
  unsigned int gid;
};

// Names the calling thread (the kernel keeps 15 bytes). Threads name themselves with this
// because Foundation on Linux drops Thread.name when the thread runs before start() has recorded
// its handle. prctl is variadic, which Swift cannot call, and pthread_setname_np is only
// declared under _GNU_SOURCE.
static inline int clinux_name_this_thread(const char *name) {
  return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}
#endif
