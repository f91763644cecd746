package hmn.captions.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * BLIP's image encoder on ONNX Runtime ({@link BlipVisionOnnx}), built once from a loaded model's weights: the text
 * decoder stays on PyTorch and reads the embeddings from an array in the batch's manager.
 */
final class OnnxVisionEncoder implements AutoCloseable {
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final BlipConfig.Vision vision;

    /** {@code threads} 0 means one per core. */
    OnnxVisionEncoder(BlipModel model, int threads) {
        this.vision = model.config().vision();
        BlipVisionOnnx.Graph graph = BlipVisionOnnx.build(vision, model::weight);
        Map<String, OnnxTensorLike> weights = new HashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            for (String name : graph.external()) {
                ByteBuffer bytes = model.parameterBytes(name);
                weights.put(
                        name, OnnxTensor.createTensor(environment, bytes.asFloatBuffer(), model.parameterShape(name)));
            }
            options.addExternalInitializers(weights); // ONNX Runtime copies them: they are closed below
            options.setIntraOpNumThreads(
                    threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0"); // idle threads sleep, not spin
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // neither an arena nor a memory pattern keeps the largest batch's activations allocated between batches
            options.setCPUArenaAllocator(false);
            options.setMemoryPatternOptimization(false);
            this.session = environment.createSession(graph.model(), options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load BLIP's image encoder: " + e, e);
        } finally {
            weights.values().forEach(t -> ((OnnxTensor) t).close());
        }
    }

    /** Embeddings (images, patches + 1, hidden) of normalised pixels, one image after another, in {@code batch}. */
    NDArray encode(float[] pixels, int images, NDManager batch) {
        long size = vision.imageSize();
        try (OnnxTensor input = OnnxTensor.createTensor(
                        environment, FloatBuffer.wrap(pixels), new long[] {images, 3, size, size});
                OrtSession.Result result = session.run(Map.of(BlipVisionOnnx.PIXELS, input))) {
            FloatBuffer embeds = ((OnnxTensor) result.get(0)).getFloatBuffer();
            return batch.create(embeds, new Shape(images, vision.positions(), vision.hiddenSize()));
        } catch (OrtException e) {
            throw new IllegalStateException("BLIP's image encoder failed on " + images + " images: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX session: " + e, e);
        }
    }
}
