// libacnnrt's thread pool (acnn_parallel_for) and per-kernel profiling,
// against entries written to probe them.
#include "RuntimeTestUtils.h"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace acnn::testing;

namespace {

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

} // namespace
