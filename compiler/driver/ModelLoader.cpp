#include "compiler/driver/ModelLoader.h"
#include "frontends/text/GraphBuilder.h"
#include "frontends/text/TextParser.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace acnn {

static llvm::Expected<OwningOpRef<ModuleOp>> loadMlir(MLIRContext &ctx, llvm::StringRef path) {
  ctx.loadDialect<AcnnDialect, func::FuncDialect>();
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    os << d.getLocation() << ": " << d << "\n";
    return success();
  });
  llvm::SourceMgr sources;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(path, sources, &ctx);
  if (!module)
    return llvm::createStringError("%s", diagnostics.empty()
                                             ? (path + ": cannot be parsed").str().c_str()
                                             : diagnostics.c_str());
  if (!module->lookupSymbol<func::FuncOp>(kEntryName))
    return llvm::createStringError("%s: has no func.func @%s", path.str().c_str(),
                                   kEntryName.data());
  return std::move(module);
}

static OnnxImportOptions onnxOptions(const LoadOptions &options) {
  OnnxImportOptions onnx;
  for (const auto &entry : options.inputShapes)
    onnx.inputShapes[entry.getKey()] = entry.getValue();
  return onnx;
}

llvm::Expected<OwningOpRef<ModuleOp>> loadModel(MLIRContext &ctx, llvm::StringRef path,
                                                const LoadOptions &options) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".onnx")
    return importOnnx(ctx, path, onnxOptions(options));
  if (!options.inputShapes.empty())
    return llvm::createStringError("%s: --input-shape applies to ONNX models only",
                                   path.str().c_str());
  if (ext == ".acnn") {
    std::unique_ptr<WeightSource> weights;
    if (!options.weightsPath.empty()) {
      auto opened = openSafetensors(options.weightsPath);
      if (!opened)
        return opened.takeError();
      weights = std::move(*opened);
    }
    return parseAcnnFile(ctx, path, std::move(weights));
  }
  if (ext == ".mlir")
    return loadMlir(ctx, path);
  return llvm::createStringError("%s: unknown model format '%s' (expected .onnx, .acnn or .mlir)",
                                 path.str().c_str(), ext.str().c_str());
}

llvm::Expected<CoverageReport> checkCoverage(MLIRContext &ctx, llvm::StringRef path,
                                             const LoadOptions &options) {
  if (llvm::sys::path::extension(path) != ".onnx")
    return llvm::createStringError("%s: --coverage applies to ONNX models", path.str().c_str());
  return checkOnnxCoverage(ctx, path, onnxOptions(options));
}

llvm::Expected<llvm::SmallVector<int64_t>> parseShape(llvm::StringRef text) {
  llvm::SmallVector<int64_t> dims;
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, 'x');
  for (llvm::StringRef part : parts) {
    int64_t d;
    if (part.getAsInteger(10, d) || d <= 0)
      return llvm::createStringError("invalid shape '%s' (expected e.g. 1x3x224x224)",
                                     text.str().c_str());
    dims.push_back(d);
  }
  return dims;
}

} // namespace acnn
