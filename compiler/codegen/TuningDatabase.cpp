#include "compiler/codegen/TuningDatabase.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

namespace acnn {

namespace {

/// Reads field `name` of a record into `out`; the error, if any: the field
/// is missing (and not `optional`) or of another type.
template <typename T>
std::optional<std::string> readField(const llvm::json::Object &record, llvm::StringRef name, T &out,
                                     bool optional = false) {
  const llvm::json::Value *value = record.get(name);
  if (!value) {
    if (optional)
      return std::nullopt;
    return "field '" + name.str() + "' is missing";
  }
  std::optional<T> read;
  llvm::StringRef type;
  if constexpr (std::is_same_v<T, std::string>) {
    if (std::optional<llvm::StringRef> text = value->getAsString())
      read = text->str();
    type = "a string";
  } else if constexpr (std::is_same_v<T, int64_t>) {
    read = value->getAsInteger();
    type = "an integer";
  } else {
    read = value->getAsNumber();
    type = "a number";
  }
  if (!read)
    return "field '" + name.str() + "' is not " + type.str();
  out = std::move(*read);
  return std::nullopt;
}

/// The shortest decimal text that reads back as `x`: llvm::json writes 17
/// digits (0.81 as 0.81000000000000005), which buries a time in noise.
std::string shortestNumber(double x) {
  char text[32];
  for (int digits = 1;; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, x);
    if (digits == 17 || std::strtod(text, nullptr) == x)
      return text;
  }
}

} // namespace

std::string targetKey(TargetAttr target) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << mlir::Attribute(target);
  return text;
}

llvm::Expected<TuningDatabase> TuningDatabase::read(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file = llvm::MemoryBuffer::getFile(path);
  if (!file)
    return llvm::createStringError("cannot read tuning database '%s': %s", path.str().c_str(),
                                   file.getError().message().c_str());
  TuningDatabase db;
  llvm::SmallVector<llvm::StringRef> lines;
  (*file)->getBuffer().split(lines, '\n');
  for (auto [index, text] : llvm::enumerate(lines)) {
    unsigned line = index + 1;
    auto fail = [&](const llvm::Twine &why) {
      return llvm::createStringError("%s:%u: %s", path.str().c_str(), line, why.str().c_str());
    };
    if (text.trim().empty())
      continue;
    llvm::Expected<llvm::json::Value> value = llvm::json::parse(text);
    if (!value)
      return fail("not JSON: " + llvm::toString(value.takeError()));
    const llvm::json::Object *object = value->getAsObject();
    if (!object)
      return fail("not a JSON object");
    TuningRecord record;
    record.line = line;
    // In the order they are written; the first that is wrong is the error.
    for (std::optional<std::string> wrong :
         {readField(*object, "key", record.key), readField(*object, "target", record.target),
          readField(*object, "version", record.version),
          readField(*object, "schedule", record.schedule),
          readField(*object, "default_ms", record.defaultMs),
          readField(*object, "tuned_ms", record.tunedMs),
          readField(*object, "model", record.model, /*optional=*/true)})
      if (wrong)
        return fail(*wrong);
    auto [it, added] = db.records.try_emplace({record.key, record.target}, record);
    if (!added)
      return fail("key \"" + record.key + "\" on target \"" + record.target +
                  "\" is given twice (line " + llvm::Twine(it->second.line) + " too)");
  }
  return db;
}

void TuningDatabase::insert(TuningRecord record) {
  records.insert_or_assign({record.key, record.target}, std::move(record));
}

void TuningDatabase::merge(const TuningDatabase &other) {
  for (const auto &[id, record] : other.records)
    records.insert_or_assign(id, record);
}

const TuningRecord *TuningDatabase::lookup(llvm::StringRef key, llvm::StringRef target) const {
  auto it = records.find({key.str(), target.str()});
  if (it == records.end() || it->second.version != kScheduleVersion)
    return nullptr;
  return &it->second;
}

bool TuningDatabase::hasStale(llvm::StringRef key, llvm::StringRef target) const {
  auto first = records.lower_bound({key.str(), ""});
  bool any = first != records.end() && first->first.first == key;
  return any && !lookup(key, target);
}

llvm::Error TuningDatabase::write(llvm::StringRef path) const {
  for (const auto &[id, record] : records)
    if (!std::isfinite(record.defaultMs) || !std::isfinite(record.tunedMs))
      return llvm::createStringError("tuning database '%s': the times of \"%s\" are not finite",
                                     path.str().c_str(), record.key.c_str());
  std::string temporary = (path + ".tmp").str();
  auto fail = [&](llvm::StringRef file, std::error_code ec) {
    llvm::sys::fs::remove(temporary);
    return llvm::createStringError("cannot write tuning database '%s': %s", file.str().c_str(),
                                   ec.message().c_str());
  };
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(temporary, ec);
    if (ec)
      return fail(temporary, ec);
    for (const auto &[id, record] : records) {
      llvm::json::OStream json(os);
      auto number = [&](llvm::StringRef name, double x) {
        json.attributeBegin(name);
        json.rawValue(shortestNumber(x));
        json.attributeEnd();
      };
      json.object([&] {
        json.attribute("key", record.key);
        json.attribute("target", record.target);
        json.attribute("version", record.version);
        json.attribute("schedule", record.schedule);
        number("default_ms", record.defaultMs);
        number("tuned_ms", record.tunedMs);
        json.attribute("model", record.model);
      });
      os << "\n";
    }
    os.close();
    if (os.has_error()) {
      ec = os.error();
      os.clear_error();
      return fail(temporary, ec);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, path))
    return fail(path, ec);
  return llvm::Error::success();
}

} // namespace acnn
