// libacnnrt under load and misuse: runs from many threads, pointers that are
// not live models, aliasing and misaligned tensors, NaN and Inf inputs.
#include "RuntimeTestUtils.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

using namespace acnn::testing;

namespace {

constexpr int kThreads = 8;
constexpr int kRuns = 200;

// Inputs that differ from thread to thread, so outputs mixed up between
// concurrent runs would show.
void fillForThread(FakeTensors &t, int thread) {
  for (int i = 0; i < 24; ++i)
    t.x[i] = float(i * (thread + 1)) - 0.5f * float(thread);
  t.bias = {float(thread), -2.0f * float(thread), 0.25f};
}

// What one thread's inputs give, from a run on this thread alone.
std::vector<float> reference(int thread) {
  FakeModel m;
  FakeTensors t;
  fillForThread(t, thread);
  EXPECT_EQ(t.run(m.model), ACNN_OK) << lastError();
  return t.y;
}

// Runs `model` kRuns times with thread `thread`'s inputs; counts the runs
// whose output differs from `expected` in any bit.
int wrongRuns(acnn_model *model, int thread, const std::vector<float> &expected) {
  FakeTensors t;
  fillForThread(t, thread);
  int wrong = 0;
  for (int run = 0; run < kRuns; ++run) {
    std::fill(t.y.begin(), t.y.end(), -1.0f);
    if (t.run(model) != ACNN_OK || std::memcmp(t.y.data(), expected.data(), 24 * sizeof(float)))
      ++wrong;
  }
  return wrong;
}

// ---- concurrency ----------------------------------------------------------

TEST(RuntimeConcurrency, EightThreadsShareOneModel) {
  std::vector<std::vector<float>> expected;
  for (int thread = 0; thread < kThreads; ++thread)
    expected.push_back(reference(thread));
  FakeModel m;
  // The kernel counters are plain increments: runs that overlapped would
  // lose some.
  ASSERT_EQ(acnn_model_enable_profiling(m.model, 1), ACNN_OK);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread)
    threads.emplace_back([&, thread] { wrong += wrongRuns(m.model, thread, expected[thread]); });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(wrong, 0);
  for (int32_t kernel = 0; kernel < 2; ++kernel) {
    int64_t calls = 0;
    ASSERT_EQ(acnn_model_profile(m.model, kernel, nullptr, nullptr, &calls), ACNN_OK);
    EXPECT_EQ(calls, int64_t(kThreads) * kRuns);
  }
}

// Keeps a value in the arena across a yield: two runs of one model that were
// not serialised would read each other's value.
extern "C" void arenaRoundTripEntry(void **args) {
  const float *x = static_cast<const float *>(args[0]);
  float *y = static_cast<float *>(args[1]), *arena = static_cast<float *>(args[2]);
  for (int i = 0; i < 16; ++i)
    arena[i] = x[i];
  std::this_thread::yield();
  for (int i = 0; i < 16; ++i)
    y[i] = arena[i];
}

