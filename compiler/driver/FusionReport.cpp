#include "compiler/driver/FusionReport.h"
#include "compiler/codegen/KernelLocation.h"
#include "compiler/codegen/Lowering.h"
#include "compiler/codegen/Passes.h"
#include "compiler/lowering/Passes.h"
#include "compiler/passes/Provenance.h"
#include "dialects/acnn/AcnnDialect.h"
#include "dialects/acnn/AcnnOps.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Format.h"

#include <array>
#include <functional>

using namespace mlir;

namespace acnn {

namespace {

/// The columns of a row: node, op, ops absorbed, shapes, FLOPs, bytes, and
/// the absorbed ops if more than one.
using Row = std::array<std::string, 7>;
constexpr bool kNumeric[] = {false, false, true, false, true, true, false};

} // namespace

/// The kernels of the graph: what acnn-mark-kernels names, in @main's order.
static SmallVector<Operation *> kernelOps(ModuleOp model) {
  SmallVector<Operation *> ops;
  if (auto entry = model.lookupSymbol<func::FuncOp>(kEntryName))
    for (Operation &op : entry.getBody().front())
      if (isa<AcnnDialect>(op.getDialect()) && !op.hasTrait<OpTrait::ConstantLike>())
        ops.push_back(&op);
  return ops;
}

static int64_t bytesOf(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor ? tensor.getNumElements() * tensor.getElementTypeBitWidth() / 8 : 0;
}

static std::string shapeText(TypeRange types) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      types, os, [&](Type t) { llvm::interleave(cast<RankedTensorType>(t).getShape(), os, "x"); },
      ", ");
  return text;
}

/// Each kernel's FLOPs, counted where codegen counts them: on a copy of the
/// graph lowered to linalg (acnn-count-kernel-flops).
static llvm::Expected<SmallVector<int64_t>> kernelFlops(ModuleOp model) {
  OwningOpRef<ModuleOp> copy = model.clone();
  MLIRContext *ctx = model.getContext();
  DialectRegistry registry;
  registerCodegenDialects(registry);
  ctx->appendDialectRegistry(registry);
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &d) {
    os << d.getLocation() << ": " << d << "\n";
    return success();
  });
  PassManager mark(ctx), lower(ctx);
  mark.addPass(createMarkKernels());
  lower.addPass(createConvertAcnnToLinalg());
  if (failed(mark.run(*copy)))
    return llvm::createStringError("naming the kernels failed:\n%s", diagnostics.c_str());
  // Lowering replaces the kernels' ops: take their names first.
  SmallVector<StringAttr> names = llvm::map_to_vector(
      kernelOps(*copy), [](Operation *op) { return kernelNameOf(op->getLoc()); });
  if (failed(lower.run(*copy)))
    return llvm::createStringError("lowering to linalg to count FLOPs failed:\n%s",
                                   diagnostics.c_str());
  llvm::DenseMap<StringAttr, int64_t> flops = countKernelFlops(*copy);
  return llvm::map_to_vector(names, [&](StringAttr name) { return flops.lookup(name); });
}

static Row describe(Operation *op, int64_t flops, int64_t bytes) {
  SmallVector<AbsorbedOp> absorbed = absorbedOps(op);
  std::string list; // only if there is more than the op itself
  if (absorbed.size() > 1)
    list = llvm::join(llvm::map_range(absorbed, std::mem_fn(&AbsorbedOp::str)), ", ");
  SmallVector<Type> inputs;
  for (Value v : op->getOperands())
    if (!isa_and_nonnull<ConstantOp>(v.getDefiningOp()))
      inputs.push_back(v.getType());
  return {nodeName(op->getLoc()).str(),
          op->getName().stripDialect().str(),
          std::to_string(absorbed.size()),
          shapeText(inputs) + " -> " + shapeText(op->getResultTypes()),
          std::to_string(flops),
          std::to_string(bytes),
          list};
}

llvm::Error writeFusionReport(ModuleOp model, llvm::raw_ostream &os) {
  llvm::Expected<SmallVector<int64_t>> flops = kernelFlops(model);
  if (!flops)
    return flops.takeError();
  SmallVector<Row> rows = {{"kernel", "op", "ops", "in -> out", "FLOPs", "bytes", "absorbed"}};
  int64_t totalFlops = 0, totalBytes = 0, intermediates = 0;
  for (auto [op, f] : llvm::zip_equal(kernelOps(model), *flops)) {
    int64_t bytes = 0;
    for (Type t : llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes()))
      bytes += bytesOf(t);
    rows.push_back(describe(op, f, bytes));
    totalFlops += f;
    totalBytes += bytes;
    // What no graph output holds lives only between kernels.
    for (Value result : op->getResults())
      if (llvm::none_of(result.getUsers(), llvm::IsaPred<func::ReturnOp>))
        intermediates += bytesOf(result.getType());
  }
  std::array<size_t, 7> widths{};
  for (const Row &row : rows)
    for (auto [width, cell] : llvm::zip_equal(widths, row))
      width = std::max(width, cell.size());
  for (const Row &row : rows) {
    std::string line;
    llvm::raw_string_ostream ls(line);
    for (auto [cell, width, numeric] : llvm::zip_equal(row, widths, kNumeric)) {
      if (numeric)
        ls << llvm::right_justify(cell, width) << "  ";
      else
        ls << llvm::left_justify(cell, width) << "  ";
    }
    os << StringRef(line).rtrim() << "\n";
  }
  os << "total: " << rows.size() - 1 << " kernels, " << totalFlops << " FLOPs, " << totalBytes
     << " bytes moved, " << intermediates << " bytes of intermediates\n";
  return llvm::Error::success();
}

} // namespace acnn
