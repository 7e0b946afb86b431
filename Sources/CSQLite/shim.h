#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include <sqlite3.h>

/// Turns off SQLite's memory statistics, which take a global mutex on every allocation of every
/// connection. sqlite3_config is variadic, so Swift cannot call it; this must run before SQLite
/// initializes (before the first connection opens), and returns SQLITE_MISUSE after.
static inline int csqlite_disable_memory_statistics(void) {
  return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