TEST(RuntimeConcurrency, RunsOfOneModelDoNotShareTheArenaAtOnce) {
  acnn_model *model;
  ASSERT_EQ(acnn_model_bind("acnn-model 1\nname trip\ninput x f32 1 16\noutput y f32 1 16\n"
                            "arena 64\n",
                            arenaRoundTripEntry, &model),
            ACNN_OK);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread)
    threads.emplace_back([&, thread] {
      int64_t shape[1] = {16};
      std::vector<float> x(16, float(thread)), y(16);
      acnn_tensor in = {ACNN_F32, 1, shape, x.data()}, out = {ACNN_F32, 1, shape, y.data()};
      for (int run = 0; run < kRuns; ++run)
        if (acnn_model_run(model, &in, 1, &out, 1) != ACNN_OK || y != x)
          ++wrong;
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(wrong, 0);
  acnn_model_free(model);
}

TEST(RuntimeConcurrency, EightThreadsEachWithItsOwnModel) {
  std::vector<std::vector<float>> expected;
  for (int thread = 0; thread < kThreads; ++thread)
    expected.push_back(reference(thread));
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread)
    threads.emplace_back([&, thread] {
      // Half bound in process, half opened from the shared library (one
      // dlopen handle, counted, under separate models).
      acnn_model *model = nullptr;
      acnn_status status = thread % 2 ? acnn_model_bind(acnn_fake_meta, acnn_fake_entry, &model)
                                      : acnn_model_open(FAKE_MODEL_SO, &model);
      if (status != ACNN_OK) {
        ++failed;
        return;
      }
      acnn_model_set_num_threads(model, 1 + thread % 3);
      wrong += wrongRuns(model, thread, expected[thread]);
      acnn_model_free(model);
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(wrong, 0);
}

// Settings and profile reads from another thread while runs go on: each is
// consistent, and TSan sees no data race (runs write the kernel counters).
TEST(RuntimeConcurrency, SettingsChangeWhileOtherThreadsRun) {
  std::vector<float> expected = reference(3);
  FakeModel m;
  std::atomic<bool> done{false};
  std::atomic<int> wrong{0}, bad{0};
  std::vector<std::thread> runners;
  for (int thread = 0; thread < kThreads - 1; ++thread)
    runners.emplace_back([&] {
      while (!done)
        wrong += wrongRuns(m.model, 3, expected) > 0;
    });
  for (int i = 0; i < 2000; ++i) {
    int32_t threads = 1 + i % 4;
    bad += acnn_model_set_num_threads(m.model, threads) != ACNN_OK;
    int32_t now = acnn_model_num_threads(m.model);
    bad += now < 1 || now > 4;
    if (i % 64 == 0)
      bad += acnn_model_enable_profiling(m.model, i % 128 == 0) != ACNN_OK;
    int64_t calls = -1;
    double ms = -1;
    bad += acnn_model_profile(m.model, i % 2, nullptr, &ms, &calls) != ACNN_OK;
    bad += calls < 0 || ms < 0;
  }
  done = true;
  for (std::thread &t : runners)
    t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(bad, 0);
}

TEST(RuntimeConcurrency, ModelsBoundAndFreedOnManyThreads) {
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        acnn_model *model = nullptr;
        if (acnn_model_bind(acnn_fake_meta, acnn_fake_entry, &model) != ACNN_OK) {
          ++bad;
          continue;
        }
        FakeTensors t;
        bad += t.run(model) != ACNN_OK || t.y[5] != t.x[5] + 1 + t.bias[2];
        acnn_model_free(model);
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(bad, 0);
}

// Blocks in the model until told to go on.
std::atomic<bool> entryStarted{false}, entryMayEnd{false};
extern "C" void blockingEntry(void **args) {
  entryStarted = true;
  while (!entryMayEnd)
    std::this_thread::yield();
  acnn_fake_entry(args);
}

TEST(RuntimeConcurrency, FreeWaitsForARunInProgress) {
  entryStarted = entryMayEnd = false;
  acnn_model *model;
  ASSERT_EQ(acnn_model_bind(acnn_fake_meta, blockingEntry, &model), ACNN_OK);
  FakeTensors t;
  acnn_status ran = ACNN_ERROR_IO;
  std::thread runner([&] { ran = t.run(model); });
  while (!entryStarted)
    std::this_thread::yield();
  std::atomic<bool> freed{false};
  std::thread freer([&] {
    acnn_model_free(model);
    freed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(freed) << "the model was freed under a running run";
  entryMayEnd = true;
  runner.join();
  freer.join();
  EXPECT_TRUE(freed);
  EXPECT_EQ(ran, ACNN_OK);
  t.expectComputed();
  // It is dead now: a later call is refused, not a use after free.
  EXPECT_EQ(t.run(model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "not a live model"));
}

// ---- pointers that are not live models --------------------------------------

// Every function that takes a model, on `model`: refused, with a message.
void expectRefusedEverywhere(acnn_model *model) {
  FakeTensors t;
  const char *name = nullptr;
  double ms;
  int64_t calls;
  EXPECT_EQ(t.run(model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "acnn_model_run: "));
  EXPECT_TRUE(contains(lastError(), "is not a live model"));
  EXPECT_EQ(acnn_model_input(model, 0, &name, nullptr, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "acnn_model_input: "));
  EXPECT_EQ(acnn_model_output(model, 0, &name, nullptr, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  acnn_dtype dtype;
  EXPECT_EQ(acnn_model_input_dtype(model, 0, &dtype), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "acnn_model_input_dtype: "));
  EXPECT_TRUE(contains(lastError(), "is not a live model"));
  EXPECT_EQ(acnn_model_output_dtype(model, 0, &dtype), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "acnn_model_output_dtype: "));
  EXPECT_EQ(acnn_model_num_inputs(model), -1);
  EXPECT_EQ(acnn_model_num_outputs(model), -1);
  EXPECT_EQ(acnn_model_num_kernels(model), -1);
  EXPECT_EQ(acnn_model_num_threads(model), -1);
  EXPECT_EQ(acnn_model_name(model), nullptr);
  EXPECT_TRUE(contains(lastError(), "acnn_model_name: "));
  EXPECT_EQ(acnn_model_set_num_threads(model, 2), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_enable_profiling(model, 1), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(acnn_model_profile(model, 0, &name, &ms, &calls), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "is not a live model"));
  for (float v : t.y)
    ASSERT_EQ(v, -1.0f); // never ran
}

TEST(RuntimeMisuse, FreeingAModelTwiceIsHarmlessAndSaysSo) {
  acnn_model *model;
  ASSERT_EQ(acnn_model_bind(acnn_fake_meta, acnn_fake_entry, &model), ACNN_OK);
  acnn_model_free(model);
  acnn_model_free(model); // a crash (glibc: "double free detected") before the registry
  EXPECT_TRUE(contains(lastError(), "acnn_model_free: "));
  EXPECT_TRUE(contains(lastError(), "is not a live model (freed already"));
  expectRefusedEverywhere(model);
}

TEST(RuntimeMisuse, AStalePointerDoesNotNameTheNextModel) {
  // malloc hands a freed block straight to the next allocation of its size:
  // without care the second bind reuses the first model's address, and the
  // stale free below frees the live model.
  acnn_model *first, *second;
  ASSERT_EQ(acnn_model_bind(acnn_fake_meta, acnn_fake_entry, &first), ACNN_OK);
  acnn_model_free(first);
  ASSERT_EQ(acnn_model_bind(acnn_fake_meta, acnn_fake_entry, &second), ACNN_OK);
  EXPECT_NE(first, second);
  acnn_model_free(first);
  EXPECT_TRUE(contains(lastError(), "is not a live model"));
  FakeTensors t;
  ASSERT_EQ(t.run(second), ACNN_OK) << lastError();
  t.expectComputed();
  acnn_model_free(second);
}

TEST(RuntimeMisuse, APointerThatNeverWasAModelIsRefused) {
  // Bytes that are no model: the runtime must not read through the pointer.
  alignas(64) unsigned char junk[512];
  std::memset(junk, 0xAB, sizeof junk);
  acnn_model *model = reinterpret_cast<acnn_model *>(junk);
  expectRefusedEverywhere(model);
  acnn_model_free(model);
  EXPECT_TRUE(contains(lastError(), "acnn_model_free: "));
  EXPECT_TRUE(contains(lastError(), "is not a live model"));
}

// ---- tensors ----------------------------------------------------------------

// Two outputs: a = x, b = 2x.
extern "C" void twoOutputsEntry(void **args) {
  const float *x = static_cast<const float *>(args[0]);
  float *a = static_cast<float *>(args[1]), *b = static_cast<float *>(args[2]);
  for (int i = 0; i < 4; ++i) {
    a[i] = x[i];
    b[i] = 2 * x[i];
  }
}

TEST(RuntimeMisuse, OutputsMayNotAliasInputsOrEachOther) {
  acnn_model *model;
  ASSERT_EQ(acnn_model_bind("acnn-model 1\nname two\ninput x f32 1 4\noutput a f32 1 4\n"
                            "output b f32 1 4\narena 0\n",
                            twoOutputsEntry, &model),
            ACNN_OK);
  int64_t shape[1] = {4};
  std::vector<float> buffer(12, -1);
  float *x = buffer.data();
  for (int i = 0; i < 4; ++i)
    x[i] = float(i + 1);
  acnn_tensor in = {ACNN_F32, 1, shape, x};
  acnn_tensor out[2] = {{ACNN_F32, 1, shape, x + 4}, {ACNN_F32, 1, shape, x + 6}};
  EXPECT_EQ(acnn_model_run(model, &in, 1, out, 2), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "output 'b': data overlaps output 'a'"));
  out[1].data = x + 4; // the very same buffer
  EXPECT_EQ(acnn_model_run(model, &in, 1, out, 2), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "output 'b': data overlaps output 'a'"));
  out[0].data = x; // in place
  out[1].data = x + 8;
  EXPECT_EQ(acnn_model_run(model, &in, 1, out, 2), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "output 'a': data overlaps input 'x'"));
  out[0].data = x + 3; // its last float would be x's
  EXPECT_EQ(acnn_model_run(model, &in, 1, out, 2), ACNN_ERROR_INVALID_ARGUMENT);
  for (int i = 4; i < 12; ++i)
    ASSERT_EQ(buffer[i], -1.0f) << "a refused run wrote at " << i;
  out[0].data = x + 4; // adjacent is fine
  ASSERT_EQ(acnn_model_run(model, &in, 1, out, 2), ACNN_OK) << lastError();
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(buffer[4 + i], x[i]);
    EXPECT_EQ(buffer[8 + i], 2 * x[i]);
  }
  acnn_model_free(model);
}

