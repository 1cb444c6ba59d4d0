#ifndef ACNN_COMPILER_INTERPRETER_TENSOR_H
#define ACNN_COMPILER_INTERPRETER_TENSOR_H

// The interpreter's value: a dense row-major f32 tensor with a static shape.

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace acnn {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;

  /// A tensor of `shape` with every element `value`.
  static Tensor filled(llvm::ArrayRef<int64_t> shape, float value = 0.0f);

  /// Element count the shape implies (data.size() for a well-formed tensor).
  int64_t numel() const;
};

/// The tensor an f32 constant holds (dense, splat or resource-backed).
llvm::Expected<Tensor> tensorFromAttr(mlir::ElementsAttr attr);

/// A dense f32 attribute holding `t`.
mlir::DenseElementsAttr tensorToAttr(const Tensor &t, mlir::MLIRContext *ctx);

} // namespace acnn

#endif
