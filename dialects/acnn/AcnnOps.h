#ifndef ACNN_DIALECT_ACNNOPS_H
#define ACNN_DIALECT_ACNNOPS_H

#include "dialects/acnn/AcnnDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/acnn/AcnnOps.h.inc"

#endif
