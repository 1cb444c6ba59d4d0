// Models loaded from shared libraries (acnn_model_open) and the acnn-run
// tool, with FakeModel.c built as a shared-library model.
#include "RuntimeTestUtils.h"

#include "acnn/npy.h"

#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fstream>
#include <gnu/libc-version.h>
#include <iterator>
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
  // A function of libc no sanitizer intercepts (strlen's address would be the
  // test's own under ASan).
  ASSERT_NE(dladdr(reinterpret_cast<void *>(&gnu_get_libc_version), &libc), 0);
  acnn_model *model;
  EXPECT_EQ(acnn_model_open(libc.dli_fname, &model), ACNN_ERROR_INVALID_MODEL);
  EXPECT_TRUE(contains(lastError(), "does not export acnn_model_meta"));
}

// ---- libraries acnn_model_open must refuse ------------------------------------

// A library of another ABI: each refused with a message naming the file and
// the reason.
TEST(Runtime, OpenRefusesMetadataOfAnotherVersion) {
  acnn_model *model = reinterpret_cast<acnn_model *>(1);
  EXPECT_EQ(acnn_model_open(FAKE_MODEL_V2_SO, &model), ACNN_ERROR_INVALID_MODEL);
  EXPECT_EQ(model, nullptr);
  EXPECT_TRUE(contains(lastError(), FAKE_MODEL_V2_SO));
  EXPECT_TRUE(contains(lastError(), "metadata version '2' is not supported (this runtime reads "
                                    "version 1"));
}

TEST(Runtime, OpenRefusesALibraryWithoutTheEntry) {
  acnn_model *model;
  EXPECT_EQ(acnn_model_open(FAKE_MODEL_NO_ENTRY_SO, &model), ACNN_ERROR_INVALID_MODEL);
  EXPECT_TRUE(contains(lastError(), FAKE_MODEL_NO_ENTRY_SO));
  EXPECT_TRUE(contains(lastError(), "does not export acnn_model_entry"));
}

TEST(Runtime, OpenRefusesALibraryNeedingANewerRuntime) {
  acnn_model *model;
  EXPECT_EQ(acnn_model_open(FAKE_MODEL_NEWER_RUNTIME_SO, &model), ACNN_ERROR_INVALID_MODEL);
  EXPECT_TRUE(contains(lastError(), FAKE_MODEL_NEWER_RUNTIME_SO));
  EXPECT_TRUE(contains(lastError(), "undefined symbol: acnn_runtime_of_the_future"));
  EXPECT_TRUE(contains(lastError(), "needs a runtime function this program does not export"));
}

// Damaged files, written per test into their own directory.
class DamagedLibrary : public ::testing::Test {
protected:
  std::string dir = std::string(ACNN_BINARY_DIR) + "/tests/runtime-test/" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::vector<char> good;

  void SetUp() override {
    mkdir((std::string(ACNN_BINARY_DIR) + "/tests").c_str(), 0755);
    mkdir((std::string(ACNN_BINARY_DIR) + "/tests/runtime-test").c_str(), 0755);
    mkdir(dir.c_str(), 0755);
    std::ifstream in(FAKE_MODEL_SO, std::ios::binary);
    good.assign(std::istreambuf_iterator<char>(in), {});
    ASSERT_GT(good.size(), sizeof(Elf64_Ehdr));
  }

  std::string write(const std::string &name, const std::vector<char> &bytes) {
    std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    return path;
  }

  // Opens `bytes` as a library: refused with ACNN_ERROR_INVALID_MODEL and a
  // message naming the file and containing `reason`.
  void expectRefused(const std::string &name, const std::vector<char> &bytes,
                     const std::string &reason) {
    std::string path = write(name, bytes);
    acnn_model *model = reinterpret_cast<acnn_model *>(1);
    EXPECT_EQ(acnn_model_open(path.c_str(), &model), ACNN_ERROR_INVALID_MODEL) << name;
    EXPECT_EQ(model, nullptr);
    EXPECT_TRUE(contains(lastError(), "cannot load model " + path + ": " + reason)) << name;
  }

