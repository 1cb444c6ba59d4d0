#include "frontends/onnx/OnnxTensors.h"
#include "dialects/acnn/ShapeUtils.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"

using TP = onnx::TensorProto;

namespace acnn {

namespace {

// Appends each little-endian T in `raw`, converted by `conv`, to `out`.
template <typename T, typename Out, typename Conv>
void readRaw(const std::string &raw, std::vector<Out> &out, Conv conv) {
  out.reserve(out.size() + raw.size() / sizeof(T));
  for (size_t i = 0; i + sizeof(T) <= raw.size(); i += sizeof(T))
    out.push_back(conv(llvm::support::endian::read<T, llvm::endianness::little>(raw.data() + i)));
}

float halfToFloat(uint16_t bits) {
  llvm::APFloat h(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
  bool lost;
  h.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven, &lost);
  return h.convertToFloat();
}

// bfloat16 is the top half of an f32.
float bfloatToFloat(uint16_t bits) { return llvm::bit_cast<float>(uint32_t(bits) << 16); }

size_t elementBytes(int32_t dataType) {
  switch (dataType) {
  case TP::BOOL:
  case TP::INT8:
  case TP::UINT8:
    return 1;
  case TP::INT16:
  case TP::UINT16:
  case TP::FLOAT16:
  case TP::BFLOAT16:
    return 2;
  case TP::FLOAT:
  case TP::INT32:
  case TP::UINT32:
    return 4;
  default:
    return 8;
  }
}

} // namespace

llvm::Error loadExternalData(onnx::ModelProto &model, llvm::StringRef modelPath) {
  llvm::SmallString<128> directory(modelPath);
  llvm::sys::path::remove_filename(directory);
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> files;
  auto load = [&](onnx::TensorProto &t) -> llvm::Error {
    if (t.data_location() != TP::EXTERNAL)
      return llvm::Error::success();
    auto fail = [&](const llvm::Twine &why) {
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "tensor '" + t.name() + "': external data " + why);
    };
    std::string location;
    uint64_t offset = 0;
    std::optional<uint64_t> length;
    for (const onnx::StringStringEntryProto &entry : t.external_data()) {
      uint64_t number = 0;
      bool isNumber = !llvm::StringRef(entry.value()).getAsInteger(10, number);
      if (entry.key() == "location")
        location = entry.value();
      else if ((entry.key() == "offset" || entry.key() == "length") && !isNumber)
        return fail(entry.key() + " '" + entry.value() + "' is not a number");
      else if (entry.key() == "offset")
        offset = number;
      else if (entry.key() == "length")
        length = number;
    }
    if (location.empty())
      return fail("has no location");
    if (llvm::sys::path::is_absolute(location))
      return fail("location '" + location + "' is not relative to the model's directory");
    llvm::SmallString<128> path(directory);
    llvm::sys::path::append(path, location);
    std::unique_ptr<llvm::MemoryBuffer> &file = files[path];
    if (!file) {
      llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> read =
          llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
      if (!read)
        return fail("file '" + path + "' cannot be read (" + read.getError().message() + ")");
      file = std::move(*read);
    }
    uint64_t size = file->getBufferSize();
    if (offset > size || (length && *length > size - offset))
      return fail("[" + llvm::Twine(offset) + ", +" + llvm::Twine(length.value_or(0)) +
                  ") lies past the end of '" + path + "' (" + llvm::Twine(size) + " bytes)");
    t.set_raw_data(file->getBuffer().substr(offset, length.value_or(size - offset)).str());
    t.clear_external_data();
    t.set_data_location(TP::DEFAULT);
    return llvm::Error::success();
  };
  onnx::GraphProto &graph = *model.mutable_graph();
  for (onnx::TensorProto &t : *graph.mutable_initializer())
    if (llvm::Error e = load(t))
      return e;
  for (onnx::NodeProto &node : *graph.mutable_node())
    for (onnx::AttributeProto &attr : *node.mutable_attribute())
      if (attr.has_t())
        if (llvm::Error e = load(*attr.mutable_t()))
          return e;
  return llvm::Error::success();
}

