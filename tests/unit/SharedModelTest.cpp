// Models loaded from shared libraries (acnn_model_open) and the acnn-run
// tool, with FakeModel.c built as a shared-library model.
#include "RuntimeTestUtils.h"

#include "acnn/npy.h"

#include <cstdio>
#include <dlfcn.h>
#include <regex>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace acnn::testing;

namespace {

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
  EXPECT_TRUE(contains(r.output, "threads: 2, cpu time: ")) << r.output;
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
