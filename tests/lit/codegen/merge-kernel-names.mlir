// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-fuse-elementwise))" -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=FUSE
// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-group-epilogues{target=avx2}))" -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=GROUP

// Kernels whose code becomes one take one name, the name of the one with
// the most FLOPs, and the sum of their FLOPs, so the profile's time and
// FLOPs of that code agree. A matmul, its residual add and a relu after it
// (RepVGG's branches summed before the relu took the add into another
// kernel): fused, the add and the relu are one generic, named after the
// add, 2 + 1 FLOPs a point; grouped, the matmul, its start and its
// epilogue (the add) are all the matmul's, with the add's FLOPs.
// FUSE-LABEL: func @matmul_add_relu
// FUSE: linalg.matmul {{.*}} loc(fused<{acnn.kernel_name = "mm_flops2000"}>["m"])
// FUSE: linalg.generic
// FUSE: } -> tensor<8x16xf32> loc(fused<{acnn.kernel_name = "add_flops384"}>["r"])
// GROUP-LABEL: func @matmul_add_relu
// GROUP: linalg.fill {{.*}} loc(fused<{acnn.kernel_name = "mm_flops2256"}>["m"])
// GROUP: linalg.matmul {{.*}} loc(fused<{acnn.kernel_name = "mm_flops2256"}>["m"])
// GROUP: } -> tensor<8x16xf32> loc(fused<{acnn.kernel_name = "mm_flops2256"}>["a"])
// GROUP: } -> tensor<8x16xf32> loc(fused<{acnn.kernel_name = "relu_flops128"}>["r"])
#mm = loc(fused<{acnn.kernel_name = "mm_flops2000"}>["m"])
#add = loc(fused<{acnn.kernel_name = "add_flops256"}>["a"])
#relu = loc(fused<{acnn.kernel_name = "relu_flops128"}>["r"])
#mn = affine_map<(m, n) -> (m, n)>
func.func @matmul_add_relu(%a: tensor<8x16xf32>, %b: tensor<16x16xf32>, %res: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32> loc(#mm)
  %y = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x16xf32>) outs(%f : tensor<8x16xf32>) -> tensor<8x16xf32> loc(#mm)
  %s = linalg.generic {indexing_maps = [#mn, #mn, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%y, %res : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %t = arith.addf %p, %q : f32
    linalg.yield %t : f32
  } -> tensor<8x16xf32> loc(#add)
  %r = linalg.generic {indexing_maps = [#mn, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%s : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = arith.maximumf %p, %zero : f32
    linalg.yield %t : f32
  } -> tensor<8x16xf32> loc(#relu)
  return %r : tensor<8x16xf32>
}

// -----

// The add of a conv's kernel (its residual, fused there by graph fusion)
// fused into another kernel's relu: the conv's loops stay apart, so its
// kernel keeps its name, and the relu's too.
// FUSE-LABEL: func @reducing_kernel_keeps_its_name
// FUSE: linalg.matmul {{.*}} loc(fused<{acnn.kernel_name = "mm_flops2256"}>["m"])
// FUSE: } -> tensor<8x16xf32> loc(fused<{acnn.kernel_name = "relu_flops128"}>["r"])
#mm = loc(fused<{acnn.kernel_name = "mm_flops2256"}>["m"])
#relu = loc(fused<{acnn.kernel_name = "relu_flops128"}>["r"])
#mn = affine_map<(m, n) -> (m, n)>
func.func @reducing_kernel_keeps_its_name(%a: tensor<8x16xf32>, %b: tensor<16x16xf32>, %res: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32> loc(#mm)
  %y = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x16xf32>) outs(%f : tensor<8x16xf32>) -> tensor<8x16xf32> loc(#mm)
  %s = linalg.generic {indexing_maps = [#mn, #mn, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%res, %res : tensor<8x16xf32>, tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %t = arith.addf %p, %q : f32
    linalg.yield %t : f32
  } -> tensor<8x16xf32> loc(#mm)
  %r = linalg.generic {indexing_maps = [#mn, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%s : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = arith.maximumf %p, %zero : f32
    linalg.yield %t : f32
  } -> tensor<8x16xf32> loc(#relu)
  return %y, %r : tensor<8x16xf32>, tensor<8x16xf32>
}

// -----

// Two equal matmuls reading one zero fill (CSE merges equal fills; it kept
// the first's): each group's start is the body's, under the body's name, and
// the two kernels keep theirs apart (DenseNet's 24 bias-free 3x3 convs of a
// block were profiled as one kernel).
// GROUP-LABEL: func @shared_fill_keeps_kernels_apart
// GROUP: linalg.fill {{.*}} loc(fused<{acnn.kernel_name = "mm2_flops2304"}>["m2"])
// GROUP: linalg.fill {{.*}} loc(fused<{acnn.kernel_name = "mm1_flops2304"}>["m1"])
// GROUP: linalg.matmul {{.*}} loc(fused<{acnn.kernel_name = "mm1_flops2304"}>["m1"])
// GROUP: linalg.matmul {{.*}} loc(fused<{acnn.kernel_name = "mm2_flops2304"}>["m2"])
// GROUP: } -> tensor<8x16xf32> loc(fused<{acnn.kernel_name = "mm1_flops2304"}>["r1"])
// GROUP: } -> tensor<8x16xf32> loc(fused<{acnn.kernel_name = "mm2_flops2304"}>["r2"])
#m1 = loc(fused<{acnn.kernel_name = "mm1_flops2176"}>["m1"])
#m2 = loc(fused<{acnn.kernel_name = "mm2_flops2176"}>["m2"])
#r1 = loc(fused<{acnn.kernel_name = "relu1_flops128"}>["r1"])
#r2 = loc(fused<{acnn.kernel_name = "relu2_flops128"}>["r2"])
#mn = affine_map<(m, n) -> (m, n)>
func.func @shared_fill_keeps_kernels_apart(%a: tensor<8x16xf32>, %b: tensor<16x16xf32>, %c: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32> loc(#m1)
  %y1 = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x16xf32>) outs(%f : tensor<8x16xf32>) -> tensor<8x16xf32> loc(#m1)
  %y2 = linalg.matmul ins(%c, %b : tensor<8x16xf32>, tensor<16x16xf32>) outs(%f : tensor<8x16xf32>) -> tensor<8x16xf32> loc(#m2)
  %r1 = linalg.generic {indexing_maps = [#mn, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%y1 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = arith.maximumf %p, %zero : f32
    linalg.yield %t : f32
  } -> tensor<8x16xf32> loc(#r1)
  %r2 = linalg.generic {indexing_maps = [#mn, #mn], iterator_types = ["parallel", "parallel"]}
    ins(%y2 : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = arith.maximumf %p, %zero : f32
    linalg.yield %t : f32
  } -> tensor<8x16xf32> loc(#r2)
  return %r1, %r2 : tensor<8x16xf32>, tensor<8x16xf32>
}
