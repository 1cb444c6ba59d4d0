#ifndef ACNN_COMPILER_CODEGEN_SCHEDULEFILE_H
#define ACNN_COMPILER_CODEGEN_SCHEDULEFILE_H

// A schedules file: the schedule of each kernel of a model as text, one
// line a kernel, which `acnnc inspect --schedules` writes and `acnnc compile
// --schedules` reads:
//
//   // comments and blank lines are skipped
//   "ENTRY" "KEY" = #acnn.schedule<...>
//
// ENTRY and KEY as KernelKey.h makes them; a file may list any subset of a
// model's kernels (the others get the generator's schedule). `inspect`
// writes a comment line before an entry that did not come from the
// generator (`// from the tuning database`).

#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace acnn {

/// Where acnn-select-schedules took a kernel's schedule from.
enum class ScheduleSource { Generated, File, Database };

/// "generated", "file" or "database": a kernel's kScheduleSourceAttr (absent
/// when generated).
llvm::StringRef scheduleSourceName(ScheduleSource source);

struct ScheduleEntry {
  std::string name, key;
  ScheduleAttr schedule;
  /// Where it was read (0: made in this compilation).
  unsigned line = 0;
  /// Where the compilation took it from (scheduleEntries); File for
  /// readScheduleFile's entries.
  ScheduleSource source = ScheduleSource::Generated;
};

/// The #acnn.schedule `text` spells; the error says why it is none.
llvm::Expected<ScheduleAttr> parseSchedule(llvm::StringRef text, mlir::MLIRContext *ctx);

/// The entries of a schedules file. Errors name the file, the line and what
/// is wrong (an invalid schedule, a malformed line, an entry given twice).
llvm::Expected<std::vector<ScheduleEntry>> readScheduleFile(llvm::StringRef path,
                                                            mlir::MLIRContext *ctx);

/// The kernels of `module` after acnn-select-schedules, in order.
std::vector<ScheduleEntry> scheduleEntries(mlir::ModuleOp module);

/// `entries` in the file's syntax, after a comment line with `header`; an
/// entry not generated follows a comment saying where it came from.
void writeScheduleFile(llvm::raw_ostream &os, llvm::ArrayRef<ScheduleEntry> entries,
                       llvm::StringRef header);

/// Attributes of a kernel's root op from acnn-select-schedules to
/// acnn-apply-schedules: its schedule, entry name and key, and where the
/// schedule came from unless the generator made it.
inline constexpr llvm::StringLiteral kScheduleAttr = "acnn.schedule";
inline constexpr llvm::StringLiteral kKernelEntryAttr = "acnn.kernel_entry";
inline constexpr llvm::StringLiteral kKernelKeyAttr = "acnn.kernel_key";
inline constexpr llvm::StringLiteral kScheduleSourceAttr = "acnn.schedule_source";

} // namespace acnn

#endif
