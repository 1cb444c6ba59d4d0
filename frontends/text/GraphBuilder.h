#ifndef ACNN_FRONTENDS_TEXT_GRAPHBUILDER_H
#define ACNN_FRONTENDS_TEXT_GRAPHBUILDER_H

// The C++ API for describing a model by hand; the ONNX importer and the .acnn
// parser build their graphs through it too.
//
//   mlir::MLIRContext ctx;
//   acnn::GraphBuilder g(ctx, "tiny");
//   mlir::Value x = g.addInput("x", {1, 3, 32, 32});
//   mlir::Value w = g.param("conv.weight", {8, 3, 3, 3});   // from g's WeightSource
//   mlir::Value y = acnn::Conv2dOp::create(g.builder(), g.loc("conv"), x, w, nullptr,
//                                          {1, 1}, {1, 1, 1, 1}, {1, 1}, 1);
//   g.addOutput("y", acnn::ReluOp::create(g.builder(), g.loc("relu"), y));
//   mlir::OwningOpRef<mlir::ModuleOp> model = g.finish();
//
// Ops are created with their ODS builders (`Op::create`), which infer result
// types; a model is a module holding one `func.func @main` whose arguments
// and results carry their user-visible names in `acnn.name`.

#include "dialects/acnn/AcnnOps.h"
#include "frontends/text/WeightSource.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

namespace acnn {

class GraphBuilder {
public:
  /// `weights` answers `param`; without one, `param` fails.
  GraphBuilder(mlir::MLIRContext &ctx, llvm::StringRef modelName,
               std::unique_ptr<WeightSource> weights = nullptr);

  /// The builder to create ops with; its insertion point is the model body.
  mlir::OpBuilder &builder() { return b; }
  mlir::MLIRContext *context() { return b.getContext(); }

  /// A location naming a node, so diagnostics name it.
  mlir::Location loc(llvm::StringRef nodeName);

  mlir::Value addInput(llvm::StringRef name, llvm::ArrayRef<int64_t> shape);
  void addOutput(llvm::StringRef name, mlir::Value value);

  /// A constant tensor of `shape` from row-major `data`.
  mlir::Value constant(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<float> data,
                       mlir::Location loc);
  /// A 0-d or broadcastable scalar constant.
  mlir::Value scalar(float value, mlir::Location loc);

  /// Creates OpT from the arguments its ODS `create` takes (no result types).
  /// For ops that infer their result type, inference runs first, so a shape
  /// mismatch is an error carrying the op's diagnostic instead of the abort
  /// the generated `create` gives. A result larger than kMaxTensorElements is
  /// an error too.
  template <typename OpT, typename... Args>
  llvm::Expected<OpT> tryCreate(mlir::Location loc, Args &&...args) {
    if constexpr (OpT::template hasTrait<mlir::InferTypeOpInterface::Trait>()) {
      mlir::OperationState state(loc, OpT::getOperationName());
      OpT::build(b, state, mlir::TypeRange(b.getNoneType()), std::forward<Args>(args)...);
      mlir::MLIRContext *ctx = b.getContext();
      if (llvm::Error e = inferResultTypes(state, [&](llvm::SmallVectorImpl<mlir::Type> &types) {
            return OpT::inferReturnTypes(ctx, state.location, state.operands,
                                         state.attributes.getDictionary(ctx),
                                         state.getRawProperties(), state.regions, types);
          }))
        return std::move(e);
      if (llvm::Error e = checkResultSizes(state.types))
        return std::move(e);
      return llvm::cast<OpT>(b.create(state));
    } else {
      OpT op = OpT::create(b, loc, std::forward<Args>(args)...);
      if (llvm::Error e = checkResultSizes(op->getResultTypes())) {
        op->erase();
        return std::move(e);
      }
      return op;
    }
  }

  /// The weight named `name` from the WeightSource, checked against `shape`.
  llvm::Expected<mlir::Value> param(llvm::StringRef name, llvm::ArrayRef<int64_t> shape);

  /// Closes the entry function (its type is set from inputs and outputs) and
  /// verifies the module. The builder must not be used afterwards.
  llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>> finish();

  /// An error if a type of `types` is a tensor larger than kMaxTensorElements.
  static llvm::Error checkResultSizes(mlir::TypeRange types);

private:
  /// Runs `infer` capturing its diagnostics; on success sets `state`'s types.
  llvm::Error
  inferResultTypes(mlir::OperationState &state,
                   llvm::function_ref<mlir::LogicalResult(llvm::SmallVectorImpl<mlir::Type> &)>
                       infer);

  mlir::OpBuilder b;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp entry;
  std::unique_ptr<WeightSource> weights;
  llvm::SmallVector<mlir::Value> outputs;
  llvm::SmallVector<std::string> outputNames;
};

} // namespace acnn

#endif
