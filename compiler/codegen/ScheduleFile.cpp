#include "compiler/codegen/ScheduleFile.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;

namespace acnn {

namespace {

/// The text between the quotes at the start of `line` (which then holds
/// what follows), or nullopt.
std::optional<std::string> takeQuoted(StringRef &line) {
  line = line.ltrim();
  if (!line.consume_front("\""))
    return std::nullopt;
  size_t end = line.find('"');
  if (end == StringRef::npos)
    return std::nullopt;
  std::string text = line.take_front(end).str();
  line = line.drop_front(end + 1);
  return text;
}

} // namespace

llvm::Expected<std::vector<ScheduleEntry>> readScheduleFile(StringRef path, MLIRContext *ctx) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file = llvm::MemoryBuffer::getFile(path);
  if (!file)
    return llvm::createStringError("cannot read schedules file '%s': %s", path.str().c_str(),
                                   file.getError().message().c_str());
  std::vector<ScheduleEntry> entries;
  llvm::StringSet<> names;
  SmallVector<StringRef> lines;
  (*file)->getBuffer().split(lines, '\n');
  for (auto [index, text] : llvm::enumerate(lines)) {
    unsigned line = index + 1;
    auto fail = [&](const llvm::Twine &why) {
      return llvm::createStringError("%s:%u: %s", path.str().c_str(), line, why.str().c_str());
    };
    StringRef rest = text.trim();
    if (rest.empty() || rest.starts_with("//"))
      continue;
    std::optional<std::string> name = takeQuoted(rest), key;
    if (name)
      key = takeQuoted(rest);
    rest = rest.ltrim();
    if (!key || !rest.consume_front("="))
      return fail("expected \"ENTRY\" \"KEY\" = #acnn.schedule<...>");
    std::string diagnostic;
    Attribute attr;
    {
      ScopedDiagnosticHandler capture(ctx, [&](Diagnostic &d) {
        diagnostic = d.str();
        return success();
      });
      attr = parseAttribute(rest.trim(), ctx);
    }
    auto schedule = dyn_cast_or_null<ScheduleAttr>(attr);
    if (!schedule)
      return fail("entry '" + *name + "': " +
                  (attr ? "not an #acnn.schedule" : "invalid schedule: " + diagnostic));
    if (!names.insert(*name).second)
      return fail("entry '" + *name + "' is given twice");
    entries.push_back({*name, *key, schedule, line});
  }
  return entries;
}

std::vector<ScheduleEntry> scheduleEntries(ModuleOp module) {
  std::vector<ScheduleEntry> entries;
  module.walk([&](Operation *op) {
    auto schedule = op->getAttrOfType<ScheduleAttr>(kScheduleAttr);
    auto name = op->getAttrOfType<StringAttr>(kKernelEntryAttr);
    auto key = op->getAttrOfType<StringAttr>(kKernelKeyAttr);
    if (schedule && name && key)
      entries.push_back({name.str(), key.str(), schedule});
  });
  return entries;
}

void writeScheduleFile(llvm::raw_ostream &os, llvm::ArrayRef<ScheduleEntry> entries,
                       StringRef header) {
  os << "// " << header << "\n";
  for (const ScheduleEntry &e : entries)
    os << '"' << e.name << "\" \"" << e.key << "\" = " << Attribute(e.schedule) << "\n";
}

} // namespace acnn
