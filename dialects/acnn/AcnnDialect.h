#ifndef ACNN_DIALECT_ACNNDIALECT_H
#define ACNN_DIALECT_ACNNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/acnn/AcnnDialect.h.inc"

#endif
