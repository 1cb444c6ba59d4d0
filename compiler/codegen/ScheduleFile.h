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
// model's kernels (the others get the generator's schedule).

#include "dialects/acnn/AcnnAttrs.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace acnn {

struct ScheduleEntry {
  std::string name, key;
  ScheduleAttr schedule;
  /// Where it was read (0: made in this compilation).
  unsigned line = 0;
};

/// The entries of a schedules file. Errors name the file, the line and what
/// is wrong (an invalid schedule, a malformed line, an entry given twice).
llvm::Expected<std::vector<ScheduleEntry>> readScheduleFile(llvm::StringRef path,
                                                            mlir::MLIRContext *ctx);

/// The kernels of `module` after acnn-select-schedules, in order.
std::vector<ScheduleEntry> scheduleEntries(mlir::ModuleOp module);

/// `entries` in the file's syntax, after a comment line with `header`.
void writeScheduleFile(llvm::raw_ostream &os, llvm::ArrayRef<ScheduleEntry> entries,
                       llvm::StringRef header);

/// Attributes of a kernel's root op from acnn-select-schedules to
/// acnn-apply-schedules: its schedule, entry name and key.
inline constexpr llvm::StringLiteral kScheduleAttr = "acnn.schedule";
inline constexpr llvm::StringLiteral kKernelEntryAttr = "acnn.kernel_entry";
inline constexpr llvm::StringLiteral kKernelKeyAttr = "acnn.kernel_key";

} // namespace acnn

#endif
