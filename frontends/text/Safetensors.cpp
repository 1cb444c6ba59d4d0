// Reads .safetensors files: an 8-byte little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}},
// then the tensors' bytes, little-endian, offsets relative to the data start.
// The whole header is validated on open; a dtype acnn cannot convert is only
// an error when that tensor is asked for (checkpoints carry integer buffers
// such as batch norm's num_batches_tracked that a model never reads).
#include "dialects/acnn/ShapeUtils.h"
#include "frontends/text/WeightSource.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"

namespace acnn {

namespace {

using llvm::support::endian::read16le;
using llvm::support::endian::read32le;
using llvm::support::endian::read64le;

// The format's own cap on the header, which also bounds what a corrupt length can make us parse.
constexpr uint64_t kMaxHeaderBytes = 100 << 20;

struct DType {
  llvm::StringLiteral name;
  unsigned bytes;
  float (*toFloat)(const char *); // null: acnn does not read this dtype
};

float fromHalf(const llvm::fltSemantics &semantics, const char *p) {
  return llvm::APFloat(semantics, llvm::APInt(16, read16le(p))).convertToFloat();
}

constexpr DType kDTypes[] = {
    {"F32", 4, [](const char *p) { return llvm::bit_cast<float>(read32le(p)); }},
    {"F16", 2, [](const char *p) { return fromHalf(llvm::APFloat::IEEEhalf(), p); }},
    {"BF16", 2, [](const char *p) { return fromHalf(llvm::APFloat::BFloat(), p); }},
    {"F64", 8, [](const char *p) { return float(llvm::bit_cast<double>(read64le(p))); }},
    {"BOOL", 1, nullptr},
    {"U8", 1, nullptr},
    {"I8", 1, nullptr},
    {"F8_E4M3", 1, nullptr},
    {"F8_E5M2", 1, nullptr},
    {"I16", 2, nullptr},
    {"U16", 2, nullptr},
    {"I32", 4, nullptr},
    {"U32", 4, nullptr},
    {"I64", 8, nullptr},
    {"U64", 8, nullptr},
};

const DType *findDType(llvm::StringRef name) {
  for (const DType &d : kDTypes)
    if (d.name == name)
      return &d;
  return nullptr;
}

struct TensorEntry {
  const DType *dtype;
  llvm::SmallVector<int64_t> shape;
  uint64_t begin; // byte offset into the data section
};

class SafetensorsFile : public WeightSource {
public:
  SafetensorsFile(std::string path, std::unique_ptr<llvm::MemoryBuffer> buffer,
                  llvm::StringRef data, llvm::StringMap<TensorEntry> tensors)
      : path(std::move(path)), buffer(std::move(buffer)), data(data), tensors(std::move(tensors)) {}

  llvm::Expected<std::vector<float>> get(llvm::StringRef name,
                                         llvm::ArrayRef<int64_t> shape) override {
    auto it = tensors.find(name);
    if (it == tensors.end())
      return error("no tensor named '" + name + "'");
    const TensorEntry &t = it->second;
    if (llvm::ArrayRef<int64_t>(t.shape) != shape)
      return error("tensor '" + name + "' has shape " + formatShape(t.shape) +
                   " but the model expects " + formatShape(shape));
    if (!t.dtype->toFloat)
      return error("tensor '" + name + "' has dtype " + t.dtype->name +
                   ", which acnn does not read (it reads F32, F16, BF16 and F64)");
    std::vector<float> values(product(shape));
    const char *p = data.data() + t.begin;
    for (float &v : values) {
      v = t.dtype->toFloat(p);
      p += t.dtype->bytes;
    }
    return values;
  }

private:
  std::string path;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  llvm::StringRef data;
  llvm::StringMap<TensorEntry> tensors;

  llvm::Error error(const llvm::Twine &reason) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), path + ": " + reason);
  }
};

