// Fuzzes the .safetensors reader: opening validates the header; then every
// tensor the header names is read at its declared shape and at a wrong one.
#include "FuzzUtils.h"

#include "frontends/text/WeightSource.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static acnn::fuzz::InputFile file("safetensors");
  auto source = acnn::openSafetensors(file.write(data, size));
  if (!source) {
    llvm::consumeError(source.takeError());
    return 0;
  }
  // The reader accepted the header, so its length and JSON are sound enough
  // to list the names and shapes to ask for.
  uint64_t length = llvm::support::endian::read64le(data);
  auto header =
      llvm::json::parse(llvm::StringRef(reinterpret_cast<const char *>(data) + 8, length));
  if (!header)
    __builtin_trap();
  for (const auto &[name, value] : *header->getAsObject()) {
    llvm::SmallVector<int64_t> shape;
    if (const llvm::json::Object *tensor = value.getAsObject())
      if (const llvm::json::Array *dims = tensor->getArray("shape"))
        for (const llvm::json::Value &d : *dims)
          shape.push_back(d.getAsInteger().value_or(1));
    llvm::SmallVector<int64_t> wrong = {3};
    for (const llvm::SmallVector<int64_t> *asked : {&shape, &wrong}) {
      auto values = (*source)->get(name, *asked);
      if (!values)
        llvm::consumeError(values.takeError());
    }
  }
  return 0;
}