  // The library's ELF structures, to damage one of them.
  Elf64_Ehdr &header(std::vector<char> &bytes) {
    return *reinterpret_cast<Elf64_Ehdr *>(bytes.data());
  }
  Elf64_Phdr *segments(std::vector<char> &bytes) {
    return reinterpret_cast<Elf64_Phdr *>(bytes.data() + header(bytes).e_phoff);
  }
  Elf64_Phdr *segment(std::vector<char> &bytes, uint32_t type, uint32_t flags = 0) {
    for (int i = 0; i < header(bytes).e_phnum; ++i)
      if (segments(bytes)[i].p_type == type && (segments(bytes)[i].p_flags & flags) == flags)
        return &segments(bytes)[i];
    return nullptr;
  }
  // The file bytes behind an address of the image.
  char *at(std::vector<char> &bytes, uint64_t addr) {
    for (int i = 0; i < header(bytes).e_phnum; ++i) {
      const Elf64_Phdr &p = segments(bytes)[i];
      if (p.p_type == PT_LOAD && addr >= p.p_vaddr && addr < p.p_vaddr + p.p_filesz)
        return bytes.data() + p.p_offset + (addr - p.p_vaddr);
    }
    return nullptr;
  }
  Elf64_Dyn *dynamic(std::vector<char> &bytes, int64_t tag) {
    auto *d = reinterpret_cast<Elf64_Dyn *>(bytes.data() + segment(bytes, PT_DYNAMIC)->p_offset);
    for (; d->d_tag != DT_NULL; ++d)
      if (d->d_tag == tag)
        return d;
    return nullptr;
  }
};

// The loader maps segments past the end of a truncated file and crashes
// (SIGBUS) on touching them, as an interrupted copy would make it do.
TEST_F(DamagedLibrary, TruncatedIsRefusedAtAnyLength) {
  // Every byte through the headers, then a stride through the rest.
  for (size_t length = 1; length < good.size(); length += length < 256 ? 1 : 61) {
    std::vector<char> cut(good.begin(), good.begin() + std::ptrdiff_t(length));
    std::string path = write("cut.so", cut);
    acnn_model *model;
    ASSERT_EQ(acnn_model_open(path.c_str(), &model), ACNN_ERROR_INVALID_MODEL) << length;
    ASSERT_TRUE(contains(lastError(), "cannot load model " + path + ": ")) << length;
    ASSERT_TRUE(std::regex_search(lastError(), std::regex("truncated|no ELF header")))
        << lastError();
  }
}

TEST_F(DamagedLibrary, NotALibraryIsRefused) {
  expectRefused("empty.so", {}, "the file is empty");
  std::string text = "not a library\n";
  expectRefused("text.so", std::vector<char>(text.begin(), text.end()),
                "not a shared library (no ELF header)");
  std::vector<char> bytes = good;
  header(bytes).e_ident[EI_CLASS] = ELFCLASS32;
  expectRefused("class.so", bytes, "built for 32-bit programs, this one is 64-bit");
  bytes = good;
  header(bytes).e_ident[EI_DATA] = ELFDATA2MSB;
  expectRefused("order.so", bytes, "built for a machine of the other byte order");
  bytes = good;
  header(bytes).e_machine = header(bytes).e_machine == EM_X86_64 ? EM_AARCH64 : EM_X86_64;
  expectRefused("machine.so", bytes, "built for another machine (ELF machine");
  bytes = good;
  header(bytes).e_type = ET_EXEC;
  expectRefused("exec.so", bytes, "not a shared library (ELF type 2)");

  acnn_model *model;
  EXPECT_EQ(acnn_model_open(dir.c_str(), &model), ACNN_ERROR_IO);
  EXPECT_TRUE(contains(lastError(), dir + ": it is a directory"));
}

