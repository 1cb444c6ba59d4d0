#ifndef ACNN_TESTS_FUZZ_FUZZUTILS_H
#define ACNN_TESTS_FUZZ_FUZZUTILS_H

// What several fuzz targets share: readers that take a path get the input
// through a private temporary file, and MLIR diagnostics are swallowed (a
// fuzz input is expected to be rejected; only crashes and sanitizer reports
// count).

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <unistd.h>

namespace acnn::fuzz {

/// A file holding one input, reused across inputs of this process.
class InputFile {
public:
  explicit InputFile(llvm::StringRef suffix) {
    llvm::SmallString<128> path;
    if (llvm::sys::fs::createTemporaryFile("acnn-fuzz", suffix, path))
      abort();
    this->path = std::string(path);
  }
  ~InputFile() { llvm::sys::fs::remove(path); }
  /// Writes `data` to the file and returns its path.
  const std::string &write(const uint8_t *data, size_t size) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec)
      abort();
    os.write(reinterpret_cast<const char *>(data), size);
    return path;
  }

private:
  std::string path;
};

/// A context whose diagnostics go nowhere.
inline mlir::MLIRContext &quietContext(mlir::MLIRContext &ctx) {
  ctx.getDiagEngine().registerHandler([](mlir::Diagnostic &) { return mlir::success(); });
  return ctx;
}

} // namespace acnn::fuzz

#endif