// Parses one header entry; `dataBytes` bounds its offsets.
llvm::Expected<TensorEntry> parseEntry(const llvm::json::Value &value, uint64_t dataBytes) {
  auto fail = [](const llvm::Twine &reason) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), reason);
  };
  const llvm::json::Object *entry = value.getAsObject();
  if (!entry)
    return fail("is not an object");
  std::optional<llvm::StringRef> dtypeName = entry->getString("dtype");
  const llvm::json::Array *shape = entry->getArray("shape");
  const llvm::json::Array *offsets = entry->getArray("data_offsets");
  if (!dtypeName || !shape || !offsets)
    return fail("needs a string 'dtype', an array 'shape' and an array 'data_offsets'");
  TensorEntry t;
  t.dtype = findDType(*dtypeName);
  if (!t.dtype)
    return fail("has unknown dtype '" + *dtypeName + "'");

  uint64_t elements = 1;
  for (const llvm::json::Value &d : *shape) {
    std::optional<int64_t> extent = d.getAsInteger();
    if (!extent || *extent < 0)
      return fail("has a shape entry that is not a non-negative integer");
    // Saturates rather than wraps, so an absurd shape fails the size check below.
    elements = llvm::SaturatingMultiply(elements, uint64_t(*extent));
    t.shape.push_back(*extent);
  }

  std::optional<int64_t> begin, end;
  if (offsets->size() == 2) {
    begin = (*offsets)[0].getAsInteger();
    end = (*offsets)[1].getAsInteger();
  }
  if (!begin || !end || *begin < 0 || *end < *begin)
    return fail("needs data_offsets [begin, end] with 0 <= begin <= end");
  if (uint64_t(*end) > dataBytes)
    return fail("has data_offsets [" + llvm::Twine(*begin) + ", " + llvm::Twine(*end) +
                "] past the end of the data (" + llvm::Twine(dataBytes) + " bytes)");
  // Compared by division, which cannot overflow as elements * dtype size could.
  uint64_t bytes = uint64_t(*end - *begin);
  if (bytes % t.dtype->bytes != 0 || bytes / t.dtype->bytes != elements)
    return fail("has " + llvm::Twine(*end - *begin) + " bytes of data but its shape " +
                formatShape(t.shape) + " of " + t.dtype->name + " needs " + llvm::Twine(elements) +
                " x " + llvm::Twine(t.dtype->bytes));
  t.begin = *begin;
  return t;
}

} // namespace

llvm::Expected<std::unique_ptr<WeightSource>> openSafetensors(llvm::StringRef path) {
  auto fail = [&](const llvm::Twine &reason) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), path + ": " + reason);
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail("cannot open: " + buffer.getError().message());
  llvm::StringRef file = (*buffer)->getBuffer();
  if (file.size() < 8)
    return fail("truncated: " + llvm::Twine(file.size()) +
                " bytes is too short for the 8-byte header length");
  uint64_t headerBytes = read64le(file.data());
  if (headerBytes > kMaxHeaderBytes)
    return fail("header length " + llvm::Twine(headerBytes) + " exceeds the format's limit of " +
                llvm::Twine(kMaxHeaderBytes) + " bytes");
  if (headerBytes > file.size() - 8)
    return fail("truncated: the header needs " + llvm::Twine(headerBytes) + " bytes but only " +
                llvm::Twine(file.size() - 8) + " follow the length");

  llvm::Expected<llvm::json::Value> header = llvm::json::parse(file.substr(8, headerBytes));
  if (!header)
    return fail("header is not valid JSON: " + llvm::toString(header.takeError()));
  const llvm::json::Object *entries = header->getAsObject();
  if (!entries)
    return fail("header is not a JSON object");

  llvm::StringRef data = file.drop_front(8 + headerBytes);
  llvm::StringMap<TensorEntry> tensors;
  for (const auto &[name, value] : *entries) {
    if (name == "__metadata__")
      continue;
    llvm::Expected<TensorEntry> entry = parseEntry(value, data.size());
    if (!entry)
      return fail("tensor '" + name.str() + "' " + llvm::toString(entry.takeError()));
    tensors[name.str()] = std::move(*entry);
  }
  return std::make_unique<SafetensorsFile>(path.str(), std::move(*buffer), data,
                                           std::move(tensors));
}

} // namespace acnn
