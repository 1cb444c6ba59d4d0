// The tuning database: one JSON record a line, written sorted and read back
// whole; records of another target or schedule version are stale; errors
// name the file and line.
#include "compiler/codegen/TuningDatabase.h"
#include "dialects/acnn/AcnnDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace acnn;

namespace {

TuningRecord record(std::string key, std::string target, double tunedMs = 0.66) {
  TuningRecord r;
  r.key = std::move(key);
  r.target = std::move(target);
  r.schedule = "#acnn.schedule<matmul, vector = 8, tile = [6, 16, 1]>";
  r.defaultMs = 0.81;
  r.tunedMs = tunedMs;
  r.model = "vit";
  return r;
}

struct TuningDatabaseTest : ::testing::Test {
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("acnn-tuning-db-test", dir));
    path = (dir + "/db.jsonl").str();
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  void writeText(llvm::StringRef text) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << text;
  }
  std::string readText() {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    return buffer ? (*buffer)->getBuffer().str() : "";
  }
  /// The error reading `text` gives ("" if none).
  std::string readError(llvm::StringRef text) {
    writeText(text);
    llvm::Expected<TuningDatabase> db = TuningDatabase::read(path);
    return db ? "" : llvm::toString(db.takeError());
  }

  llvm::SmallString<128> dir;
  std::string path;
};

constexpr const char *kLine =
    R"({"key":"a","target":"t1","version":2,"schedule":"s","default_ms":2,"tuned_ms":1})";

TEST_F(TuningDatabaseTest, WritesOneSortedRecordALineAndReadsThemBack) {
  TuningDatabase db;
  db.insert(record("linalg.matmul 64x64x64 ppr f32", "#acnn.target<cpu = \"znver4\">", 0.5));
  db.insert(record("linalg.fill 4 p f32", "t2"));
  db.insert(record("linalg.fill 4 p f32", "t1"));
  ASSERT_FALSE(llvm::errorToBool(db.write(path)));
  EXPECT_FALSE(llvm::sys::fs::exists(path + ".tmp"));

  // Times as written, not as llvm::json's 17 digits (0.81000000000000005).
  EXPECT_EQ(
      readText(),
      R"({"key":"linalg.fill 4 p f32","target":"t1","version":2,"schedule":"#acnn.schedule<matmul, vector = 8, tile = [6, 16, 1]>","default_ms":0.81,"tuned_ms":0.66,"model":"vit"}
{"key":"linalg.fill 4 p f32","target":"t2","version":2,"schedule":"#acnn.schedule<matmul, vector = 8, tile = [6, 16, 1]>","default_ms":0.81,"tuned_ms":0.66,"model":"vit"}
{"key":"linalg.matmul 64x64x64 ppr f32","target":"#acnn.target<cpu = \"znver4\">","version":2,"schedule":"#acnn.schedule<matmul, vector = 8, tile = [6, 16, 1]>","default_ms":0.81,"tuned_ms":0.5,"model":"vit"}
)");

  llvm::Expected<TuningDatabase> back = TuningDatabase::read(path);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  ASSERT_EQ(back->size(), 3u);
  unsigned line = 0;
  for (const auto &[id, r] : back->all()) {
    const TuningRecord *written = db.lookup(id.first, id.second);
    ASSERT_TRUE(written);
    EXPECT_EQ(r.key, written->key);
    EXPECT_EQ(r.target, written->target);
    EXPECT_EQ(r.version, written->version);
    EXPECT_EQ(r.schedule, written->schedule);
    EXPECT_EQ(r.defaultMs, written->defaultMs);
    EXPECT_EQ(r.tunedMs, written->tunedMs);
    EXPECT_EQ(r.model, written->model);
    EXPECT_EQ(r.line, ++line);
  }
}

TEST_F(TuningDatabaseTest, TimesReadBackExactly) {
  TuningDatabase db;
  db.insert(record("k", "t", 1.0 / 3));
  ASSERT_FALSE(llvm::errorToBool(db.write(path)));
  llvm::Expected<TuningDatabase> back = TuningDatabase::read(path);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->lookup("k", "t")->tunedMs, 1.0 / 3);
}

