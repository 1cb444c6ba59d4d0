// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2},acnn-apply-schedules)" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: acnn-opt %s -mlir-print-debuginfo -mlir-print-local-scope -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2},acnn-apply-schedules)" | FileCheck %s

// Two matmuls that differ only in their weights (arguments of a kernel's
// function, not part of it) and their kernel names: the second gets a copy
// of what the first one's script made, reading its own weights, its
// locations renamed to its own kernel.
// REMARK: remark: {{.*}}kernel 'second' is a copy of kernel 'first'
// REMARK-NOT: remark
// CHECK-LABEL: func @shared
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 1.000000e+00
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, -1.000000e+00
// CHECK-NOT: linalg.matmul
// CHECK: scf.for
// CHECK: vector.transfer_read %[[W1]]{{.*}} loc(fused<{acnn.kernel_name = "first"}>
// CHECK: scf.for
// CHECK: vector.transfer_read %[[W2]]{{.*}} loc(fused<{acnn.kernel_name = "second"}>
// CHECK-NOT: __acnn_scheduled_kernel
func.func @shared(%x: tensor<16x2xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  %w1 = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041000080410000884100009041000098410000A0410000A8410000B0410000B8410000C0410000C8410000D0410000D8410000E0410000E8410000F0410000F841"> : tensor<2x16xf32>
  %w2 = arith.constant dense<"0x00000000000080BF000000C0000040C0000080C00000A0C00000C0C00000E0C0000000C1000010C1000020C1000030C1000040C1000050C1000060C1000070C1000080C1000088C1000090C1000098C10000A0C10000A8C10000B0C10000B8C10000C0C10000C8C10000D0C10000D8C10000E0C10000E8C10000F0C10000F8C1"> : tensor<2x16xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x16xf32>
  %o = linalg.fill ins(%zero : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  %a = linalg.matmul ins(%x, %w1 : tensor<16x2xf32>, tensor<2x16xf32>) outs(%o : tensor<16x16xf32>) -> tensor<16x16xf32> loc(#first)
  %b = linalg.matmul ins(%x, %w2 : tensor<16x2xf32>, tensor<2x16xf32>) outs(%o : tensor<16x16xf32>) -> tensor<16x16xf32> loc(#second)
  return %a, %b : tensor<16x16xf32>, tensor<16x16xf32>
}
#first = loc(fused<{acnn.kernel_name = "first"}>["a"])
#second = loc(fused<{acnn.kernel_name = "second"}>["b"])
