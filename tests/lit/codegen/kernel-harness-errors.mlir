// RUN: printf 'K gather\n' > %t.gather.keys
// RUN: acnn-opt %s -split-input-file -acnn-kernel-harness="keys-file=%t.gather.keys" -verify-diagnostics
// RUN: printf 'K absent\n' > %t.absent.keys
// RUN: not acnn-opt %s -split-input-file -acnn-kernel-harness="keys-file=%t.absent.keys" 2>&1 | FileCheck %s --check-prefix=ABSENT
// RUN: not acnn-opt %s -acnn-kernel-harness="keys-file=%t.missing.keys" 2>&1 | FileCheck %s --check-prefix=FILE

// A key no kernel has, and a keys file that cannot be read.
// ABSENT: error: kernel harness: no kernel has the key 'K absent'
// FILE: error: kernel harness: cannot read '{{.*}}missing.keys':

// A kernel reading indices another kernel computed: random inputs are f32,
// so it cannot be timed alone, and the model is left as it was.
#map = affine_map<(d0) -> (d0)>
module @m {
  func.func @main(%x: tensor<8xf32>, %i: tensor<8xi64>) -> tensor<8xf32> {
    %e = tensor.empty() : tensor<8xf32>
    // expected-error @+1 {{kernel harness: reads a value of type 'tensor<8xi64>' from outside the kernel; harnesses take static f32 tensors}}
    %g = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%i : tensor<8xi64>) outs(%e : tensor<8xf32>) attrs = {acnn.kernel = 0 : i64, acnn.kernel_entry = "gather", acnn.kernel_key = "K gather"} {
    ^bb0(%in: i64, %out: f32):
      %c = arith.index_cast %in : i64 to index
      %v = tensor.extract %x[%c] : tensor<8xf32>
      linalg.yield %v : f32
    } -> tensor<8xf32>
    return %g : tensor<8xf32>
  }
}
