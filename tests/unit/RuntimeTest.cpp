// libacnnrt: binding and running a model, argument checks, metadata parsing,
// the thread pool, profiling, shared-library models and the acnn-run tool.
// The model is FakeModel.c, a hand-written stand-in for generated code.
#include "acnn/acnnrt.h"
#include "acnn/npy.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <mutex>
#include <ostream>
#include <regex>
#include <set>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern "C" {
extern const char acnn_fake_meta[];
void acnn_fake_entry(void **args);
}

namespace {

// Whether `text` contains `part`; on failure, says what it was.
::testing::AssertionResult contains(const std::string &text, const std::string &part) {
  if (text.find(part) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

// The fake model's tensors: x [2, 4, 3] and "bias term" [3] in, y [2, 4, 3] out.
struct FakeTensors {
  int64_t xShape[3] = {2, 4, 3}, biasShape[1] = {3}, yShape[3] = {2, 4, 3};
  std::vector<float> x = std::vector<float>(24), bias = {10, 20, 30},
                     y = std::vector<float>(24, -1);
  acnn_tensor inputs[2], outputs[1];

  FakeTensors() {
    for (int i = 0; i < 24; ++i)
      x[i] = float(i);
    inputs[0] = {ACNN_F32, 3, xShape, x.data()};
    inputs[1] = {ACNN_F32, 1, biasShape, bias.data()};
    outputs[0] = {ACNN_F32, 3, yShape, y.data()};
  }

  acnn_status run(acnn_model *model) { return acnn_model_run(model, inputs, 2, outputs, 1); }

  void expectComputed() const {
    for (int i = 0; i < 24; ++i)
      ASSERT_EQ(y[i], x[i] + 1 + bias[i % 3]) << "at " << i;
  }
};

// Owns a model bound to the fake entry.
struct FakeModel {
  acnn_model *model = nullptr;
  FakeModel() { EXPECT_EQ(acnn_model_bind(acnn_fake_meta, acnn_fake_entry, &model), ACNN_OK); }
  ~FakeModel() { acnn_model_free(model); }
};

std::string lastError() { return acnn_last_error(); }

// ---- binding and running ----------------------------------------------------

TEST(Runtime, BindDescribesTheModel) {
  FakeModel m;
  ASSERT_NE(m.model, nullptr) << lastError();
  EXPECT_STREQ(acnn_model_name(m.model), "fake");
  EXPECT_EQ(acnn_model_num_inputs(m.model), 2);
  EXPECT_EQ(acnn_model_num_outputs(m.model), 1);
  EXPECT_EQ(acnn_model_num_kernels(m.model), 2);
  const char *name;
  int32_t rank;
  const int64_t *shape;
  ASSERT_EQ(acnn_model_input(m.model, 1, &name, &rank, &shape), ACNN_OK);
  EXPECT_STREQ(name, "bias term"); // percent-decoded
  ASSERT_EQ(rank, 1);
  EXPECT_EQ(shape[0], 3);
  ASSERT_EQ(acnn_model_output(m.model, 0, &name, &rank, &shape), ACNN_OK);
  EXPECT_STREQ(name, "y");
  ASSERT_EQ(rank, 3);
  EXPECT_EQ(shape[0], 2);
  EXPECT_EQ(shape[1], 4);
  EXPECT_EQ(shape[2], 3);
  EXPECT_EQ(acnn_model_input(m.model, 0, nullptr, nullptr, nullptr), ACNN_OK);
}

TEST(Runtime, RunComputesOutputsWithAnyThreadCount) {
  FakeModel m;
  for (int32_t threads : {1, 2, 3, 5, 16}) {
    SCOPED_TRACE(threads);
    ASSERT_EQ(acnn_model_set_num_threads(m.model, threads), ACNN_OK);
    for (int run = 0; run < 2; ++run) { // the arena is reused
      FakeTensors t;
      ASSERT_EQ(t.run(m.model), ACNN_OK) << lastError();
      t.expectComputed();
    }
  }
}

// Records what the runtime hands the entry, for the ABI checks below.
struct EntryCall {
  std::vector<void *> args;
  int calls = 0;
} entryCall;

extern "C" void recordingEntry(void **args) {
  entryCall.args.assign(args, args + 5);
  ++entryCall.calls;
}

TEST(Runtime, EntryGetsTensorsThenAlignedArenaThenContext) {
  entryCall = {};
  acnn_model *model;
  ASSERT_EQ(acnn_model_bind(acnn_fake_meta, recordingEntry, &model), ACNN_OK);
  FakeTensors t;
  ASSERT_EQ(t.run(model), ACNN_OK);
  ASSERT_EQ(entryCall.calls, 1);
  EXPECT_EQ(entryCall.args[0], t.x.data());
  EXPECT_EQ(entryCall.args[1], t.bias.data());
  EXPECT_EQ(entryCall.args[2], t.y.data());
  void *arena = entryCall.args[3];
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(arena) % 64, 0u);
  EXPECT_NE(entryCall.args[4], nullptr);
  ASSERT_EQ(t.run(model), ACNN_OK);
  EXPECT_EQ(entryCall.args[3], arena);
  acnn_model_free(model);
}

// ---- misuse -----------------------------------------------------------------

TEST(Runtime, NullModelIsAnErrorEverywhere) {
  const char *name;
  double ms;
  int64_t calls;
  FakeTensors t;
  EXPECT_EQ(acnn_model_run(nullptr, t.inputs, 2, t.outputs, 1), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "model is NULL"));
  EXPECT_EQ(acnn_model_input(nullptr, 0, &name, nullptr, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_output(nullptr, 0, &name, nullptr, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_num_inputs(nullptr), -1);
  EXPECT_EQ(acnn_model_num_outputs(nullptr), -1);
  EXPECT_EQ(acnn_model_num_kernels(nullptr), -1);
  EXPECT_EQ(acnn_model_name(nullptr), nullptr);
  EXPECT_EQ(acnn_model_set_num_threads(nullptr, 2), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_enable_profiling(nullptr, 1), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_profile(nullptr, 0, &name, &ms, &calls), ACNN_ERROR_INVALID_ARGUMENT);
  acnn_model_free(nullptr);
  acnn_kernel_begin(nullptr, 0);
  acnn_kernel_end(nullptr, 0);
}

TEST(Runtime, BindAndOpenRejectNullArguments) {
  acnn_model *model = reinterpret_cast<acnn_model *>(1);
  EXPECT_EQ(acnn_model_bind(nullptr, acnn_fake_entry, &model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(model, nullptr);
  EXPECT_TRUE(contains(lastError(), "meta is NULL"));
  EXPECT_EQ(acnn_model_bind(acnn_fake_meta, nullptr, &model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "entry is NULL"));
  EXPECT_EQ(acnn_model_bind(acnn_fake_meta, acnn_fake_entry, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_open(nullptr, &model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_open(FAKE_MODEL_SO, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
}

// A failed run must not call the model: y keeps its -1s.
void expectRejected(acnn_model *model, FakeTensors &t, acnn_status status, const char *message,
                    int numInputs = 2, int numOutputs = 1) {
  EXPECT_EQ(acnn_model_run(model, t.inputs, numInputs, t.outputs, numOutputs), status);
  EXPECT_TRUE(contains(lastError(), message));
  for (float v : t.y)
    ASSERT_EQ(v, -1.0f);
}

TEST(Runtime, RunRejectsWrongCounts) {
  FakeModel m;
  FakeTensors t;
  expectRejected(m.model, t, ACNN_ERROR_INVALID_ARGUMENT, "model 'fake' takes 2 inputs, got 1", 1,
                 1);
  expectRejected(m.model, t, ACNN_ERROR_INVALID_ARGUMENT, "takes 1 outputs, got 0", 2, 0);
  EXPECT_EQ(acnn_model_run(m.model, nullptr, 2, t.outputs, 1), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "inputs is NULL"));
  EXPECT_EQ(acnn_model_run(m.model, t.inputs, 2, nullptr, 1), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "outputs is NULL"));
}

TEST(Runtime, RunRejectsWrongRankNamingTheTensor) {
  FakeModel m;
  FakeTensors t;
  int64_t flat[1] = {24};
  t.inputs[0].rank = 1;
  t.inputs[0].shape = flat;
  expectRejected(m.model, t, ACNN_ERROR_SHAPE_MISMATCH,
                 "input 'x': shape [2, 4, 3] expected, got [24]");
  t.inputs[0].rank = -1;
  expectRejected(m.model, t, ACNN_ERROR_SHAPE_MISMATCH,
                 "input 'x': shape [2, 4, 3] expected, got rank -1");
  t.inputs[0].rank = 1000;
  expectRejected(m.model, t, ACNN_ERROR_SHAPE_MISMATCH, "got rank 1000");
}

TEST(Runtime, RunRejectsWrongExtentNamingTheTensor) {
  FakeModel m;
  FakeTensors t;
  t.biasShape[0] = 4;
  expectRejected(m.model, t, ACNN_ERROR_SHAPE_MISMATCH,
                 "input 'bias term': shape [3] expected, got [4]");
  t.biasShape[0] = 3;
  t.yShape[0] = 1;
  expectRejected(m.model, t, ACNN_ERROR_SHAPE_MISMATCH,
                 "output 'y': shape [2, 4, 3] expected, got [1, 4, 3]");
  t.yShape[0] = 2;
  t.yShape[2] = 2;
  expectRejected(m.model, t, ACNN_ERROR_SHAPE_MISMATCH, "got [2, 4, 2]");
}

TEST(Runtime, RunRejectsWrongDtypeNamingTheTensor) {
  FakeModel m;
  FakeTensors t;
  t.outputs[0].dtype = static_cast<acnn_dtype>(3);
  expectRejected(m.model, t, ACNN_ERROR_DTYPE_MISMATCH, "output 'y': dtype f32 expected");
}

TEST(Runtime, RunRejectsNullDataAndShape) {
  FakeModel m;
  FakeTensors t;
  t.inputs[1].data = nullptr;
  expectRejected(m.model, t, ACNN_ERROR_INVALID_ARGUMENT, "input 'bias term': data is NULL");
  t.inputs[1].data = t.bias.data();
  t.outputs[0].data = nullptr;
  expectRejected(m.model, t, ACNN_ERROR_INVALID_ARGUMENT, "output 'y': data is NULL");
  t.outputs[0].data = t.y.data();
  t.inputs[0].shape = nullptr;
  expectRejected(m.model, t, ACNN_ERROR_INVALID_ARGUMENT, "input 'x': shape is NULL");
}

TEST(Runtime, RunRejectsOutputOverlappingAnInput) {
  FakeModel m;
  FakeTensors t;
  std::vector<float> shared(30, -1);
  t.inputs[1].data = shared.data();
  t.outputs[0].data = shared.data() + 2;
  EXPECT_EQ(t.run(m.model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "output 'y': data overlaps input 'bias term'"));
  t.outputs[0].data = shared.data() + 3; // just past the bias
  EXPECT_EQ(t.run(m.model), ACNN_OK) << lastError();
}

TEST(Runtime, IndexOutOfRangeIsAnError) {
  FakeModel m;
  const char *name;
  EXPECT_EQ(acnn_model_input(m.model, 2, &name, nullptr, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "input index 2 is out of range (model 'fake' has 2 inputs)"));
  EXPECT_EQ(acnn_model_input(m.model, -1, &name, nullptr, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_output(m.model, 1, &name, nullptr, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "output index 1 is out of range"));
  EXPECT_EQ(acnn_model_profile(m.model, 2, &name, nullptr, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "kernel index 2 is out of range"));
  EXPECT_EQ(acnn_model_set_num_threads(m.model, 0), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "thread count 0"));
}

TEST(Runtime, LastErrorIsPerThread) {
  FakeModel m;
  acnn_model_input(m.model, 7, nullptr, nullptr, nullptr);
  std::string other;
  std::thread([&] { other = acnn_last_error(); }).join();
  EXPECT_EQ(other, "");
  EXPECT_TRUE(contains(lastError(), "input index 7"));
}

TEST(Runtime, StatusStrings) {
  EXPECT_STREQ(acnn_status_string(ACNN_OK), "ok");
  EXPECT_STREQ(acnn_status_string(ACNN_ERROR_SHAPE_MISMATCH), "shape mismatch");
  EXPECT_STREQ(acnn_status_string(ACNN_ERROR_IO), "I/O error");
  EXPECT_STREQ(acnn_status_string(static_cast<acnn_status>(99)), "unknown status");
}

// ---- metadata ---------------------------------------------------------------

void nothing(void **) {}

struct BadMeta {
  const char *meta;
  const char *message;
};

// Names the case in test listings by the message it expects.
void PrintTo(const BadMeta &bad, std::ostream *os) { *os << bad.message; }

class MalformedMeta : public ::testing::TestWithParam<BadMeta> {};

TEST_P(MalformedMeta, IsAnInvalidModelWithAMessage) {
  acnn_model *model = reinterpret_cast<acnn_model *>(1);
  EXPECT_EQ(acnn_model_bind(GetParam().meta, nothing, &model), ACNN_ERROR_INVALID_MODEL);
  EXPECT_EQ(model, nullptr);
  EXPECT_TRUE(contains(lastError(), GetParam().message));
}

#define HEAD "acnn-model 1\nname m\n"
#define TAIL "output y f32 1 4\narena 0\n"
INSTANTIATE_TEST_SUITE_P(
    Runtime, MalformedMeta,
    ::testing::Values(
        BadMeta{"", "line 1 (''): expected the header 'acnn-model 1'"},
        BadMeta{"name m\n" TAIL, "line 1 ('name m'): expected the header"},
        BadMeta{"acnn-model 2\nname m\n" TAIL, "metadata version '2' is not supported"},
        BadMeta{"acnn-model\n", "expected the header"},
        BadMeta{HEAD TAIL "weights w.bin\n", "line 5 ('weights w.bin'): unknown record 'weights'"},
        BadMeta{HEAD "acnn-model 1\n" TAIL, "unknown record 'acnn-model'"},
        BadMeta{HEAD "output y f32 x 4\narena 0\n", "rank 'x' is not an integer in [0, 8]"},
        BadMeta{HEAD "output y f32 9\narena 0\n", "rank '9' is not an integer in [0, 8]"},
        BadMeta{HEAD "output y f32 9 1 1 1 1 1 1 1 1 1\narena 0\n", "more than 12 fields"},
        BadMeta{HEAD "output y f32 -1\narena 0\n", "rank '-1'"},
        BadMeta{HEAD "output y f32 2 4\narena 0\n", "rank 2 needs 2 extents, got 1"},
        BadMeta{HEAD "output y f32 1 4 4\narena 0\n", "rank 1 needs 1 extents, got 2"},
        BadMeta{HEAD "output y f32 2 4 0\narena 0\n", "extent '0' is not a positive integer"},
        BadMeta{HEAD "output y f32 1 -4\narena 0\n", "extent '-4'"},
        BadMeta{HEAD "output y f32 1 2.5\narena 0\n", "extent '2.5'"},
        BadMeta{HEAD "output y f32 1 99999999999999999999\narena 0\n", "extent '9999"},
        BadMeta{HEAD "output y f32 2 4000000000 4000000000\narena 0\n", "more than"},
        BadMeta{HEAD "output y f16 1 4\narena 0\n", "dtype 'f16' is not supported"},
        BadMeta{HEAD "output y f32\narena 0\n", "expected 'output <name> f32 <rank>"},
        BadMeta{HEAD "output y f32 2 1", "rank 2 needs 2 extents"}, // truncated
        BadMeta{HEAD "output y f32 1 4\n", "no 'arena' record"},
        BadMeta{"acnn-model 1\n" TAIL, "no 'name' record"},
        BadMeta{HEAD "arena 0\n", "declares no outputs"},
        BadMeta{HEAD TAIL "arena 0\n", "a second 'arena' record"},
        BadMeta{HEAD "name n\n" TAIL, "a second 'name' record"},
        BadMeta{HEAD "output y f32 1 4\narena -5\n", "arena size '-5' is not a byte count"},
        BadMeta{"acnn-model 1\nname my-model\n" TAIL, "model name 'my-model'"},
        BadMeta{HEAD "input x f32 1 4\ninput x f32 1 4\n" TAIL, "a second input named 'x'"},
        BadMeta{HEAD "input a%2 f32 1 4\n" TAIL, "malformed percent escape in 'a%2'"},
        BadMeta{HEAD "input a%zz f32 1 4\n" TAIL, "malformed percent escape"},
        BadMeta{HEAD "input a%00 f32 1 4\n" TAIL, "malformed percent escape"},
        BadMeta{HEAD "output y  f32 1 4\narena 0\n", "single spaces"},
        BadMeta{HEAD "output y f32 1 4 \narena 0\n", "single spaces"},
        BadMeta{HEAD "output\ty f32 1 4\narena 0\n", "unexpected byte 0x09"},
        BadMeta{"acnn-model 1\r\nname m\n" TAIL, "unexpected byte 0x0D"},
        BadMeta{HEAD "\n" TAIL, "line 3 (''): empty record"},
        BadMeta{HEAD "kernel\n" TAIL, "expected 'kernel <name>'"}));

TEST(Runtime, MetaAcceptsRankZeroEscapesAndNoFinalNewline) {
  acnn_model *model;
  ASSERT_EQ(acnn_model_bind("acnn-model 1\nname 3d_net\ninput 100%25%c3%a9 f32 0\n"
                            "output y f32 1 1\narena 100\nkernel k%0A1",
                            nothing, &model),
            ACNN_OK)
      << lastError();
  const char *name;
  int32_t rank;
  ASSERT_EQ(acnn_model_input(model, 0, &name, &rank, nullptr), ACNN_OK);
  EXPECT_STREQ(name, "100%\xc3\xa9");
  EXPECT_EQ(rank, 0);
  ASSERT_EQ(acnn_model_profile(model, 0, &name, nullptr, nullptr), ACNN_OK);
  EXPECT_STREQ(name, "k\n1");
  acnn_model_free(model);
}

// ---- parallel loops ---------------------------------------------------------

// What a loop test's entry does: a parallel loop over [0, n) that counts
// each index and notes the threads it ran on.
struct LoopProbe {
  int64_t n = 0;
  bool nested = false;
  std::vector<std::atomic<int>> hits;
  std::mutex lock;
  std::set<std::thread::id> threads;
  acnn_context *ctx = nullptr;
} probe;

extern "C" void countIndices(void *data, int64_t begin, int64_t end) {
  auto *p = static_cast<LoopProbe *>(data);
  {
    std::lock_guard<std::mutex> guard(p->lock);
    p->threads.insert(std::this_thread::get_id());
  }
  for (int64_t i = begin; i < end; ++i) {
    if (p->nested) // an inner loop per index: must run inline, not deadlock
      acnn_parallel_for(
          p->ctx, 1, [](void *hit, int64_t, int64_t) { ++*static_cast<std::atomic<int> *>(hit); },
          &p->hits[i]);
    else
      ++p->hits[i];
  }
}

extern "C" void loopEntry(void **args) {
  probe.ctx = static_cast<acnn_context *>(args[2]);
  acnn_parallel_for(probe.ctx, probe.n, countIndices, &probe);
}

void expectEachIndexOnce(acnn_model *model, int64_t n, bool nested) {
  probe.n = n;
  probe.nested = nested;
  probe.hits = std::vector<std::atomic<int>>(n);
  probe.threads.clear();
  float y = 0;
  int64_t shape[1] = {1};
  acnn_tensor out = {ACNN_F32, 1, shape, &y};
  ASSERT_EQ(acnn_model_run(model, nullptr, 0, &out, 1), ACNN_OK) << lastError();
  for (int64_t i = 0; i < n; ++i)
    ASSERT_EQ(probe.hits[i].load(), 1) << "index " << i << " of " << n;
}

TEST(Runtime, ParallelForCoversEachIndexOnce) {
  acnn_model *model;
  ASSERT_EQ(
      acnn_model_bind("acnn-model 1\nname loop\noutput y f32 1 1\narena 0\n", loopEntry, &model),
      ACNN_OK);
  for (int32_t threads : {1, 2, 3, 4, 7, 16}) {
    ASSERT_EQ(acnn_model_set_num_threads(model, threads), ACNN_OK);
    for (int64_t n : {0, 1, 2, 3, 5, 7, 16, 17, 100, 1001}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", n " + std::to_string(n));
      expectEachIndexOnce(model, n, false);
      // Each range runs on its own thread.
      EXPECT_EQ(int64_t(probe.threads.size()), std::min<int64_t>(n, threads));
      expectEachIndexOnce(model, n, true);
    }
  }
  acnn_model_free(model);
}

TEST(Runtime, ParallelForWithoutContextRunsInline) {
  int64_t seen[2] = {-1, -1};
  int calls = 0;
  struct Data {
    int64_t *seen;
    int *calls;
  } data{seen, &calls};
  acnn_parallel_for(
      nullptr, 10,
      [](void *d, int64_t begin, int64_t end) {
        auto *p = static_cast<Data *>(d);
        p->seen[0] = begin;
        p->seen[1] = end;
        ++*p->calls;
      },
      &data);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen[0], 0);
  EXPECT_EQ(seen[1], 10);
}

// ---- profiling --------------------------------------------------------------

TEST(Runtime, ProfilingCountsKernelCalls) {
  FakeModel m;
  FakeTensors t;
  const char *name;
  double ms;
  int64_t calls;
  ASSERT_EQ(t.run(m.model), ACNN_OK);
  ASSERT_EQ(acnn_model_profile(m.model, 0, &name, &ms, &calls), ACNN_OK);
  EXPECT_EQ(calls, 0); // off by default
  EXPECT_STREQ(name, "add_one");

  ASSERT_EQ(acnn_model_enable_profiling(m.model, 1), ACNN_OK);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(t.run(m.model), ACNN_OK);
  for (int32_t k = 0; k < 2; ++k) {
    ASSERT_EQ(acnn_model_profile(m.model, k, &name, &ms, &calls), ACNN_OK);
    EXPECT_EQ(calls, 3);
    EXPECT_GE(ms, 0.0);
  }
  EXPECT_STREQ(name, "add bias");

  ASSERT_EQ(acnn_model_enable_profiling(m.model, 0), ACNN_OK);
  ASSERT_EQ(t.run(m.model), ACNN_OK);
  ASSERT_EQ(acnn_model_profile(m.model, 1, nullptr, nullptr, &calls), ACNN_OK);
  EXPECT_EQ(calls, 3); // kept while off
  ASSERT_EQ(acnn_model_enable_profiling(m.model, 1), ACNN_OK);
  ASSERT_EQ(acnn_model_profile(m.model, 1, nullptr, &ms, &calls), ACNN_OK);
  EXPECT_EQ(calls, 0); // reset when turned on
  EXPECT_EQ(ms, 0.0);
}

// ---- shared-library models ---------------------------------------------------

TEST(Runtime, OpenLoadsASharedLibraryModel) {
  acnn_model *model;
  ASSERT_EQ(acnn_model_open(FAKE_MODEL_SO, &model), ACNN_OK) << lastError();
  EXPECT_STREQ(acnn_model_name(model), "fake");
  ASSERT_EQ(acnn_model_set_num_threads(model, 3), ACNN_OK);
  FakeTensors t;
  ASSERT_EQ(t.run(model), ACNN_OK) << lastError();
  t.expectComputed();
  acnn_model_free(model);
}

TEST(Runtime, OpenTakesABareNameFromTheCurrentDirectory) {
  std::string path = FAKE_MODEL_SO;
  size_t slash = path.rfind('/');
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
  ASSERT_EQ(chdir(path.substr(0, slash).c_str()), 0);
  acnn_model *model;
  acnn_status status = acnn_model_open(path.substr(slash + 1).c_str(), &model);
  ASSERT_EQ(chdir(cwd), 0);
  ASSERT_EQ(status, ACNN_OK) << lastError();
  acnn_model_free(model);
}

TEST(Runtime, OpenMissingFileIsAnIOError) {
  acnn_model *model = reinterpret_cast<acnn_model *>(1);
  EXPECT_EQ(acnn_model_open("/nonexistent/model.so", &model), ACNN_ERROR_IO);
  EXPECT_EQ(model, nullptr);
  EXPECT_TRUE(contains(lastError(), "/nonexistent/model.so"));
}

TEST(Runtime, OpenLibraryWithoutModelSymbolsIsAnInvalidModel) {
  Dl_info libc;
  ASSERT_NE(dladdr(reinterpret_cast<void *>(&strlen), &libc), 0);
  acnn_model *model;
  EXPECT_EQ(acnn_model_open(libc.dli_fname, &model), ACNN_ERROR_INVALID_MODEL);
  EXPECT_TRUE(contains(lastError(), "does not export acnn_model_meta"));
}

// ---- acnn-run -----------------------------------------------------------------

struct RunResult {
  int status;
  std::string output; // stdout and stderr
};

RunResult acnnRun(const std::string &args) {
  std::string command = std::string(ACNN_RUN) + " " + args + " 2>&1";
  FILE *pipe = popen(command.c_str(), "r");
  RunResult result{-1, ""};
  if (!pipe)
    return result;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;)
    result.output.append(buf, n);
  int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class AcnnRun : public ::testing::Test {
protected:
  // One directory per test: ctest runs the tests of this fixture in parallel.
  std::string root = std::string(ACNN_BINARY_DIR) + "/tests/runtime-test";
  std::string dir = root + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::string x = dir + "/x.npy", bias = dir + "/bias.npy", y = dir + "/y.npy";
  std::string model = FAKE_MODEL_SO;
  FakeTensors t;

  void SetUp() override {
    mkdir((std::string(ACNN_BINARY_DIR) + "/tests").c_str(), 0755);
    mkdir(root.c_str(), 0755);
    mkdir(dir.c_str(), 0755);
    write(x, t.x, t.xShape, 3);
    write(bias, t.bias, t.biasShape, 1);
    std::remove(y.c_str());
  }

  static void write(const std::string &path, const std::vector<float> &data, const int64_t *shape,
                    int rank) {
    char err[256];
    ASSERT_EQ(acnn_npy_write(path.c_str(), data.data(), shape, rank, err, sizeof err), 0) << err;
  }

  void expectOutputWritten() {
    acnn_npy_array out;
    char err[256];
    ASSERT_EQ(acnn_npy_read(y.c_str(), &out, err, sizeof err), 0) << err;
    ASSERT_EQ(out.rank, 3);
    t.y.assign(out.data, out.data + 24);
    acnn_npy_free(&out);
    t.expectComputed();
  }
};

TEST_F(AcnnRun, RunsByNameAndWritesOutputs) {
  RunResult r = acnnRun(model + " --input x=" + x + " --input 'bias term=" + bias +
                        "' --output y=" + y + " --runs 5 --warmup 2 --threads 2");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "y: [2, 4, 3] -> " + y));
  EXPECT_TRUE(contains(r.output, "latency over 5 runs: median "));
  expectOutputWritten();
}

TEST_F(AcnnRun, BindsUnnamedFilesInOrder) {
  RunResult r = acnnRun(model + " -i " + x + " -i " + bias + " -o " + y);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "latency over 1 run: "));
  expectOutputWritten();
}

TEST_F(AcnnRun, ProfilePrintsAKernelTable) {
  RunResult r = acnnRun(model + " --input " + x + " --input " + bias + " --runs=4 --profile");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "% of run"));
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\nadd_one +4 +[0-9.]+ +[0-9.]+%")))
      << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\nadd bias +4 "))) << r.output;
}

TEST_F(AcnnRun, BadArgumentsExitWithAMessage) {
  struct Case {
    std::string args, message;
  } cases[] = {
      {"", "no model given"},
      {model + " --input " + x + " --input " + bias + " --frobnicate", "unknown option"},
      {model + " --input " + x, "no .npy file given for input 'bias term'"},
      {model + " --input " + x + " --input " + bias + " --input " + x, "3 input files given"},
      {model + " --input z=" + x, "the model has no input named 'z'"},
      {model + " --input " + bias + " --input " + bias,
       "input 'x': shape [2, 4, 3] expected, got [3]"},
      {model + " --input " + x + " --input " + dir + "/missing.npy", "missing.npy"},
      {model + " --input " + x + " --input " + bias + " --runs 0", "--runs wants an integer"},
      {model + " --input " + x + " --input " + bias + " --threads", "--threads needs a value"},
      {dir + "/missing.so --input " + x, "cannot load model"},
      {model + " " + model, "more than one model"},
  };
  for (const Case &c : cases) {
    RunResult r = acnnRun(c.args);
    EXPECT_EQ(r.status, 1) << c.args << "\n" << r.output;
    EXPECT_TRUE(contains(r.output, c.message)) << c.args;
  }
}

} // namespace