TEST_F(TuningDatabaseTest, ReplacesAFileAndSkipsBlankLines) {
  writeText(std::string("\n") + kLine + "\n\n");
  llvm::Expected<TuningDatabase> db = TuningDatabase::read(path);
  ASSERT_TRUE(bool(db)) << llvm::toString(db.takeError());
  ASSERT_EQ(db->size(), 1u);
  const TuningRecord *r = db->lookup("a", "t1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->line, 2u);
  EXPECT_EQ(r->model, ""); // optional
  EXPECT_EQ(r->defaultMs, 2.0);

  TuningDatabase other;
  other.insert(record("b", "t1"));
  ASSERT_FALSE(llvm::errorToBool(other.write(path)));
  EXPECT_EQ(TuningDatabase::read(path)->size(), 1u);
}

TEST_F(TuningDatabaseTest, MergeKeepsOtherTargetsAndTakesTheOthersRecords) {
  TuningDatabase db, other;
  db.insert(record("a", "t1", 1.0));
  db.insert(record("a", "t2", 2.0));
  other.insert(record("a", "t1", 0.5));
  other.insert(record("b", "t1", 3.0));
  db.merge(other);
  EXPECT_EQ(db.size(), 3u);
  EXPECT_EQ(db.lookup("a", "t1")->tunedMs, 0.5);
  EXPECT_EQ(db.lookup("a", "t2")->tunedMs, 2.0);
  EXPECT_EQ(db.lookup("b", "t1")->tunedMs, 3.0);
  EXPECT_EQ(other.size(), 2u);
}

TEST_F(TuningDatabaseTest, RecordsOfAnotherTargetOrVersionAreStale) {
  TuningDatabase db;
  TuningRecord old = record("a", "t1");
  old.version = kScheduleVersion + 1;
  db.insert(old);
  db.insert(record("b", "t2"));

  EXPECT_EQ(db.lookup("a", "t1"), nullptr);
  EXPECT_TRUE(db.hasStale("a", "t1"));
  EXPECT_EQ(db.lookup("b", "t1"), nullptr);
  EXPECT_TRUE(db.hasStale("b", "t1"));
  ASSERT_NE(db.lookup("b", "t2"), nullptr);
  EXPECT_FALSE(db.hasStale("b", "t2"));
  // A key with no record at all is not stale, nor a prefix of one that has.
  EXPECT_FALSE(db.hasStale("c", "t1"));
  EXPECT_FALSE(db.hasStale("", "t1"));

  // A current record for the target makes the stale ones of its key moot.
  db.insert(record("b", "t1"));
  EXPECT_FALSE(db.hasStale("b", "t1"));
}

TEST_F(TuningDatabaseTest, ErrorsNameTheFileAndLine) {
  std::string at = path + ":";
  std::string ok = std::string(kLine) + "\n\n";
  EXPECT_EQ(readError(ok + "{\"key\": \n").rfind(at + "3: not JSON: ", 0), 0u);
  EXPECT_EQ(readError(ok + "[1, 2]\n"), at + "3: not a JSON object");
  EXPECT_EQ(readError(R"({"key":"a","target":"t1","version":2,"default_ms":2,"tuned_ms":1})"),
            at + "1: field 'schedule' is missing");
  EXPECT_EQ(
      readError(
          ok +
          R"({"key":"b","target":"t1","version":"1","schedule":"s","default_ms":2,"tuned_ms":1})"),
      at + "3: field 'version' is not an integer");
  EXPECT_EQ(
      readError(
          ok +
          R"({"key":"b","target":"t1","version":2,"schedule":"s","default_ms":"2","tuned_ms":1})"),
      at + "3: field 'default_ms' is not a number");
  EXPECT_EQ(
      readError(ok +
                R"({"key":"b","target":1,"version":2,"schedule":"s","default_ms":2,"tuned_ms":1})"),
      at + "3: field 'target' is not a string");
  EXPECT_EQ(
      readError(
          ok +
          R"({"key":"b","target":"t1","version":2,"schedule":"s","default_ms":2,"tuned_ms":1,"model":3})"),
      at + "3: field 'model' is not a string");
  EXPECT_EQ(readError(ok + kLine + "\n"),
            at + "3: key \"a\" on target \"t1\" is given twice (line 1 too)");
  EXPECT_EQ(
      readError(
          ok +
          R"({"key":"a","target":"t2","version":2,"schedule":"s","default_ms":2,"tuned_ms":1})"),
      "");
}

TEST_F(TuningDatabaseTest, AMissingFileIsAnError) {
  std::string missing = (dir + "/missing.jsonl").str();
  llvm::Expected<TuningDatabase> db = TuningDatabase::read(missing);
  ASSERT_FALSE(bool(db));
  EXPECT_EQ(
      llvm::toString(db.takeError()).rfind("cannot read tuning database '" + missing + "'", 0), 0u);
}

TEST_F(TuningDatabaseTest, TargetKeyIsTheAttributeAsPrinted) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<AcnnDialect>();
  auto module = mlir::ModuleOp::create(mlir::UnknownLoc::get(&ctx));
  std::string key = targetKey(targetOf(module));
  module->erase();
  EXPECT_EQ(key, "#acnn.target<cpu = \"x86-64-v3\", isa = \"avx2\", vector_bits = 256, "
                 "vector_registers = 16, l1_bytes = 32768, l2_bytes = 524288, l3_bytes = "
                 "33554432, threads = 2>");
}

} // namespace
