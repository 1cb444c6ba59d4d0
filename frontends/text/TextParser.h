#ifndef ACNN_FRONTENDS_TEXT_TEXTPARSER_H
#define ACNN_FRONTENDS_TEXT_TEXTPARSER_H

// The .acnn model language: a model written by hand, one statement a line.
//
//   # An SE gate on a 16-channel feature map
//   model se_gate
//   weights seed 7                  # or: weights "se_gate.safetensors"
//   input x : [1, 16, 8, 8]
//   param fc1.weight : [4, 16, 1, 1]
//   param fc2.weight : [16, 4, 1, 1]
//   s = global_avg_pool(x)
//   s = conv2d(s, fc1.weight)
//   s = relu(s)
//   s = conv2d(s, fc2.weight)
//   s = sigmoid(s)
//   y = mul(x, s)
//   output y
//
// Every acnn op is called by its mnemonic with positional operands (names, or
// numbers as 0-d constants), then named attributes with their ODS names and
// defaults; `reshape` takes `shape=[...]`, `gather` takes `indices=` an integer
// or a list. Names may be rebound; `a, b = split(...)` binds several results.
// `const NAME : SHAPE = NUMBER` is a filled tensor that is not a weight.
// Errors are one message, `FILE:LINE:COL: reason`; the grammar is in README.md.

#include "frontends/text/WeightSource.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace acnn {

/// Parses the .acnn file at `path`. `weightsOverride`, if given, replaces the
/// file's `weights` statement; a weights path is relative to the file.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
parseAcnnFile(mlir::MLIRContext &ctx, llvm::StringRef path,
              std::unique_ptr<WeightSource> weightsOverride = nullptr);

/// Parses .acnn text; `bufferName` names it in errors and locations, and a
/// weights path is relative to its directory.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
parseAcnnString(mlir::MLIRContext &ctx, llvm::StringRef source, llvm::StringRef bufferName,
                std::unique_ptr<WeightSource> weightsOverride = nullptr);

} // namespace acnn

#endif
