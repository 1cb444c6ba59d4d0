#ifndef ACNN_DIALECT_ACNNDIALECT_H
#define ACNN_DIALECT_ACNNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/acnn/AcnnDialect.h.inc"

namespace acnn {

/// A model is a module with one `func.func @main`, whose arguments and results
/// carry their user-visible names in the `acnn.name` attribute.
inline constexpr llvm::StringLiteral kEntryName = "main";
inline constexpr llvm::StringLiteral kNameAttr = "acnn.name";

} // namespace acnn

#endif
