#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
// Linux interfaces the Glibc module does not export to Swift: epoll and eventfd.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

// struct ucred is only declared under _GNU_SOURCE, which would make this module's view of the
// C library differ from Glibc's; this mirrors its layout for getsockopt(SO_PEERCRED).
struct clinux_peer_credentials {
  int pid;
  unsigned int uid;
  unsigned int gid;
};
#endif
