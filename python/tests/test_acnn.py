"""Tests of the acnn Python package against a real compiled model.

Run from the repository root, with the build's tools:
    ACNN_ACNNC=build/bin/acnnc ACNN_RUNTIME_LIBRARY=build/runtime/libacnnrt.so \
        /usr/bin/python3 -m unittest discover -s python/tests
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the package in python/, not an installed one

import acnn  # noqa: E402

MODELS = os.path.join(HERE, os.pardir, os.pardir, "tests", "models")


def rel_l2(actual, expected):
    return float(np.linalg.norm(actual - expected) / np.linalg.norm(expected))


class ModelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Compiling takes about a second: once for the whole class.
        cls.tmp = tempfile.mkdtemp(prefix="acnn-test-")
        cls.so = acnn.compile(os.path.join(MODELS, "se_resnet.onnx"),
                              os.path.join(cls.tmp, "se_resnet.so"), threads=2)
        cls.x = np.load(os.path.join(MODELS, "se_resnet.input.npy"))
        cls.expected = np.load(os.path.join(MODELS, "se_resnet.output.npy"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.model = acnn.load(self.so)
        self.addCleanup(self.model.close)

    def test_compile_returns_the_output_path(self):
        self.assertEqual(self.so, os.path.join(self.tmp, "se_resnet.so"))
        self.assertTrue(os.path.isfile(self.so))

    def test_metadata(self):
        m = self.model
        self.assertEqual(m.name, "se_resnet")
        self.assertEqual(m.inputs, [acnn.TensorInfo("input", self.x.shape, "float32")])
        self.assertEqual(m.outputs, [acnn.TensorInfo("output", self.expected.shape, "float32")])
        self.assertGreater(m.num_kernels, 0)

    def test_call_matches_reference(self):
        y = self.model(self.x)
        self.assertIsInstance(y, np.ndarray)
        self.assertEqual((y.shape, y.dtype), (self.expected.shape, np.float32))
        self.assertLess(rel_l2(y, self.expected), 1e-4)

    def test_converts_dtype_and_layout(self):
        # float64 and a non-contiguous view both become contiguous float32.
        x64 = np.asfortranarray(self.x.astype(np.float64))
        self.assertLess(rel_l2(self.model(x64), self.expected), 1e-4)

    def test_run_dict(self):
        out = self.model.run({"input": self.x})
        self.assertEqual(list(out), ["output"])
        self.assertLess(rel_l2(out["output"], self.expected), 1e-4)

    def test_run_dict_names_missing_and_unknown_inputs(self):
        with self.assertRaisesRegex(acnn.Error, r"missing input\(s\) 'input'.*unknown input\(s\) 'x'"):
            self.model.run({"x": self.x})

    def test_threads(self):
        m = self.model
        m.num_threads = 1
        self.assertEqual(m.num_threads, 1)
        y1 = m(self.x)
        m.num_threads = 2
        self.assertEqual(m.num_threads, 2)
        y2 = m(self.x)
        np.testing.assert_allclose(y1, y2, rtol=1e-5, atol=1e-6)
        with self.assertRaises(acnn.Error):
            m.num_threads = 0
        with acnn.load(self.so, threads=1) as m1:
            self.assertEqual(m1.num_threads, 1)

    def test_profile(self):
        m = self.model
        with self.assertRaisesRegex(acnn.Error, "enable_profiling"):
            m.profile()
        m(self.x)  # not counted: profiling starts below
        m.enable_profiling(True)
        runs = 3
        for _ in range(runs):
            m(self.x)
        rows = m.profile()
        self.assertEqual(len(rows), m.num_kernels)
        self.assertTrue(all(r.calls == runs for r in rows), rows)
        times = [r.total_ms for r in rows]
        self.assertEqual(times, sorted(times, reverse=True))
        self.assertGreater(sum(times), 0)
        self.assertIn(rows[0].kernel, m.profile_table())
        m.enable_profiling(True)  # enabling again resets the counters
        self.assertTrue(all(r.calls == 0 for r in m.profile()))

    def test_wrong_shape(self):
        with self.assertRaisesRegex(acnn.Error, r"'input' must have shape \(1, 3, 32, 32\), "
                                                r"got \(1, 3, 16, 16\)"):
            self.model(np.zeros((1, 3, 16, 16), np.float32))

    def test_wrong_input_count(self):
        with self.assertRaisesRegex(acnn.Error, r"takes 1 input"):
            self.model(self.x, self.x)

    def test_closed_model_raises(self):
        m = acnn.load(self.so)
        with m:
            m(self.x)
        self.assertTrue(m.closed)
        m.close()  # closing twice is harmless
        with self.assertRaisesRegex(acnn.Error, "closed"):
            m(self.x)
        with self.assertRaisesRegex(acnn.Error, "closed"):
            m.num_threads


@unittest.skipUnless(os.environ.get("ACNN_FAKE_ARGMAX_MODEL"),
                     "ACNN_FAKE_ARGMAX_MODEL (build/tests/unit/libfake-model-argmax.so) unset")
class Int64Test(unittest.TestCase):
    """int64 inputs and outputs, with the runtime tests' hand-written model
    (tests/unit/FakeModel.c): over x's last axis, max and offset + argmax."""

    def setUp(self):
        self.model = acnn.load(os.environ["ACNN_FAKE_ARGMAX_MODEL"])
        self.addCleanup(self.model.close)
        self.x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype(np.float32)

    def test_metadata_names_the_dtypes(self):
        self.assertEqual(self.model.inputs, [acnn.TensorInfo("x", (2, 4, 3), "float32"),
                                             acnn.TensorInfo("offset", (1,), "int64")])
        self.assertEqual(self.model.outputs, [acnn.TensorInfo("max", (2, 4), "float32"),
                                              acnn.TensorInfo("index", (2, 4), "int64")])

    def test_outputs_have_their_dtypes(self):
        offset = (1 << 40) + 1  # not exact as a float32
        for given in (np.array([offset], np.int64), [offset], np.array([offset], np.uint64)):
            top, index = self.model(self.x, given)
            self.assertEqual(index.dtype, np.int64)
            self.assertEqual(top.dtype, np.float32)
            np.testing.assert_array_equal(index, offset + self.x.argmax(axis=-1))
            np.testing.assert_array_equal(top, self.x.max(axis=-1))
        out = self.model.run({"x": self.x, "offset": np.array([2.0])})  # whole floats convert
        np.testing.assert_array_equal(out["index"], 2 + self.x.argmax(axis=-1))

    def test_fractional_values_are_no_int64_input(self):
        with self.assertRaisesRegex(acnn.Error, r"input 'offset' is int64, got float64 values "
                                                r"that are not all integers"):
            self.model(self.x, np.array([1.5]))


class ErrorTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="acnn-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_compile_missing_file(self):
        with self.assertRaisesRegex(acnn.Error, "does not exist"):
            acnn.compile(os.path.join(self.tmp, "nope.onnx"))

    def test_compile_malformed_file(self):
        bad = os.path.join(self.tmp, "bad.onnx")
        with open(bad, "w") as f:
            f.write("not a model\n")
        with self.assertRaisesRegex(acnn.Error, "not a valid ONNX model"):
            acnn.compile(bad)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad.so")))

    def test_load_non_model(self):
        # A file that is not a shared library, and one that is but no model.
        text = os.path.join(self.tmp, "text.so")
        with open(text, "w") as f:
            f.write("hello\n")
        with self.assertRaisesRegex(acnn.Error, "cannot load model"):
            acnn.load(text)
        with self.assertRaisesRegex(acnn.Error, "does not export"):
            acnn.load(acnn.runtime_path())

    def test_load_missing_file(self):
        with self.assertRaises(acnn.Error):
            acnn.load(os.path.join(self.tmp, "missing.so"))


class LocateTest(unittest.TestCase):
    """Where acnn finds acnnc and libacnnrt.so when the environment names
    neither; run in a child process with ACNN_* unset."""

    def setUp(self):
        self.acnnc = acnn.acnnc_path()  # what the caller pointed at
        self.runtime = acnn.runtime_path()
        self.tmp = tempfile.mkdtemp(prefix="acnn-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def locate(self, package_parent, path):
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACNN_")}
        env.update(PYTHONPATH=package_parent, PATH=path)
        code = "import acnn; print(acnn.acnnc_path()); print(acnn.runtime_path())"
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, cwd=self.tmp)
        if done.returncode != 0:
            return done.stderr.strip().splitlines()[-1]
        return done.stdout.split()

    def test_acnnc_on_path_and_its_runtime(self):
        # A build tree (build/bin/acnnc beside build/runtime/), on PATH itself
        # or through a symlink in another directory.
        linkdir = os.path.join(self.tmp, "bin")
        os.mkdir(linkdir)
        os.symlink(self.acnnc, os.path.join(linkdir, "acnnc"))
        for bindir in (os.path.dirname(self.acnnc), linkdir):
            found = self.locate(os.path.dirname(HERE), bindir + os.pathsep + "/usr/bin:/bin")
            self.assertEqual([os.path.realpath(p) for p in found],
                             [os.path.realpath(self.acnnc), os.path.realpath(self.runtime)],
                             bindir)

    def test_installed_prefix(self):
        # What cmake --install makes: PREFIX/bin, PREFIX/lib and _installed.py.
        prefix = os.path.join(self.tmp, "prefix")
        os.makedirs(os.path.join(prefix, "bin"))
        os.makedirs(os.path.join(prefix, "lib"))
        os.symlink(self.acnnc, os.path.join(prefix, "bin", "acnnc"))
        os.symlink(self.runtime, os.path.join(prefix, "lib", "libacnnrt.so"))
        packages = os.path.join(self.tmp, "site")
        shutil.copytree(os.path.join(os.path.dirname(HERE), "acnn"),
                        os.path.join(packages, "acnn"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        with open(os.path.join(packages, "acnn", "_installed.py"), "w") as f:
            f.write(f"PREFIX = {prefix!r}\nLIBDIR = 'lib'\n")
        self.assertEqual(self.locate(packages, "/usr/bin:/bin"),
                         [os.path.join(prefix, "bin", "acnnc"),
                          os.path.join(prefix, "lib", "libacnnrt.so")])

    def test_nothing_found(self):
        empty = os.path.join(self.tmp, "empty")
        os.mkdir(empty)
        message = self.locate(os.path.dirname(HERE), empty)
        self.assertIn("cannot find acnnc; tried $ACNN_ACNNC (unset), acnnc on PATH", message)


if __name__ == "__main__":
    unittest.main()