std::string dataTypeName(int32_t dataType) {
  if (!TP::DataType_IsValid(dataType))
    return "type " + std::to_string(dataType);
  return TP::DataType_Name(static_cast<TP::DataType>(dataType));
}

bool isFloatDataType(int32_t dataType) {
  return dataType == TP::FLOAT || dataType == TP::DOUBLE || dataType == TP::FLOAT16 ||
         dataType == TP::BFLOAT16;
}

llvm::Expected<KnownTensor> decodeTensor(const onnx::TensorProto &t) {
  auto fail = [&](const llvm::Twine &why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tensor '" + t.name() + "': " + why);
  };
  llvm::SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  for (int64_t d : shape)
    if (d < 0)
      return fail("negative dimension in " + formatShape(shape));
  // Before the payload is read, so a count that wraps cannot match it.
  if (std::optional<std::string> why = oversizeReason(shape))
    return fail(*why);
  if (t.data_location() == TP::EXTERNAL)
    return fail("data in an external file was not loaded (loadExternalData)");

  int32_t type = t.data_type();
  const std::string &raw = t.raw_data();
  bool useRaw = t.has_raw_data();
  if (useRaw && raw.size() % elementBytes(type) != 0)
    return fail("raw_data of " + llvm::Twine(raw.size()) + " bytes is not a whole number of " +
                dataTypeName(type) + " values");

  KnownTensor r;
  r.shape = shape;
  r.isFloat = isFloatDataType(type);
  auto same = [](auto v) { return v; };
  switch (type) {
  case TP::FLOAT:
    if (useRaw)
      readRaw<float>(raw, r.floats, same);
    else
      r.floats.assign(t.float_data().begin(), t.float_data().end());
    break;
  case TP::DOUBLE:
    if (useRaw)
      readRaw<double>(raw, r.floats, same);
    else
      r.floats.assign(t.double_data().begin(), t.double_data().end());
    break;
  case TP::FLOAT16:
  case TP::BFLOAT16: {
    // Typed form: one 16-bit pattern per int32_data entry.
    auto conv = type == TP::FLOAT16 ? halfToFloat : bfloatToFloat;
    if (useRaw)
      readRaw<uint16_t>(raw, r.floats, conv);
    else
      for (int32_t bits : t.int32_data())
        r.floats.push_back(conv(uint16_t(bits)));
    break;
  }
  case TP::INT64:
    if (useRaw)
      readRaw<int64_t>(raw, r.ints, same);
    else
      r.ints.assign(t.int64_data().begin(), t.int64_data().end());
    break;
  case TP::UINT32:
  case TP::UINT64:
    if (!useRaw)
      r.ints.assign(t.uint64_data().begin(), t.uint64_data().end());
    else if (type == TP::UINT32)
      readRaw<uint32_t>(raw, r.ints, same);
    else
      readRaw<uint64_t>(raw, r.ints, same);
    break;
  case TP::INT32:
  case TP::INT16:
  case TP::INT8:
  case TP::UINT16:
  case TP::UINT8:
  case TP::BOOL:
    if (!useRaw)
      r.ints.assign(t.int32_data().begin(), t.int32_data().end());
    else if (type == TP::INT32)
      readRaw<int32_t>(raw, r.ints, same);
    else if (type == TP::INT16)
      readRaw<int16_t>(raw, r.ints, same);
    else if (type == TP::UINT16)
      readRaw<uint16_t>(raw, r.ints, same);
    else if (type == TP::INT8)
      readRaw<int8_t>(raw, r.ints, same);
    else
      readRaw<uint8_t>(raw, r.ints, same);
    break;
  default:
    return fail("data type " + dataTypeName(type) + " is not supported");
  }
  if (int64_t(r.size()) != product(shape))
    return fail("has " + llvm::Twine(r.size()) + " values but shape " + formatShape(shape) +
                " needs " + llvm::Twine(product(shape)));
  return r;
}

} // namespace acnn
