#ifndef ACNN_COMPILER_CODEGEN_KERNELKEY_H
#define ACNN_COMPILER_CODEGEN_KERNELKEY_H

// What identifies a kernel outside one compilation: its entry name (which
// kernel of the model it is, as schedule files and the profile name it) and
// its key (what it computes, independent of how: the schedule is not in it).
// Two kernels with one key can share a schedule.

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <string>
#include <vector>

namespace acnn {

/// What a kernel computes, as one line: the op whose loops the schedule
/// tiles, its static loop extents, which loops reduce (p/r), its element
/// types, a generic's indexing maps and body, and for a group made by
/// acnn-group-epilogues the consumer's body and whether the accumulator
/// starts from another op. E.g.
///   "linalg.conv_2d_nhwc_hwcf 1x56x56x64x3x3x64 pppprrr f32 epilogue(arith.addf,arith.maximumf)"
std::string kernelKey(mlir::linalg::LinalgOp loops, mlir::linalg::LinalgOp epilogue,
                      bool withStart);

/// Entry names of kernels, in order: the acnn kernel each belongs to (its
/// location, acnn-mark-kernels), "#2", "#3"... after the second and later
/// of one acnn kernel's linalg kernels; "kernel" where the location has none.
std::vector<std::string> kernelEntryNames(llvm::ArrayRef<mlir::Operation *> kernels);

} // namespace acnn

#endif
