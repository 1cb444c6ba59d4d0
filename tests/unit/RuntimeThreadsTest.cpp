// The thread count libacnnrt hands generated code (acnn_context_num_threads)
// and per-kernel profiling, against entries written to probe them.
#include "RuntimeTestUtils.h"

#include <sched.h>
#include <string>

using namespace acnn::testing;

namespace {

// ---- thread count -----------------------------------------------------------

// What generated code does at the start of a run: read the thread count its
// parallel regions fork.
int32_t seenThreads = 0;

// args: the output y, the arena, the context.
extern "C" void threadsEntry(void **args) {
  seenThreads = acnn_context_num_threads(static_cast<acnn_context *>(args[2]));
}

int32_t threadsOfRun(acnn_model *model) {
  float y = 0;
  int64_t shape[1] = {1};
  acnn_tensor out = {ACNN_F32, 1, shape, &y};
  seenThreads = 0;
  EXPECT_EQ(acnn_model_run(model, nullptr, 0, &out, 1), ACNN_OK) << lastError();
  return seenThreads;
}

int32_t availableCpus() {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
}

TEST(Runtime, RunsOnTheThreadsItIsGiven) {
  acnn_model *model;
  ASSERT_EQ(
      acnn_model_bind("acnn-model 1\nname t\noutput y f32 1 1\narena 0\n", threadsEntry, &model),
      ACNN_OK);
  EXPECT_EQ(threadsOfRun(model), availableCpus()); // no `threads` record: every CPU
  for (int32_t threads : {1, 2, 3, 16}) {
    ASSERT_EQ(acnn_model_set_num_threads(model, threads), ACNN_OK);
    EXPECT_EQ(acnn_model_num_threads(model), threads);
    EXPECT_EQ(threadsOfRun(model), threads);
  }
  acnn_model_free(model);
  EXPECT_EQ(acnn_context_num_threads(nullptr), 1);
  EXPECT_EQ(acnn_model_num_threads(nullptr), -1);
}

TEST(Runtime, DefaultsToTheThreadsItWasCompiledFor) {
  acnn_model *model;
  ASSERT_EQ(acnn_model_bind("acnn-model 1\nname t\noutput y f32 1 1\narena 0\nthreads 1\n",
                            threadsEntry, &model),
            ACNN_OK);
  EXPECT_EQ(threadsOfRun(model), 1);
  acnn_model_free(model);
  // More than the CPUs this process may use: capped to them.
  ASSERT_EQ(acnn_model_bind("acnn-model 1\nname t\noutput y f32 1 1\narena 0\nthreads 1024\n",
                            threadsEntry, &model),
            ACNN_OK);
  EXPECT_EQ(threadsOfRun(model), availableCpus());
  acnn_model_free(model);
}

TEST(Runtime, RejectsABadThreadsRecord) {
  acnn_model *model = nullptr;
  for (const char *record : {"threads 0\n", "threads 1025\n", "threads two\n", "threads 1 2\n",
                             "threads 2\nthreads 2\n"}) {
    std::string meta = std::string("acnn-model 1\nname t\noutput y f32 1 1\narena 0\n") + record;
    EXPECT_EQ(acnn_model_bind(meta.c_str(), threadsEntry, &model), ACNN_ERROR_INVALID_MODEL)
        << record;
    EXPECT_NE(std::string(acnn_last_error()).find("threads"), std::string::npos)
        << acnn_last_error();
  }
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

} // namespace