TEST(RuntimeMisuse, InputsMayAliasEachOther) {
  FakeModel m;
  FakeTensors t;
  t.inputs[1].data = t.x.data(); // the bias is x's first row
  ASSERT_EQ(t.run(m.model), ACNN_OK) << lastError();
  for (int i = 0; i < 24; ++i)
    ASSERT_EQ(t.y[i], t.x[i] + 1 + t.x[i % 3]) << "at " << i;
}

TEST(RuntimeMisuse, DataMustBeAlignedForF32) {
  FakeModel m;
  // Room to slide every tensor by up to 7 bytes.
  alignas(64) unsigned char x[24 * 4 + 8], bias[3 * 4 + 8], y[24 * 4 + 8];
  FakeTensors t;
  for (int offset = 1; offset < 8; ++offset) {
    SCOPED_TRACE(offset);
    std::memcpy(x + offset, t.x.data(), 24 * 4);
    std::memcpy(bias + offset, t.bias.data(), 3 * 4);
    std::memset(y, 0, sizeof y);
    t.inputs[0].data = x + offset;
    t.inputs[1].data = bias + offset;
    t.outputs[0].data = y + offset;
    acnn_status status = t.run(m.model);
    if (offset % 4 != 0) {
      EXPECT_EQ(status, ACNN_ERROR_INVALID_ARGUMENT);
      EXPECT_TRUE(contains(lastError(), "input 'x': data "));
      EXPECT_TRUE(contains(lastError(), "is not aligned to 4 bytes"));
      // The first misaligned tensor is named, output or input.
      t.inputs[0].data = x + 4;
      t.inputs[1].data = bias + 4;
      EXPECT_EQ(t.run(m.model), ACNN_ERROR_INVALID_ARGUMENT);
      EXPECT_TRUE(contains(lastError(), "output 'y': data "));
      continue;
    }
    // 4 bytes past a 64-byte boundary: aligned for f32, for no vector.
    ASSERT_EQ(status, ACNN_OK) << lastError();
    std::memcpy(t.y.data(), y + offset, 24 * 4);
    t.expectComputed();
  }
}

