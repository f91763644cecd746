package hmn.runtime.weights;

import hmn.runtime.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's ResNet (v1.5: stride on the 3x3 convolution of bottlenecks) as data: the parameter names and shapes
 * of its {@code state_dict}, for basic or bottleneck blocks and any stage depths.
 */
public record ResNetArchitecture(boolean bottleneck, int[] blocks, int classes) {
    public static final int[] WIDTHS = {64, 128, 256, 512};

    public static ResNetArchitecture of(ModelSpec spec) {
        int[] blocks = spec.blocks().stream().mapToInt(Integer::intValue).toArray();
        return new ResNetArchitecture(
                "bottleneck".equals(spec.block()), blocks, spec.layers().getOrDefault("fc", 1000));
    }

    public int expansion() {
        return bottleneck ? 4 : 1;
    }

    /** Channels out of stage {@code s} (0..3). */
    public int stageChannels(int s) {
        return WIDTHS[s] * expansion();
    }

    /** Parameter names and shapes, in torchvision's order (batch-norm buffers included, num_batches_tracked not). */
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> p = new LinkedHashMap<>();
        p.put("conv1.weight", new long[] {64, 3, 7, 7});
        batchNorm(p, "bn1", 64);
        int inplanes = 64;
        for (int s = 0; s < 4; s++) {
            int planes = WIDTHS[s];
            for (int b = 0; b < blocks[s]; b++) {
                String prefix = "layer" + (s + 1) + "." + b + ".";
                int stride = b == 0 && s > 0 ? 2 : 1;
                if (bottleneck) {
                    p.put(prefix + "conv1.weight", new long[] {planes, inplanes, 1, 1});
                    batchNorm(p, prefix + "bn1", planes);
                    p.put(prefix + "conv2.weight", new long[] {planes, planes, 3, 3});
                    batchNorm(p, prefix + "bn2", planes);
                    p.put(prefix + "conv3.weight", new long[] {planes * 4L, planes, 1, 1});
                    batchNorm(p, prefix + "bn3", planes * 4);
                } else {
                    p.put(prefix + "conv1.weight", new long[] {planes, inplanes, 3, 3});
                    batchNorm(p, prefix + "bn1", planes);
                    p.put(prefix + "conv2.weight", new long[] {planes, planes, 3, 3});
                    batchNorm(p, prefix + "bn2", planes);
                }
                int out = planes * expansion();
                if (b == 0 && (stride != 1 || inplanes != out)) {
                    p.put(prefix + "downsample.0.weight", new long[] {out, inplanes, 1, 1});
                    batchNorm(p, prefix + "downsample.1", out);
                }
                inplanes = out;
            }
        }
        p.put("fc.weight", new long[] {classes, inplanes});
        p.put("fc.bias", new long[] {classes});
        return p;
    }

    /** Learnable parameters (what torchvision's {@code sum(p.numel() for p in model.parameters())} counts). */
    public long learnableParameters() {
        long n = 0;
        for (Map.Entry<String, long[]> e : parameterShapes().entrySet()) {
            if (!e.getKey().endsWith("running_mean") && !e.getKey().endsWith("running_var")) {
                long size = 1;
                for (long d : e.getValue()) {
                    size *= d;
                }
                n += size;
            }
        }
        return n;
    }

    /**
     * Multiply-adds of one forward on a {@code size x size} image: every convolution and the final linear layer
     * (what torchvision's published GFLOPS count: 1.81 G for ResNet18 at 224).
     */
    public long multiplyAdds(int size) {
        long total = 0;
        for (long part : multiplyAddsByPart(size)) {
            total += part;
        }
        return total;
    }

    /**
     * {@link #multiplyAdds} part by part: the stem (conv1 and max pool), stages layer1 to layer4, the final linear
     * layer; e.g. what recomputing the network after a stage costs.
     */
    public long[] multiplyAddsByPart(int size) {
        long[] parts = new long[6];
        int h = convOut(size, 7, 2, 3);
        parts[0] = (long) h * h * 64 * 3 * 49;
        h = convOut(h, 3, 2, 1); // max pool
        int inplanes = 64;
        for (int s = 0; s < 4; s++) {
            int planes = WIDTHS[s];
            long total = 0;
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                int out = convOut(h, 3, stride, 1);
                int width = planes * expansion();
                if (bottleneck) {
                    total += (long) h * h * planes * inplanes
                            + (long) out * out * planes * planes * 9
                            + (long) out * out * width * planes;
                } else {
                    total += (long) out * out * planes * inplanes * 9 + (long) out * out * planes * planes * 9;
                }
                if (b == 0 && (stride != 1 || inplanes != width)) {
                    total += (long) out * out * width * inplanes;
                }
                inplanes = width;
                h = out;
            }
            parts[s + 1] = total;
        }
        parts[5] = (long) inplanes * classes;
        return parts;
    }

    private static int convOut(int size, int kernel, int stride, int pad) {
        return (size + 2 * pad - kernel) / stride + 1;
    }

    /** Checks that {@code weights} holds every parameter with the right shape; the message names the first problem. */
    public void validate(Map<String, Tensor> weights, String source) {
        for (Map.Entry<String, long[]> e : parameterShapes().entrySet()) {
            Tensor t = weights.get(e.getKey());
            if (t == null) {
                throw new hmn.core.BadInputException(
                        source + ": parameter " + e.getKey() + " is missing; the file is not"
                                + " a torchvision ResNet state dict of this depth (names present: "
                                + List.copyOf(weights.keySet()).subList(0, Math.min(5, weights.size())) + " ...)");
            }
            if (!java.util.Arrays.equals(t.shape(), e.getValue())) {
                throw new hmn.core.BadInputException(
                        source + ": parameter " + e.getKey() + " has shape " + t.shapeString() + ", expected "
                                + java.util.Arrays.toString(e.getValue()) + "; pick the matching --model");
            }
        }
    }

    private static void batchNorm(Map<String, long[]> p, String prefix, int channels) {
        p.put(prefix + ".weight", new long[] {channels});
        p.put(prefix + ".bias", new long[] {channels});
        p.put(prefix + ".running_mean", new long[] {channels});
        p.put(prefix + ".running_var", new long[] {channels});
    }
}
