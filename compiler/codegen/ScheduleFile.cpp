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

StringRef scheduleSourceName(ScheduleSource source) {
  switch (source) {
  case ScheduleSource::Generated:
    return "generated";
  case ScheduleSource::File:
    return "file";
  case ScheduleSource::Database:
    return "database";
  }
  llvm_unreachable("unknown schedule source");
}

llvm::Expected<ScheduleAttr> parseSchedule(StringRef text, MLIRContext *ctx) {
  std::string diagnostic;
  Attribute attr;
  {
    ScopedDiagnosticHandler capture(ctx, [&](Diagnostic &d) {
      diagnostic = d.str();
      return success();
    });
    attr = parseAttribute(text, ctx);
  }
  if (auto schedule = dyn_cast_or_null<ScheduleAttr>(attr))
    return schedule;
  return llvm::createStringError(attr ? "not an #acnn.schedule"
                                      : "invalid schedule: " + diagnostic);
}

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
    llvm::Expected<ScheduleAttr> schedule = parseSchedule(rest.trim(), ctx);
    if (!schedule)
      return fail("entry '" + *name + "': " + llvm::toString(schedule.takeError()));
    if (!names.insert(*name).second)
      return fail("entry '" + *name + "' is given twice");
    entries.push_back({*name, *key, *schedule, line, ScheduleSource::File});
  }
  return entries;
}

std::vector<ScheduleEntry> scheduleEntries(ModuleOp module) {
  std::vector<ScheduleEntry> entries;
  module.walk([&](Operation *op) {
    auto schedule = op->getAttrOfType<ScheduleAttr>(kScheduleAttr);
    auto name = op->getAttrOfType<StringAttr>(kKernelEntryAttr);
    auto key = op->getAttrOfType<StringAttr>(kKernelKeyAttr);
    if (!schedule || !name || !key)
      return;
    ScheduleEntry entry{name.str(), key.str(), schedule};
    if (auto source = op->getAttrOfType<StringAttr>(kScheduleSourceAttr))
      for (ScheduleSource s : {ScheduleSource::File, ScheduleSource::Database})
        if (source.getValue() == scheduleSourceName(s))
          entry.source = s;
    entries.push_back(std::move(entry));
  });
  return entries;
}

void writeScheduleFile(llvm::raw_ostream &os, llvm::ArrayRef<ScheduleEntry> entries,
                       StringRef header) {
  os << "// " << header << "\n";
  for (const ScheduleEntry &e : entries) {
    if (e.source == ScheduleSource::File)
      os << "// from the schedules file\n";
    else if (e.source == ScheduleSource::Database)
      os << "// from the tuning database\n";
    os << '"' << e.name << "\" \"" << e.key << "\" = " << Attribute(e.schedule) << "\n";
  }
}

} // namespace acnn
