#ifndef ACNN_COMPILER_PASSES_PASSES_H
#define ACNN_COMPILER_PASSES_PASSES_H

#include "dialects/acnn/AcnnDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace acnn {

#define GEN_PASS_DECL
#include "compiler/passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/passes/Passes.h.inc"

} // namespace acnn

#endif
