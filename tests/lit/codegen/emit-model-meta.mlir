// RUN: acnn-opt %s -split-input-file -acnn-emit-model-meta -verify-diagnostics | FileCheck %s

// The metadata global, named after the module, is appended to it: the
// version, the model's name, then a record per argument of @main and per
// result, in order: its acnn.name, the dtype, the rank and the dimensions
// (a rank-0 result has none). @main itself is left as it was.
// CHECK-LABEL: module @se
// CHECK: func.func @main(%{{.*}}: tensor<1x3x8x8xf32> {acnn.name = "image"}, %{{.*}}: tensor<4xf32> {acnn.name = "scale"}) -> (tensor<1x4xf32> {acnn.name = "logits"}, tensor<f32> {acnn.name = "loss"})
// CHECK: llvm.mlir.global external constant @acnn_se_meta("acnn-model 1\0Aname se\0Ainput image f32 4 1 3 8 8\0Ainput scale f32 1 4\0Aoutput logits f32 2 1 4\0Aoutput loss f32 0\0A\00") {addr_space = 0 : i32}
// CHECK-NOT: llvm.mlir.global
module @se {
  func.func @main(%x: tensor<1x3x8x8xf32> {acnn.name = "image"}, %s: tensor<4xf32> {acnn.name = "scale"}) -> (tensor<1x4xf32> {acnn.name = "logits"}, tensor<f32> {acnn.name = "loss"}) {
    %y = tensor.empty() : tensor<1x4xf32>
    %l = tensor.empty() : tensor<f32>
    return %y, %l : tensor<1x4xf32>, tensor<f32>
  }
}

// -----

// Characters of the module's name other than [A-Za-z0-9] become '_', in the
// symbol and in the name record. Tensor names are percent-encoded (a space,
// '%'; '/' is kept); an argument or result without acnn.name is called
// "input" or "output".
// CHECK-LABEL: module @"se-resnet.v2"
// CHECK: llvm.mlir.global external constant @acnn_se_resnet_v2_meta("acnn-model 1\0Aname se_resnet_v2\0Ainput x%200%25 f32 1 2\0Ainput input f32 3 2 1 5\0Aoutput output f32 1 2\0Aoutput /head/out f32 1 2\0A\00")
module @"se-resnet.v2" {
  func.func @main(%x: tensor<2xf32> {acnn.name = "x 0%"}, %y: tensor<2x1x5xf32>) -> (tensor<2xf32>, tensor<2xf32> {acnn.name = "/head/out"}) {
    return %x, %x : tensor<2xf32>, tensor<2xf32>
  }
}

// -----

// A module without a name is the model "model".
// CHECK-LABEL: module {
// CHECK: llvm.mlir.global external constant @acnn_model_meta("acnn-model 1\0Aname model\0Ainput x f32 2 3 3\0Aoutput y f32 2 3 3\0A\00")
module {
  func.func @main(%x: tensor<3x3xf32> {acnn.name = "x"}) -> (tensor<3x3xf32> {acnn.name = "y"}) {
    return %x : tensor<3x3xf32>
  }
}

// -----

// The metadata describes @main: a module without one is an error.
// expected-error @+1 {{model has no func.func @main}}
module @m {
  func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// The runtime takes non-empty tensors only: every empty input and output is
// reported, at @main, named (or by its kind if it has no name).
module @m {
  // expected-error @+3 {{input 'x' has no elements; compiled models take non-empty tensors}}
  // expected-error @+2 {{output 'output' has no elements; compiled models take non-empty tensors}}
  // expected-error @+1 {{output 'z' has no elements; compiled models take non-empty tensors}}
  func.func @main(%x: tensor<0x4xf32> {acnn.name = "x"}, %y: tensor<4xf32> {acnn.name = "y"}) -> (tensor<4x0xf32>, tensor<1x0x1xf32> {acnn.name = "z"}) {
    %a = tensor.empty() : tensor<4x0xf32>
    %b = tensor.empty() : tensor<1x0x1xf32>
    return %a, %b : tensor<4x0xf32>, tensor<1x0x1xf32>
  }
}

// -----

// A model compiled for a target (acnnc always sets one) records the threads
// its parallel loops were cut for: the runtime's default thread count.
// CHECK-LABEL: module @t attributes {acnn.target = #acnn.target
// CHECK: @acnn_t_meta("acnn-model 1\0Aname t\0Ainput x f32 1 4\0Aoutput y f32 1 4\0Athreads 6\0A\00")
module @t attributes {acnn.target = #acnn.target<cpu = "znver4", isa = "avx512", vector_bits = 512, vector_registers = 32, l1_bytes = 32768, l2_bytes = 1048576, l3_bytes = 33554432, threads = 6>} {
  func.func @main(%x: tensor<4xf32> {acnn.name = "x"}) -> (tensor<4xf32> {acnn.name = "y"}) {
    return %x : tensor<4xf32>
  }
}

// -----

// i64 tensors (argmax indices) are i64 in the metadata; a type the runtime
// does not take is an error.
// CHECK-LABEL: module @am
// CHECK: @acnn_am_meta("acnn-model 1\0Aname am\0Ainput x f32 1 4\0Aoutput i i64 1 1\0A\00")
module @am {
  func.func @main(%x: tensor<4xf32> {acnn.name = "x"}) -> (tensor<1xi64> {acnn.name = "i"}) {
    %i = tensor.empty() : tensor<1xi64>
    return %i : tensor<1xi64>
  }
}

// -----

module @bad {
  // expected-error @+1 {{output 'h' has elements of type 'f16'; compiled models take f32 and i64 tensors}}
  func.func @main(%x: tensor<4xf32> {acnn.name = "x"}) -> (tensor<4xf16> {acnn.name = "h"}) {
    %h = tensor.empty() : tensor<4xf16>
    return %h : tensor<4xf16>
  }
}
