/**
 * A faster filter gradient for 2-D convolutions on tfjs's pure-JavaScript
 * `cpu` backend. The stock kernel indexes through `TensorBuffer.get` for every
 * multiply, which makes it about 50 times slower than the forward convolution
 * and turns the demo's CNN into a quarter-hour job. This one walks the flat
 * NHWC arrays directly. Native backends (tfjs-node) keep their own kernel.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from './tf.js';

type ConvAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

type CpuBackend = {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tfjs.TensorInfo;
};

const KERNEL = 'Conv2DBackpropFilter';

/**
 * Computes dW[fr, fc, in, out] = sum over (b, yr, yc) of
 * x[b, yr * sh - top + fr, yc * sw - left + fc, in] * dy[b, yr, yc, out].
 * Only channels-last input is handled; the stock kernel serves the rest.
 */
export function convFilterGradient(
  x: Float32Array,
  dy: Float32Array,
  info: tfjs.backend_util.Conv2DInfo,
): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dw = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++) {
        const dyAt = ((b * outHeight + yr) * outWidth + yc) * outChannels;
        for (let fr = 0; fr < filterHeight; fr++) {
          const xr = yr * strideHeight - top + fr;
          if (xr < 0 || xr >= inHeight) continue;
          for (let fc = 0; fc < filterWidth; fc++) {
            const xc = yc * strideWidth - left + fc;
            if (xc < 0 || xc >= inWidth) continue;
            const xAt = ((b * inHeight + xr) * inWidth + xc) * inChannels;
            const dwRow = (fr * filterWidth + fc) * inChannels;
            for (let i = 0; i < inChannels; i++) {
              const xv = x[xAt + i];
              if (xv === 0) continue; // post-ReLU inputs are mostly zero
              const dwAt = (dwRow + i) * outChannels;
              for (let o = 0; o < outChannels; o++) dw[dwAt + o] += xv * dy[dyAt + o];
            }
          }
        }
      }
    }
  }
  return dw;
}

let installed = false;

/**
 * Replaces the cpu backend's filter-gradient kernel with `convFilterGradient`
 * while keeping the stock one for channels-first data. Idempotent; does nothing
 * unless the active backend is `cpu`. Returns whether the fast kernel is in use.
 */
export function installFastConvGradient(): boolean {
  if (tf.getBackend() !== 'cpu') return false;
  if (installed) return true;
  const stock = tf.getKernel(KERNEL, 'cpu');
  if (!stock) return false;
  tf.unregisterKernel(KERNEL, 'cpu');
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as ConvAttrs;
      if (attrs.dataFormat === 'NCHW') return stock.kernelFunc(args);
      const { x, dy } = args.inputs as { x: tfjs.TensorInfo; dy: tfjs.TensorInfo };
      const backend = args.backend as unknown as CpuBackend;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
      );
      const dw = convFilterGradient(backend.readSync(x.dataId), backend.readSync(dy.dataId), info);
      return backend.makeTensorInfo(attrs.filterShape, 'float32', dw);
    },
  });
  installed = true;
  return true;
}
