#ifndef ACNN_DIALECT_ACNNATTRS_H
#define ACNN_DIALECT_ACNNATTRS_H

#include "dialects/acnn/AcnnDialect.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#define GET_ATTRDEF_CLASSES
#include "dialects/acnn/AcnnAttrs.h.inc"

namespace acnn {

/// The module attribute holding the model's TargetAttr.
inline constexpr llvm::StringLiteral kTargetAttr = "acnn.target";

/// The #acnn.target of `op`'s module, else (IR the driver did not make, as
/// in lit tests) a generic AVX2 machine with 2 threads.
/// Passes that call it list the acnn dialect as dependent, so that the
/// generic target can be made in a context without it.
TargetAttr targetOf(mlir::Operation *op);

} // namespace acnn

#endif
