#ifndef SLUICE_CROCKSDB_SHIM_H
#define SLUICE_CROCKSDB_SHIM_H

// RocksDB's C API. Debian: librocksdb-dev 7.8 (no write-buffer manager in its C API; DESIGN.md §3).
#include <rocksdb/c.h>

#endif
