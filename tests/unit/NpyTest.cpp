// .npy round trip and the errors for files that are not what they claim.
#include "acnn/npy.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <string>

namespace {

std::string tempPath(const char *name) {
  return std::string(ACNN_BINARY_DIR) + "/npy-test-" + name;
}

TEST(Npy, RoundTripKeepsShapeAndData) {
  std::string path = tempPath("roundtrip.npy");
  const float data[6] = {1, -2, 3.5f, 0, 1e-3f, 7};
  const int64_t shape[2] = {2, 3};
  char err[256];
  ASSERT_EQ(acnn_npy_write(path.c_str(), data, shape, 2, err, sizeof err), 0) << err;
  acnn_npy_array a;
  ASSERT_EQ(acnn_npy_read(path.c_str(), &a, err, sizeof err), 0) << err;
  ASSERT_EQ(a.rank, 2);
  EXPECT_EQ(a.shape[0], 2);
  EXPECT_EQ(a.shape[1], 3);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(a.data[i], data[i]);
  acnn_npy_free(&a);
}

TEST(Npy, Int64WriteThenReadBack) {
  std::string path = tempPath("int64-roundtrip.npy");
  const int64_t data[4] = {0, -3, 7, (int64_t(1) << 40) + 1};
  const int64_t shape[2] = {2, 2};
  char err[256];
  ASSERT_EQ(acnn_npy_write_i64(path.c_str(), data, shape, 2, err, sizeof err), 0) << err;
  // The file as NumPy reads it: '<i8', data after a header padded to 64
  // bytes, every bit of 2^40 + 1 kept.
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(bytes.size(), 10u);
  size_t start = 10 + (uint8_t(bytes[8]) | uint8_t(bytes[9]) << 8);
  EXPECT_EQ(start % 64, 0u);
  ASSERT_EQ(bytes.size(), start + sizeof data);
  std::string header = bytes.substr(0, start);
  EXPECT_NE(header.find("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2,), }"),
            std::string::npos)
      << header;
  EXPECT_EQ(header.back(), '\n');
  const unsigned char *raw = reinterpret_cast<const unsigned char *>(bytes.data()) + start;
  for (int i = 0; i < 4; ++i) {
    uint64_t v = 0;
    for (int b = 7; b >= 0; --b) // little-endian whatever the host
      v = v << 8 | raw[i * 8 + b];
    EXPECT_EQ(int64_t(v), data[i]) << "at " << i;
  }
  // Read back (as f32, as every .npy is).
  acnn_npy_array a;
  ASSERT_EQ(acnn_npy_read(path.c_str(), &a, err, sizeof err), 0) << err;
  ASSERT_EQ(a.rank, 2);
  EXPECT_EQ(a.shape[0], 2);
  EXPECT_EQ(a.shape[1], 2);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(a.data[i], float(data[i])) << "at " << i;
  acnn_npy_free(&a);
  EXPECT_NE(acnn_npy_write_i64(path.c_str(), nullptr, shape, 2, err, sizeof err), 0);
  EXPECT_NE(std::string(err).find("acnn_npy_write_i64: invalid argument"), std::string::npos);
}

TEST(Npy, ReadsCommittedPyTorchOutput) {
  acnn_npy_array a;
  char err[256];
  std::string path = std::string(ACNN_SOURCE_DIR) + "/tests/models/se_resnet.output.npy";
  ASSERT_EQ(acnn_npy_read(path.c_str(), &a, err, sizeof err), 0) << err;
  EXPECT_EQ(a.rank, 2);
  EXPECT_EQ(a.shape[1], 10);
  acnn_npy_free(&a);
}

/// Writes a hand-made v1.0 .npy file: the header (padded to 128 bytes) with
/// `descr` and `shape` as Python spells them, then `data` as it is.
void writeNpy(const std::string &path, const std::string &descr, const std::string &shape,
              const std::string &data) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  dict.append(128 - 10 - dict.size() - 1, ' ');
  dict += '\n';
  std::ofstream f(path, std::ios::binary);
  f.write("\x93NUMPY\x01\x00", 8);
  char len[2] = {char(dict.size() & 0xff), char(dict.size() >> 8)};
  f.write(len, 2);
  f << dict << data;
}

TEST(Npy, ConvertsInt64Data) {
  // int64 [3]: 1, -2, 40.
  std::string path = tempPath("int64.npy");
  int64_t values[3] = {1, -2, 40};
  writeNpy(path, "<i8", "(3,)", std::string(reinterpret_cast<const char *>(values), sizeof values));
  acnn_npy_array a;
  char err[256];
  ASSERT_EQ(acnn_npy_read(path.c_str(), &a, err, sizeof err), 0) << err;
  EXPECT_EQ(a.data[0], 1.0f);
  EXPECT_EQ(a.data[1], -2.0f);
  EXPECT_EQ(a.data[2], 40.0f);
  acnn_npy_free(&a);
}

TEST(Npy, ErrorsNameTheFileAndReason) {
  char err[256];
  acnn_npy_array a;
  EXPECT_NE(acnn_npy_read("/nonexistent/x.npy", &a, err, sizeof err), 0);
  EXPECT_NE(std::string(err).find("/nonexistent/x.npy"), std::string::npos);

  std::string garbage = tempPath("garbage.npy");
  std::ofstream(garbage) << "not numpy at all";
  EXPECT_NE(acnn_npy_read(garbage.c_str(), &a, err, sizeof err), 0);
  EXPECT_NE(std::string(err).find("not a .npy file"), std::string::npos);

  // A valid header whose data stops early.
  std::string full = tempPath("full.npy"), cut = tempPath("truncated.npy");
  const float data[4] = {1, 2, 3, 4};
  const int64_t shape[1] = {4};
  ASSERT_EQ(acnn_npy_write(full.c_str(), data, shape, 1, err, sizeof err), 0);
  std::ifstream in(full, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() - 5);
  EXPECT_NE(acnn_npy_read(cut.c_str(), &a, err, sizeof err), 0);
  EXPECT_NE(std::string(err).find("shorter than its shape"), std::string::npos);

  EXPECT_NE(acnn_npy_read(nullptr, &a, err, sizeof err), 0);
}

TEST(Npy, ShapesBeyondTheFileAreRejectedBeforeAllocating) {
  // Found by fuzzing: dims whose product overflows size_t (and one that does
  // not, but needs terabytes) over a few bytes of data. Before, the reader
  // multiplied them unchecked and asked malloc for the wrapped size.
  for (const char *shape : {"(2, 2, 7888888888888888888, 4)", "(1000000, 1000000)"}) {
    std::string path = tempPath("huge.npy");
    writeNpy(path, "<f4", shape, "0123456789abcdef");
    acnn_npy_array a;
    char err[256];
    EXPECT_NE(acnn_npy_read(path.c_str(), &a, err, sizeof err), 0) << shape;
    EXPECT_NE(std::string(err).find("shorter than its shape"), std::string::npos) << err;
  }
}

} // namespace
