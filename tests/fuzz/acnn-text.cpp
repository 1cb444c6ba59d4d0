// Fuzzes the .acnn language's lexer and parser (and the GraphBuilder's checks
// behind it): any text must parse into a verified module or be rejected.
#include "FuzzUtils.h"

#include "dialects/acnn/AcnnDialect.h"
#include "frontends/text/TextParser.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<acnn::AcnnDialect, mlir::func::FuncDialect>();
  acnn::fuzz::quietContext(ctx);
  // A `weights "file"` statement would read files relative to the buffer's
  // directory: a directory of its own keeps that to nothing.
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto module = acnn::parseAcnnString(ctx, text, "/nonexistent/fuzz.acnn");
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  if (mlir::failed(mlir::verify(**module)))
    __builtin_trap(); // the parser must only return verified modules
  return 0;
}