TEST(RuntimeMisuse, I64DataMustBeAlignedTo8Bytes) {
  ArgmaxModel m;
  ArgmaxTensors t;
  // 4 bytes past an 8-byte boundary: aligned for f32, not for i64.
  alignas(64) unsigned char offset[8 + 8], index[8 * 8 + 8];
  std::memcpy(offset + 4, t.offset.data(), 8);
  t.inputs[1].data = offset + 4;
  EXPECT_EQ(t.run(m.model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "input 'offset': data "));
  EXPECT_TRUE(contains(lastError(), "is not aligned to 8 bytes, as i64 data must be"));
  t.inputs[1].data = t.offset.data();
  t.outputs[1].data = index + 4;
  EXPECT_EQ(t.run(m.model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "output 'index': data "));
  EXPECT_TRUE(contains(lastError(), "is not aligned to 8 bytes"));
  for (int64_t v : t.index)
    ASSERT_EQ(v, -1); // never ran
  // 8 bytes past a 64-byte boundary is enough.
  t.outputs[1].data = index + 8;
  ASSERT_EQ(t.run(m.model), ACNN_OK) << lastError();
  std::memcpy(t.index.data(), index + 8, 8 * 8);
  t.expectComputed();
}

TEST(RuntimeMisuse, OverlapCountsEightBytesAnI64Element) {
  ArgmaxModel m;
  ArgmaxTensors t;
  // index takes 64 bytes: max 32 bytes in overlaps it, though it would not
  // if elements were 4 bytes.
  alignas(64) unsigned char buffer[64 + 32];
  t.outputs[1].data = buffer;
  t.outputs[0].data = buffer + 32;
  EXPECT_EQ(t.run(m.model), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "output 'index': data overlaps output 'max'"));
  t.outputs[0].data = buffer + 64; // adjacent
  ASSERT_EQ(t.run(m.model), ACNN_OK) << lastError();
  std::memcpy(t.index.data(), buffer, 64);
  std::memcpy(t.max.data(), buffer + 64, 32);
  t.expectComputed();
}

TEST(RuntimeMisuse, NanAndInfinityFlowThrough) {
  FakeModel m;
  FakeTensors t;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  t.x[0] = nan;
  t.x[1] = inf;
  t.x[3] = -inf;
  t.x[4] = std::numeric_limits<float>::max();
  t.bias[2] = nan;
  ASSERT_EQ(t.run(m.model), ACNN_OK) << lastError();
  EXPECT_TRUE(std::isnan(t.y[0]));
  EXPECT_EQ(t.y[1], inf);
  EXPECT_EQ(t.y[3], -inf);
  EXPECT_EQ(t.y[4], std::numeric_limits<float>::max()); // + 21 rounds back
  for (int i = 0; i < 24; ++i) {
    if (i % 3 == 2) {
      EXPECT_TRUE(std::isnan(t.y[i])) << "at " << i; // + NaN bias
    } else if (i > 4) {
      EXPECT_EQ(t.y[i], t.x[i] + 1 + t.bias[i % 3]) << "at " << i;
    }
  }
  // Nothing sticks: the arena's NaNs are overwritten by the next run.
  FakeTensors finite;
  ASSERT_EQ(finite.run(m.model), ACNN_OK);
  finite.expectComputed();
}

} // namespace
