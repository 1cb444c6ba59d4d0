#ifndef ACNN_COMPILER_CODEGEN_TUNINGDATABASE_H
#define ACNN_COMPILER_CODEGEN_TUNINGDATABASE_H

// A tuning database: the schedules `acnnc tune` measured on one machine,
// which `acnnc compile --tuning-db` reuses. Plain text a person can read,
// diff and check in: one JSON object a line, one line per (kernel key,
// target), sorted, e.g.
//
//   {"key":"linalg.matmul 197x768x3072 ppr f32","target":"#acnn.target<...>",
//    "version":1,"schedule":"#acnn.schedule<matmul, ...>","default_ms":0.81,
//    "tuned_ms":0.66,"model":"vit_b_16"}
//
// A record applies to the kernels whose key (KernelKey.h) it names, compiled
// for exactly its target (the #acnn.target text: CPU, ISA, caches, threads)
// by the schedule version it was made with; other records are stale and
// ignored. Records of several models merge: a kernel tuned for one model is
// a hit in the next.

#include "dialects/acnn/AcnnAttrs.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace acnn {

/// What the templates and the renderer mean by a schedule: records made by
/// another version are stale. Bump it when a schedule's fields, the way
/// they are rendered or what a kernel key names change. 2: keys name a
/// conv's or pool's strides and dilations other than 1, so a version-1 key
/// without them was made for a kernel of any stride.
inline constexpr int64_t kScheduleVersion = 2;

struct TuningRecord {
  std::string key;    // what the kernel computes (kernelKey)
  std::string target; // the #acnn.target it was measured on, as printed
  int64_t version = kScheduleVersion;
  std::string schedule; // the #acnn.schedule, as printed
  /// Median time of one run of the kernels with this key: under the
  /// generator's schedule and under `schedule` (equal when tuning kept the
  /// generator's).
  double defaultMs = 0, tunedMs = 0;
  std::string model; // the model it was tuned on (for a reader)
  /// Where it was read (0: made in this run), for errors about its schedule.
  unsigned line = 0;
};

/// `target` as a record names it: the attribute as printed.
std::string targetKey(TargetAttr target);

class TuningDatabase {
public:
  /// Reads a database; a missing file is an error. Blank lines are skipped;
  /// `model` may be missing, fields of no record are ignored. Errors name the
  /// file, the line and what is wrong (not JSON, a field missing or of the
  /// wrong type, one key and target given twice).
  static llvm::Expected<TuningDatabase> read(llvm::StringRef path);

  /// Adds `record`, replacing one of the same key and target.
  void insert(TuningRecord record);
  /// Adds every record of `other`; its records win over this one's.
  void merge(const TuningDatabase &other);

  /// The record of `key` on `target` made by this schedule version, or null.
  const TuningRecord *lookup(llvm::StringRef key, llvm::StringRef target) const;
  /// Whether a record of `key` exists only for another target or version.
  bool hasStale(llvm::StringRef key, llvm::StringRef target) const;

  size_t size() const { return records.size(); }
  /// All records, sorted by key, then target.
  const std::map<std::pair<std::string, std::string>, TuningRecord> &all() const { return records; }

  /// Writes every record, one a line, sorted; replaces `path` atomically (a
  /// write to a temporary file renamed over it), so an interrupted tune never
  /// leaves half a database.
  llvm::Error write(llvm::StringRef path) const;

private:
  std::map<std::pair<std::string, std::string>, TuningRecord> records;
};

} // namespace acnn

#endif
