// RUN: echo 'K relu' > %t.relu.keys
// RUN: acnn-opt %s -split-input-file -acnn-kernel-harness="keys-file=%t.relu.keys" | FileCheck %s --check-prefix=ONE
// RUN: printf 'K matmul\nK relu\n' > %t.both.keys
// RUN: acnn-opt %s -split-input-file -acnn-kernel-harness="keys-file=%t.both.keys" | FileCheck %s --check-prefix=TWO

// The first kernel of key "K relu" alone: the matmul's result it reads is
// an argument; its destination, a slice of a tensor nothing in it reads, is
// the same slice of an empty tensor, so it still writes with the model's
// strides; its result, which the model reads on, is the output. The second
// kernel of the key is not in it. The metadata says the new signature.
// ONE-LABEL: module @m
// ONE: func.func @main(%[[IN:.*]]: tensor<1x8xf32> {acnn.name = "input0"}) -> (tensor<1x8xf32> {acnn.name = "output0"}) attributes {keep_me}
// ONE: %[[BIG:.*]] = tensor.empty() : tensor<1x16xf32>
// ONE-NEXT: %[[SLICE:.*]] = tensor.extract_slice %[[BIG]][0, 0] [1, 8] [1, 1]
// ONE: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[IN]] : tensor<1x8xf32>) outs(%[[SLICE]] : tensor<1x8xf32>) attrs = {acnn.kernel = 2 : i64, acnn.kernel_entry = "relu", acnn.kernel_key = "K relu"}
// ONE: return %[[RELU]] : tensor<1x8xf32>
// ONE-NOT: acnn.kernel = 3
// ONE: llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0Ainput input0 f32 2 1 8\0Aoutput output0 f32 2 1 8\0Athreads 2\0A\00")
// ONE-NOT: llvm.mlir.global

// Both keys: the matmul reads the model's input and its accumulator (a fill
// kernel's result: an argument, since the matmul's body reads it), and the
// weights are copied in; the relu reads the matmul's copy. The matmul's
// result is read only inside the harness, so only the relu's is an output.
// TWO-LABEL: module @m
// TWO: func.func @main(%[[X:.*]]: tensor<1x4xf32> {acnn.name = "input0"}, %[[ACC:.*]]: tensor<1x8xf32> {acnn.name = "input1"}) -> (tensor<1x8xf32> {acnn.name = "output0"})
// TWO: %[[W:.*]] = arith.constant dense<1.000000e+00> : tensor<4x8xf32>
// TWO: %[[MM:.*]] = linalg.matmul {{.*}}ins(%[[X]], %[[W]] : tensor<1x4xf32>, tensor<4x8xf32>) outs(%[[ACC]] : tensor<1x8xf32>)
// TWO: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[MM]] : tensor<1x8xf32>)
// TWO: return %[[RELU]] : tensor<1x8xf32>
// TWO: llvm.mlir.global external constant @acnn_m_meta("acnn-model 1\0Aname m\0Ainput input0 f32 2 1 4\0Ainput input1 f32 2 1 8\0Aoutput output0 f32 2 1 8\0Athreads 2\0A\00")
#map = affine_map<(d0, d1) -> (d0, d1)>
module @m attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 524288, l3_bytes = 16777216, threads = 2>} {
  func.func @main(%x: tensor<1x4xf32> {acnn.name = "x"}) -> (tensor<1x16xf32> {acnn.name = "y"}) attributes {keep_me} {
    %zero = arith.constant 0.0 : f32
    %w = arith.constant dense<1.0> : tensor<4x8xf32>
    %e = tensor.empty() : tensor<1x8xf32>
    %acc = linalg.fill {acnn.kernel = 0 : i64, acnn.kernel_entry = "fill", acnn.kernel_key = "K fill"} ins(%zero : f32) outs(%e : tensor<1x8xf32>) -> tensor<1x8xf32>
    %mm = linalg.matmul {acnn.kernel = 1 : i64, acnn.kernel_entry = "matmul", acnn.kernel_key = "K matmul"} ins(%x, %w : tensor<1x4xf32>, tensor<4x8xf32>) outs(%acc : tensor<1x8xf32>) -> tensor<1x8xf32>
    %big = tensor.empty() : tensor<1x16xf32>
    %lo = tensor.extract_slice %big[0, 0] [1, 8] [1, 1] : tensor<1x16xf32> to tensor<1x8xf32>
    %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<1x8xf32>) outs(%lo : tensor<1x8xf32>) attrs = {acnn.kernel = 2 : i64, acnn.kernel_entry = "relu", acnn.kernel_key = "K relu"} {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<1x8xf32>
    %y0 = tensor.insert_slice %r into %big[0, 0] [1, 8] [1, 1] : tensor<1x8xf32> into tensor<1x16xf32>
    %hi = tensor.extract_slice %y0[0, 8] [1, 8] [1, 1] : tensor<1x16xf32> to tensor<1x8xf32>
    %r2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%acc : tensor<1x8xf32>) outs(%hi : tensor<1x8xf32>) attrs = {acnn.kernel = 3 : i64, acnn.kernel_entry = "relu#2", acnn.kernel_key = "K relu"} {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<1x8xf32>
    %y = tensor.insert_slice %r2 into %y0[0, 8] [1, 8] [1, 1] : tensor<1x8xf32> into tensor<1x16xf32>
    return %y : tensor<1x16xf32>
  }
}
