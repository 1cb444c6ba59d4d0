// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-pad-in-producer))" | FileCheck %s

// A relu feeding a zero-padded conv input writes into the interior of a
// padded buffer whose border alone is filled with zeros (a band a side);
// the pad becomes an insert of the relu's result in the place it was
// written, and its other reader reads that result.
// CHECK-LABEL: func @relu_then_pad
// CHECK: %[[A:.*]] = bufferization.alloc_tensor() : tensor<1x6x6x8xf32>
// CHECK: %[[B1:.*]] = tensor.extract_slice %[[A]][0, 0, 0, 0] [1, 1, 6, 8]
// CHECK: %[[Z1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[B1]] : tensor<1x1x6x8xf32>)
// CHECK: %[[F1:.*]] = tensor.insert_slice %[[Z1]] into %[[A]][0, 0, 0, 0] [1, 1, 6, 8]
// CHECK: tensor.extract_slice %[[F1]][0, 5, 0, 0] [1, 1, 6, 8]
// CHECK: %[[F2:.*]] = tensor.insert_slice %{{.*}} into %[[F1]][0, 5, 0, 0] [1, 1, 6, 8]
// CHECK: tensor.extract_slice %[[F2]][0, 0, 0, 0] [1, 6, 1, 8]
// CHECK: %[[F3:.*]] = tensor.insert_slice %{{.*}} into %[[F2]][0, 0, 0, 0] [1, 6, 1, 8]
// CHECK: tensor.extract_slice %[[F3]][0, 0, 5, 0] [1, 6, 1, 8]
// CHECK: %[[F:.*]] = tensor.insert_slice %{{.*}} into %[[F3]][0, 0, 5, 0] [1, 6, 1, 8]
// CHECK-NOT: linalg.fill
// CHECK: %[[IN:.*]] = tensor.extract_slice %[[F]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK: %[[R:.*]] = linalg.generic {{.*}} outs(%[[IN]] : tensor<1x4x4x8xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[P:.*]] = tensor.insert_slice %[[R]] into %[[F]][0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1]
// CHECK: return %[[P]], %[[R]]
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @relu_then_pad(%x: tensor<1x4x4x8xf32>) -> (tensor<1x6x6x8xf32>, tensor<1x4x4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x : tensor<1x4x4x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x8xf32>
  %p = tensor.pad %r low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
  return %p, %r : tensor<1x6x6x8xf32>, tensor<1x4x4x8xf32>
}

// -----

// A model input going NCHW -> NHWC: the transpose writes the padded buffer's
// interior, so the input is not copied into it afterwards. Padding on the
// low side only (a stride-2 stem's): two bands.
// CHECK-LABEL: func @transpose_then_pad
// CHECK: %[[A:.*]] = bufferization.alloc_tensor() : tensor<1x9x9x3xf32>
// CHECK: tensor.extract_slice %[[A]][0, 0, 0, 0] [1, 1, 9, 3]
// CHECK: %[[F1:.*]] = tensor.insert_slice %{{.*}} into %[[A]][0, 0, 0, 0] [1, 1, 9, 3]
// CHECK: tensor.extract_slice %[[F1]][0, 0, 0, 0] [1, 9, 1, 3]
// CHECK: %[[F:.*]] = tensor.insert_slice %{{.*}} into %[[F1]][0, 0, 0, 0] [1, 9, 1, 3]
// CHECK: %[[IN:.*]] = tensor.extract_slice %[[F]][0, 1, 1, 0] [1, 8, 8, 3] [1, 1, 1, 1]
// CHECK: %[[T:.*]] = linalg.transpose ins(%arg0 : tensor<1x3x8x8xf32>) outs(%[[IN]] : tensor<1x8x8x3xf32>) permutation = [0, 2, 3, 1]
// CHECK-NOT: tensor.pad
// CHECK: %[[P:.*]] = tensor.insert_slice %[[T]] into %[[F]][0, 1, 1, 0] [1, 8, 8, 3] [1, 1, 1, 1]
// CHECK: return %[[P]]
func.func @transpose_then_pad(%x: tensor<1x3x8x8xf32>) -> tensor<1x9x9x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x3xf32>
  %t = linalg.transpose ins(%x : tensor<1x3x8x8xf32>) outs(%e : tensor<1x8x8x3xf32>) permutation = [0, 2, 3, 1]
  %p = tensor.pad %t low[0, 1, 1, 0] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x8x3xf32> to tensor<1x9x9x3xf32>
  return %p : tensor<1x9x9x3xf32>
}

// -----

