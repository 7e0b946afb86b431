#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
// Linux interfaces the Glibc module does not export to Swift: epoll, eventfd, thread names,
// and the posix_spawn file actions the tests start child processes with.
#include <spawn.h>
#include <unistd.h>
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

#ifndef __USE_GNU
// spawn.h and unistd.h declare these only under _GNU_SOURCE (glibc 2.29, 2.34 and 2.9).
// closefrom makes a child close every descriptor from the given one up, in the child, before
// exec; pipe2 opens both ends close-on-exec at once.
extern int pipe2(int pipefd[2], int flags);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *__restrict actions,
                                                const char *__restrict path);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int lowest);
#endif
#endif
