// libacnnrt: binding and running a model, argument checks and metadata
// parsing, against FakeModel.c bound in process.
#include "RuntimeTestUtils.h"

#include <cstring>
#include <thread>

using namespace acnn::testing;

namespace {

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

// ---- i64 tensors ------------------------------------------------------------

TEST(Runtime, DtypeSizesAndNames) {
  EXPECT_EQ(acnn_dtype_size(ACNN_F32), 4u);
  EXPECT_EQ(acnn_dtype_size(ACNN_I64), 8u);
  EXPECT_EQ(acnn_dtype_size(static_cast<acnn_dtype>(2)), 0u);
  EXPECT_EQ(acnn_dtype_size(static_cast<acnn_dtype>(-1)), 0u);
  EXPECT_STREQ(acnn_dtype_name(ACNN_F32), "f32");
  EXPECT_STREQ(acnn_dtype_name(ACNN_I64), "i64");
  EXPECT_STREQ(acnn_dtype_name(static_cast<acnn_dtype>(2)), "unknown");
  EXPECT_STREQ(acnn_dtype_name(static_cast<acnn_dtype>(-1)), "unknown");
}

TEST(Runtime, DtypeQueriesReadTheMetadata) {
  ArgmaxModel m;
  ASSERT_NE(m.model, nullptr) << lastError();
  acnn_dtype dtype;
  ASSERT_EQ(acnn_model_input_dtype(m.model, 0, &dtype), ACNN_OK);
  EXPECT_EQ(dtype, ACNN_F32);
  ASSERT_EQ(acnn_model_input_dtype(m.model, 1, &dtype), ACNN_OK);
  EXPECT_EQ(dtype, ACNN_I64);
  ASSERT_EQ(acnn_model_output_dtype(m.model, 0, &dtype), ACNN_OK);
  EXPECT_EQ(dtype, ACNN_F32);
  ASSERT_EQ(acnn_model_output_dtype(m.model, 1, &dtype), ACNN_OK);
  EXPECT_EQ(dtype, ACNN_I64);
  EXPECT_EQ(acnn_model_output_dtype(m.model, 2, &dtype), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "output index 2 is out of range (model 'fake_argmax' has 2"));
  EXPECT_EQ(acnn_model_input_dtype(m.model, 0, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "acnn_model_input_dtype: dtype is NULL"));
  EXPECT_EQ(acnn_model_output_dtype(m.model, 0, nullptr), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "acnn_model_output_dtype: dtype is NULL"));
  const char *name;
  ASSERT_EQ(acnn_model_output(m.model, 1, &name, nullptr, nullptr), ACNN_OK);
  EXPECT_STREQ(name, "index");
}

TEST(Runtime, RunsAModelWithI64InputsAndOutputs) {
  ArgmaxModel m;
  for (int64_t offset : {int64_t(0), int64_t(-7), int64_t(1) << 40}) {
    ArgmaxTensors t;
    t.offset[0] = offset;
    ASSERT_EQ(t.run(m.model), ACNN_OK) << lastError();
    t.expectComputed();
  }
}

TEST(Runtime, RunRejectsAnI64TensorGivenAsF32AndBack) {
  ArgmaxModel m;
  ArgmaxTensors t;
  t.outputs[1].dtype = ACNN_F32;
  EXPECT_EQ(t.run(m.model), ACNN_ERROR_DTYPE_MISMATCH);
  EXPECT_TRUE(contains(lastError(), "output 'index': dtype i64 expected, got dtype f32"));
  t.outputs[1].dtype = ACNN_I64;
  t.outputs[0].dtype = ACNN_I64;
  EXPECT_EQ(t.run(m.model), ACNN_ERROR_DTYPE_MISMATCH);
  EXPECT_TRUE(contains(lastError(), "output 'max': dtype f32 expected, got dtype i64"));
  t.outputs[0].dtype = ACNN_F32;
  t.inputs[1].dtype = static_cast<acnn_dtype>(9);
  EXPECT_EQ(t.run(m.model), ACNN_ERROR_DTYPE_MISMATCH);
  EXPECT_TRUE(contains(lastError(), "input 'offset': dtype i64 expected, got dtype 9"));
  for (int64_t v : t.index)
    ASSERT_EQ(v, -1); // never ran
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
  acnn_dtype dtype = ACNN_I64;
  EXPECT_EQ(acnn_model_input_dtype(nullptr, 0, &dtype), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "acnn_model_input_dtype: model is NULL"));
  EXPECT_EQ(acnn_model_output_dtype(nullptr, 0, &dtype), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "acnn_model_output_dtype: model is NULL"));
  EXPECT_EQ(dtype, ACNN_I64); // untouched
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
  expectRejected(m.model, t, ACNN_ERROR_DTYPE_MISMATCH,
                 "output 'y': dtype f32 expected, got dtype 3");
  t.outputs[0].dtype = ACNN_F32;
  t.inputs[0].dtype = ACNN_I64;
  expectRejected(m.model, t, ACNN_ERROR_DTYPE_MISMATCH,
                 "input 'x': dtype f32 expected, got dtype i64");
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
  acnn_dtype dtype;
  EXPECT_EQ(acnn_model_input_dtype(m.model, 2, &dtype), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(lastError(), "input index 2 is out of range (model 'fake' has 2 inputs)"));
  EXPECT_EQ(acnn_model_output_dtype(m.model, -1, &dtype), ACNN_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(
      contains(lastError(), "output index -1 is out of range (model 'fake' has 1 outputs)"));
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
        BadMeta{HEAD "output y f16 1 4\narena 0\n", "dtype 'f16' is not supported (f32 or i64)"},
        BadMeta{HEAD "output y i32 1 4\narena 0\n", "line 3 ('output y i32 1 4'): dtype 'i32'"},
        BadMeta{HEAD "input x I64 1 4\n" TAIL, "dtype 'I64' is not supported"},
        BadMeta{HEAD "output y i64 2 1000000000 1500000000\narena 0\n",
                "more than 1152921504606846975 i64 elements"},
        BadMeta{HEAD "output y f32\narena 0\n", "expected 'output <name> <dtype> <rank>"},
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

TEST(Runtime, ElementLimitIsPerDtype) {
  // 1.5e18 elements: too many 8-byte ones for a ptrdiff_t, not 4-byte ones.
  acnn_model *model;
  ASSERT_EQ(
      acnn_model_bind(HEAD "output y f32 2 1000000000 1500000000\narena 0\n", nothing, &model),
      ACNN_OK)
      << lastError();
  acnn_model_free(model);
}

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

} // namespace