// A producer that reads its output (an accumulation) keeps its own buffer:
// a scheduled copy writes its result into the padded one.
// CHECK-LABEL: func @accumulating_producer
// CHECK: %[[R:.*]] = linalg.generic {{.*}} outs(%arg1 : tensor<4x4xf32>)
// CHECK: %[[A:.*]] = bufferization.alloc_tensor() : tensor<6x6xf32>
// CHECK: %[[IN:.*]] = tensor.extract_slice %{{.*}}[1, 1] [4, 4] [1, 1]
// CHECK: %[[C:.*]] = linalg.copy ins(%[[R]] : tensor<4x4xf32>) outs(%[[IN]] : tensor<4x4xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[P:.*]] = tensor.insert_slice %[[C]] into %{{.*}}[1, 1] [4, 4] [1, 1]
// CHECK: return %[[P]]
#ac = affine_map<(i, j) -> (i, j)>
func.func @accumulating_producer(%x: tensor<4x4xf32>, %acc: tensor<4x4xf32>) -> tensor<6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#ac, #ac], iterator_types = ["parallel", "parallel"]}
    ins(%x : tensor<4x4xf32>) outs(%acc : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  %p = tensor.pad %r low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<4x4xf32> to tensor<6x6xf32>
  return %p : tensor<6x6xf32>
}

// -----

// A max pool's -inf padding around a concat that its parts' kernels write in
// place (as acnn-concat-in-producers leaves it): the concat's buffer becomes
// the padded buffer's interior, so the parts are written there, and the
// concat's other reader (a 1x1 conv) reads that interior.
// CHECK-LABEL: func @assembled_then_pad
// CHECK-DAG: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[A:.*]] = bufferization.alloc_tensor() : tensor<1x5x5x6xf32>
// CHECK: linalg.fill ins(%[[NEG]] : f32) outs(%{{.*}} : tensor<1x1x5x6xf32>)
// CHECK: linalg.fill ins(%[[NEG]] : f32) outs(%{{.*}} : tensor<1x5x1x6xf32>)
// CHECK: %[[F:.*]] = tensor.insert_slice
// CHECK: %[[IN:.*]] = tensor.extract_slice %[[F]][0, 0, 0, 0] [1, 4, 4, 6] [1, 1, 1, 1]
// CHECK-NOT: bufferization.alloc_tensor
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[IN]][0, 0, 0, 0] [1, 4, 4, 2]
// CHECK: %[[W0:.*]] = tensor.insert_slice %{{.*}} into %[[IN]][0, 0, 0, 0] [1, 4, 4, 2]
// CHECK: %[[W1:.*]] = tensor.insert_slice %{{.*}} into %[[W0]][0, 0, 0, 2] [1, 4, 4, 4]
// CHECK-NOT: tensor.pad
// CHECK: %[[P:.*]] = tensor.insert_slice %[[W1]] into %[[F]][0, 0, 0, 0] [1, 4, 4, 6] [1, 1, 1, 1]
// CHECK: return %[[P]], %[[W1]]
func.func @assembled_then_pad(%x: tensor<1x4x4x2xf32>, %y: tensor<1x4x4x4xf32>)
    -> (tensor<1x5x5x6xf32>, tensor<1x4x4x6xf32>) {
  %neg = arith.constant 0xFF800000 : f32
  %buffer = bufferization.alloc_tensor() : tensor<1x4x4x6xf32>
  %s0 = tensor.extract_slice %buffer[0, 0, 0, 0] [1, 4, 4, 2] [1, 1, 1, 1] : tensor<1x4x4x6xf32> to tensor<1x4x4x2xf32>
  %c0 = linalg.copy ins(%x : tensor<1x4x4x2xf32>) outs(%s0 : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %w0 = tensor.insert_slice %c0 into %buffer[0, 0, 0, 0] [1, 4, 4, 2] [1, 1, 1, 1] : tensor<1x4x4x2xf32> into tensor<1x4x4x6xf32>
  %s1 = tensor.extract_slice %w0[0, 0, 0, 2] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x6xf32> to tensor<1x4x4x4xf32>
  %c1 = linalg.copy ins(%y : tensor<1x4x4x4xf32>) outs(%s1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %w1 = tensor.insert_slice %c1 into %w0[0, 0, 0, 2] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x4xf32> into tensor<1x4x4x6xf32>
  %p = tensor.pad %w1 low[0, 0, 0, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %neg : f32
  } : tensor<1x4x4x6xf32> to tensor<1x5x5x6xf32>
  return %p, %w1 : tensor<1x5x5x6xf32>, tensor<1x4x4x6xf32>
}

// -----

// A padding value computed at run time stays a tensor.pad.
// CHECK-LABEL: func @computed_value
// CHECK: tensor.pad
func.func @computed_value(%x: tensor<4x4xf32>, %v: f32) -> tensor<6x6xf32> {
  %p = tensor.pad %x low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %v : f32
  } : tensor<4x4xf32> to tensor<6x6xf32>
  return %p : tensor<6x6xf32>
}
