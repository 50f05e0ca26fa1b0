/**
 * The tfjs module lensboard computes with: `@tensorflow/tfjs-node` when the
 * user has it installed and it loads, else pure-JavaScript `@tensorflow/tfjs`.
 * tfjs-node is never required: a missing package, or one whose native library
 * failed to install, falls back to the pure-JS module without a message.
 */
import * as tfjs from '@tensorflow/tfjs';

export type Tf = typeof tfjs;

/** The part of tfjs-node's `tf.node` namespace lensboard uses. */
export interface NativeImageCodec {
  encodePng(image: tfjs.Tensor3D, compression?: number): Promise<Uint8Array>;
}

interface TfjsNodeModule {
  node?: NativeImageCodec;
}

// A variable, not a literal, so that TypeScript and bundlers never try to
// resolve a package this project does not depend on.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function loadTfjsNode(): Promise<(Tf & TfjsNodeModule) | undefined> {
  try {
    const loaded = (await import(TFJS_NODE)) as Tf & TfjsNodeModule & { default?: unknown };
    return loaded;
  } catch {
    // Not installed, or installed without its native library: both mean
    // "use pure JS", which computes the same values, only slower.
    return undefined;
  }
}

const tfjsNode = await loadTfjsNode();

/** The tfjs namespace to compute with; the same tensors as the user's own tfjs. */
export const tf: Tf = tfjsNode ?? tfjs;

/** tfjs-node's native PNG encoder, when tfjs-node is loaded. */
export const nativeImageCodec: NativeImageCodec | undefined = tfjsNode?.node;

/** Which module `tf` is, for logs and benchmarks. */
export const backendModule: '@tensorflow/tfjs-node' | '@tensorflow/tfjs' = tfjsNode
  ? '@tensorflow/tfjs-node'
  : '@tensorflow/tfjs';