// What glibc's loader would follow off the file or into the wrong memory:
// each refused before dlopen sees it.
TEST_F(DamagedLibrary, DamagedStructureIsRefused) {
  std::vector<char> bytes = good;
  Elf64_Phdr *data = segment(bytes, PT_LOAD, PF_W);
  ASSERT_NE(data, nullptr);
  data->p_filesz += good.size();
  expectRefused("segment.so", bytes, "the file is truncated: segment ");

  bytes = good;
  header(bytes).e_phoff = good.size() - 8;
  expectRefused("phdrs.so", bytes, "the file is truncated: the program header table ends");

  bytes = good;
  ASSERT_NE(dynamic(bytes, DT_STRTAB), nullptr);
  dynamic(bytes, DT_STRTAB)->d_un.d_ptr = 0x7fff0000;
  expectRefused("strtab.so", bytes, "the library is damaged: its string table");

  bytes = good;
  ASSERT_NE(dynamic(bytes, DT_RELASZ), nullptr);
  dynamic(bytes, DT_RELAENT)->d_un.d_val = 7; // glibc asserts, aborting the program
  expectRefused("relaent.so", bytes, "the library is damaged: dynamic entry 9 says");

  // A relocation into the read-only first segment.
  bytes = good;
  auto *rela = reinterpret_cast<Elf64_Rela *>(at(bytes, dynamic(bytes, DT_RELA)->d_un.d_ptr));
  ASSERT_NE(rela, nullptr);
  rela->r_offset = 0x10;
  expectRefused("reloc.so", bytes,
                "the library is damaged: relocation 0 writes outside its writable segments");

  // The constructor the loader calls, moved out of the code.
  bytes = good;
  ASSERT_NE(dynamic(bytes, DT_INIT_ARRAY), nullptr);
  uint64_t slot = dynamic(bytes, DT_INIT_ARRAY)->d_un.d_ptr;
  rela = reinterpret_cast<Elf64_Rela *>(at(bytes, dynamic(bytes, DT_RELA)->d_un.d_ptr));
  uint64_t count = dynamic(bytes, DT_RELASZ)->d_un.d_val / sizeof *rela;
  bool moved = false;
  for (uint64_t i = 0; i < count; ++i)
    if (rela[i].r_offset == slot) {
      rela[i].r_addend = 0x10;
      moved = true;
    }
  ASSERT_TRUE(moved) << "no relocation of the init array";
  expectRefused("init.so", bytes,
                "the library is damaged: init or fini array entry 0 is outside its code");
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
  EXPECT_TRUE(contains(r.output, "y: f32 [2, 4, 3] -> " + y));
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
  EXPECT_TRUE(contains(r.output, "total ms    median ms  % of run"));
  // Calls, total ms, median ms a run, share.
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\nadd_one +4 +[0-9.]+ +[0-9.]+ +[0-9.]+%")))
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

// The fake_argmax library: an i64 input read from an f32 .npy (or any other
// the reader takes), an i64 output written as '<i8'.
TEST_F(AcnnRun, I64InputsAndOutputs) {
  ArgmaxTensors a;
  std::string offset = dir + "/offset.npy", index = dir + "/index.npy", max = dir + "/max.npy";
  char err[256];
  ASSERT_EQ(acnn_npy_write(x.c_str(), a.x.data(), a.xShape, 3, err, sizeof err), 0) << err;
  ASSERT_EQ(acnn_npy_write_i64(offset.c_str(), a.offset.data(), a.offsetShape, 1, err, sizeof err),
            0)
      << err;
  RunResult r = acnnRun(std::string(FAKE_MODEL_ARGMAX_SO) + " --input " + x + " --input " + offset +
                        " --output index=" + index + " --output max=" + max);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "max: f32 [2, 4] -> " + max));
  EXPECT_TRUE(contains(r.output, "index: i64 [2, 4] -> " + index));
  std::ifstream in(index, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(bytes.size(), 8u * 8);
  size_t start = bytes.size() - 8 * 8; // the data ends the file
  EXPECT_TRUE(contains(bytes.substr(0, start), "'descr': '<i8'"));
  std::memcpy(a.index.data(), bytes.data() + start, 8 * 8); // little-endian, as the host
  acnn_npy_array m;
  ASSERT_EQ(acnn_npy_read(max.c_str(), &m, err, sizeof err), 0) << err;
  a.max.assign(m.data, m.data + 8);
  acnn_npy_free(&m);
  a.expectComputed();

  // An f32 file with a fraction is no i64 input.
  std::vector<float> half = {1.5f};
  write(offset, half, a.offsetShape, 1);
  r = acnnRun(std::string(FAKE_MODEL_ARGMAX_SO) + " --input " + x + " --input " + offset);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, offset + ": value 1.5 at element 0 is not an integer, as input "
                                          "'offset' (i64) needs"));
}

} // namespace
